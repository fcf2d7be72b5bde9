//! The limits of a listing. The file size limit: a submission's file larger than it is left out of the corpus with a
//! warning naming it (W207), so a stray multi-gigabyte artifact costs neither time nor memory.
//! Files up to the limit are scanned; those over [`LARGE_FILE`](crate::document::LARGE_FILE)
//! are read in chunks, from a directory or a git blob alike, so memory stays bounded at any
//! limit. `AICONF_MAX_FILE_SIZE` sets it (bytes, or a number with `K`, `M`, `G` or `T`, binary
//! units; `0` turns it off); a value that is not a size is E207, and the default applies. And
//! how many files symbolic links may add ([`linked_budget`]).

use crate::diagnostic::{Code, Diagnostic};
use crate::source::corpus::FileEntry;

/// The variable that sets the limit.
pub const MAX_FILE_ENV: &str = "AICONF_MAX_FILE_SIZE";

/// The limit when the variable is not set: 1 GiB (the real corpus's largest file is a few MB).
pub const DEFAULT_MAX_FILE: u64 = 1 << 30;

/// Symbolic links add at most as many files to a listing as it holds without them, or this many
/// when it holds fewer (a corpus made of links to its submissions' folders is read whole): a few
/// links to one crowded folder cannot multiply the listing. W208 (a directory), W252 (a git tree).
pub const MIN_LINKED_FILES: usize = 10_000;

/// How many files symbolic links may add to a listing of `files` files of its own.
pub fn linked_budget(files: usize) -> usize {
    files.max(MIN_LINKED_FILES)
}

/// The limit in force (`None`: no limit), from [`MAX_FILE_ENV`]; a value that is not a size is
/// reported in `diags` (E207) and the default applies.
pub fn max_file_size(diags: &mut Vec<Diagnostic>) -> Option<u64> {
    let Some(value) = std::env::var_os(MAX_FILE_ENV).filter(|v| !v.is_empty()) else {
        return Some(DEFAULT_MAX_FILE);
    };
    let value = value.to_string_lossy();
    match parse_size(&value) {
        Some(0) => None,
        Some(n) => Some(n),
        None => {
            diags.push(
                Diagnostic::error(
                    Code::E207,
                    MAX_FILE_ENV,
                    format!(
                        "`{value}` is not a size: the default limit of {} applies",
                        human(DEFAULT_MAX_FILE)
                    ),
                )
                .with_help(format!(
                    "{MAX_FILE_ENV} takes bytes or a number with K, M, G or T (e.g. 4G); 0 turns the limit off"
                )),
            );
            Some(DEFAULT_MAX_FILE)
        }
    }
}

/// The warning for `file`, larger than `limit` and so left out (W207).
pub fn over_limit(file: &FileEntry, limit: u64) -> Diagnostic {
    Diagnostic::warning(
        Code::W207,
        &file.path,
        format!(
            "file of {} ({} bytes) is larger than the {} limit: not scanned",
            human(file.size),
            file.size,
            human(limit)
        ),
    )
    .with_help(format!(
        "to scan it, set {MAX_FILE_ENV} above its size (e.g. {MAX_FILE_ENV}=4G, or 0 for no limit): \
         large files are read in chunks, with bounded memory"
    ))
}

/// A size: a whole number of bytes, optionally followed by `K`, `M`, `G` or `T` (binary units,
/// any case, optionally with `iB` or `B` after it) or by `B`; `1.5G` and negative numbers are not.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().ok()?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit
        .strip_suffix("ib")
        .or_else(|| unit.strip_suffix('b'))
        .unwrap_or(&unit);
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return None,
    };
    number.checked_mul(1 << shift)
}

/// `2.0 GiB`, `512 KiB`, `17 bytes`: a size for messages.
pub fn human(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (name, shift) in UNITS {
        let unit = 1u64 << shift;
        if bytes >= unit {
            return if bytes.is_multiple_of(unit) {
                format!("{} {name}", bytes >> shift)
            } else {
                format!("{:.1} {name}", bytes as f64 / unit as f64)
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units_and_others_do_not() {
        assert_eq!(parse_size("1234"), Some(1234));
        assert_eq!(parse_size("64K"), Some(64 << 10));
        assert_eq!(parse_size("4g"), Some(4 << 30));
        assert_eq!(parse_size("2 GiB"), Some(2 << 30));
        assert_eq!(parse_size("3MB"), Some(3 << 20));
        assert_eq!(parse_size("1T"), Some(1 << 40));
        assert_eq!(parse_size("0"), Some(0));
        for bad in ["", "lots", "1.5G", "-1", "G", "12Q", "99999999999T"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }

    #[test]
    fn sizes_print_in_the_largest_unit() {
        assert_eq!(human(17), "17 bytes");
        assert_eq!(human(1 << 30), "1 GiB");
        assert_eq!(human((2 << 30) + (1 << 29)), "2.5 GiB");
        assert_eq!(human(1536), "1.5 KiB");
    }
}
