//! Pretty-printed JSON written by hand, byte for byte as `serde_json::to_string_pretty` prints it,
//! for the objects `scan --format json` writes by the hundred thousand (its findings and their
//! evidence): serde_json escapes a string a byte at a time, which was most of the cost of writing
//! them; [`string`] skips eight bytes at a time that need no escape.

/// An object being written, its members one per line at `depth + 1` levels of two spaces.
pub struct Object<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    any: bool,
}

impl<'o> Object<'o> {
    /// `{`, its members to follow; the object itself is `depth` levels deep.
    pub fn open(out: &'o mut Vec<u8>, depth: usize) -> Object<'o> {
        out.push(b'{');
        Object {
            out,
            depth,
            any: false,
        }
    }

    /// Starts the member `key` (a key that needs no escape): its value is written next.
    pub fn key(&mut self, key: &str) -> &mut Vec<u8> {
        self.out
            .extend_from_slice(if self.any { b",\n" } else { b"\n" });
        self.any = true;
        indent(self.out, self.depth + 1);
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
        self.out
    }

    pub fn str(&mut self, key: &str, value: &str) {
        string(self.key(key), value);
    }

    pub fn uint(&mut self, key: &str, value: usize) {
        let mut b = itoa::Buffer::new();
        let digits = b.format(value);
        self.key(key).extend_from_slice(digits.as_bytes());
    }

    pub fn bool(&mut self, key: &str, value: bool) {
        let v: &[u8] = if value { b"true" } else { b"false" };
        self.key(key).extend_from_slice(v);
    }

    /// An array of strings.
    pub fn strs(&mut self, key: &str, values: &[String]) {
        self.objects(key, values, |v, out, _| string(out, v));
    }

    /// An array of values (objects, or strings), each written by `each` at its depth.
    pub fn objects<T>(&mut self, key: &str, items: &[T], each: impl Fn(&T, &mut Vec<u8>, usize)) {
        let depth = self.depth + 1;
        let out = self.key(key);
        if items.is_empty() {
            out.extend_from_slice(b"[]");
            return;
        }
        out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            out.extend_from_slice(if i > 0 { b",\n" } else { b"\n" });
            indent(out, depth + 1);
            each(item, out, depth + 1);
        }
        out.push(b'\n');
        indent(out, depth);
        out.push(b']');
    }

    /// `}` (on a line of its own when there were members).
    pub fn close(self) {
        if self.any {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

/// Two spaces a level.
fn indent(out: &mut Vec<u8>, depth: usize) {
    out.resize(out.len() + 2 * depth, b' ');
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"` and `\`, the control characters
/// (`\b \f \n \r \t`, the others as `\u00xx`), nothing else.
pub fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs an escape; a word that may is read byte by byte.
        let end = match bytes.get(i..i + 8) {
            Some(chunk) => {
                let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
                if !needs_escape(w) {
                    i += 8;
                    continue;
                }
                i + 8
            }
            None => bytes.len(),
        };
        while i < end {
            let b = bytes[i];
            if b >= 0x20 && b != b'"' && b != b'\\' {
                i += 1;
                continue;
            }
            out.extend_from_slice(&bytes[start..i]);
            escape(out, b);
            i += 1;
            start = i;
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The escape of `b` (`"`, `\` or a control character), as serde_json writes it.
fn escape(out: &mut Vec<u8>, b: u8) {
    let short: &[u8] = match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        0x0c => b"\\f",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
            return;
        }
    };
    out.extend_from_slice(short);
}

/// Whether one of the eight bytes of `w` may need an escape: below 0x20, `"` or `\` (a few
/// bytes that need none may say yes; none that needs one says no).
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
    below_space || has_zero(w ^ (ONES * b'"' as u64)) || has_zero(w ^ (ONES * b'\\' as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut cases: Vec<String> = (0u8..0x80).map(|b| (b as char).to_string()).collect();
        cases.extend(
            [
                "",
                "plain text, long enough to take several words at once",
                "a \"quoted\" \\ back\\slash\tand\ttabs\nnew lines\r\n",
                "é ñ 日本語 \u{7f} \u{80} \u{2028} emoji 🚀 at the end",
                "\u{1}\u{1f}\u{0}abcdefgh\u{1b}[31mred",
                "12345678\"12345678\\1234567\n",
            ]
            .map(String::from),
        );
        // Every place in a word of a byte that needs an escape.
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
            for at in 0..20 {
                let mut s: String = "x".repeat(20);
                s.insert(at, special);
                cases.push(s);
            }
        }
        for s in &cases {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn objects_are_laid_out_as_the_pretty_printer_lays_them_out() {
        let v = serde_json::json!({
            "a": "x\ny",
            "b": 3,
            "c": true,
            "d": [],
            "e": ["1", "2\""],
            "f": [{"g": "h"}, {}],
        });
        for depth in 0..4 {
            let mut out = Vec::new();
            let mut o = Object::open(&mut out, depth);
            o.str("a", "x\ny");
            o.uint("b", 3);
            o.bool("c", true);
            o.strs("d", &[]);
            o.strs("e", &["1".to_string(), "2\"".to_string()]);
            o.objects("f", &[Some("h"), None], |g, out, depth| {
                let mut p = Object::open(out, depth);
                if let Some(h) = g {
                    p.str("g", h);
                }
                p.close();
            });
            o.close();
            let want = serde_json::to_string_pretty(&v)
                .unwrap()
                .replace('\n', &format!("\n{}", "  ".repeat(depth)));
            assert_eq!(String::from_utf8(out).unwrap(), want, "depth {depth}");
        }
    }
}
