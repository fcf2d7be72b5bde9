//! Fuzzes the YAML loader (`aiconf::build_document`) and the scan of what it builds.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    invariants::document(data);
});
