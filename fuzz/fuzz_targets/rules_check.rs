//! Fuzzes `aiconf check`: lints and rule examples through the matcher.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        invariants::rules_check(text);
    }
});
