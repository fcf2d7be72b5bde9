//! Looking for line breaks with `memchr`'s vectorised search: the standard library's
//! `str::find('\n')` and `rfind('\n')` go a word at a time, and the scan asks around every
//! mention (its line, its command, its quote), where a line may be a few KiB long.

/// The first and last line break of a text, by byte offset.
pub(crate) trait Newlines {
    /// The offset of the first `\n`, as `str::find('\n')` gives it.
    fn find_nl(&self) -> Option<usize>;
    /// The offset of the last `\n`, as `str::rfind('\n')` gives it.
    fn rfind_nl(&self) -> Option<usize>;
}

impl Newlines for str {
    fn find_nl(&self) -> Option<usize> {
        memchr::memchr(b'\n', self.as_bytes())
    }

    fn rfind_nl(&self) -> Option<usize> {
        memchr::memrchr(b'\n', self.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offsets_are_those_of_the_standard_search() {
        for t in [
            "",
            "a",
            "\n",
            "é\nü\n€x",
            "no break at all",
            "\n\nab\ncd",
            "€\n",
        ] {
            assert_eq!(t.find_nl(), t.find('\n'), "{t:?}");
            assert_eq!(t.rfind_nl(), t.rfind('\n'), "{t:?}");
        }
        let long = format!("{}\n{}", "x".repeat(5000), "y".repeat(3000));
        assert_eq!(long.find_nl(), Some(5000));
        assert_eq!(long.rfind_nl(), Some(5000));
    }
}
