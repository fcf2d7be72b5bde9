//! Values: what a field holds in a row and what a query compares it with.
//! A [`Val`] is typed so that versions compare as versions (`1.9 < 1.34`,
//! `1.34 = v1.34 = 1.34.0`), text compares case-insensitively, submissions
//! sort in corpus order and numbers numerically.

use std::cmp::Ordering;
use std::fmt;

use crate::output::table::CellValue;
use crate::scan::finding::Cell;
use crate::tables::analysis::vendor_key;

/// A Kubernetes (or project) version: `v1.34`, `1.34`, `1.34.0`.
#[derive(Clone, Debug)]
pub struct Version {
    /// Numeric parts with trailing zeros removed, so `1.34.0` equals `1.34`.
    parts: Vec<u64>,
    /// As written.
    pub text: String,
}

impl Version {
    /// Reads `v1.34`, `V1.34`, `1.34` or `1.34.0`; `None` when it is not a version.
    pub fn parse(text: &str) -> Option<Version> {
        if !Version::reads(text) {
            return None;
        }
        let t = text.trim();
        let digits = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let mut parts = Vec::new();
        for p in digits.split('.') {
            parts.push(p.parse().ok()?);
        }
        while parts.len() > 1 && parts.last() == Some(&0) {
            parts.pop();
        }
        Some(Version {
            parts,
            text: t.to_string(),
        })
    }
}

impl Version {
    /// Does `text` read as a version ([`Version::parse`] gives one), without making it?
    pub fn reads(text: &str) -> bool {
        let t = text.trim();
        let digits = t.strip_prefix(['v', 'V']).unwrap_or(t);
        digits
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
    }

    /// The text a submission's Kubernetes version is shown as: trimmed when it reads as a
    /// version, else as written (the text of the value [`Version::parse`] or a text makes of it).
    pub fn shown(text: &str) -> &str {
        match Version::reads(text) {
            true => text.trim(),
            false => text,
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

/// One cell of a result row, or one value a field has.
#[derive(Clone, Debug)]
pub enum Val {
    /// Text shown as it is.
    Text(String),
    /// A count.
    Int(i64),
    /// 0..1; shown as a percentage, JSON keeps the fraction.
    Share(f64),
    /// A Kubernetes or project version.
    Version(Version),
    /// A submission: its index in the scan (corpus order) and its id.
    Sub(u32, String),
    /// A project, by display name.
    Project(String),
    /// An organisation's name (a submission's or a project's vendor): equal
    /// to another when their [`crate::tables::analysis::vendor_key`]s are, so
    /// "Google LLC" = "Google" and "Amazon Web Services (AWS)" = "Amazon Web Services".
    Vendor(String),
    /// Yes or no.
    Bool(bool),
    /// Several texts (versions, sections); JSON keeps an array.
    List(Vec<String>),
    /// A matrix cell; sorts `-` < `X` < `M`.
    Cell(Cell),
}

impl Val {
    /// The text a user sees (and `~` matches against).
    pub fn text(&self) -> String {
        match self {
            Val::Text(s) | Val::Project(s) | Val::Sub(_, s) | Val::Vendor(s) => s.clone(),
            other => {
                let mut out = String::new();
                other.write_text(&mut out);
                out
            }
        }
    }

    /// Appends [`Val::text`] to `out`, without making a string of its own.
    pub fn write_text(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Val::Text(s) | Val::Project(s) | Val::Sub(_, s) | Val::Vendor(s) => out.push_str(s),
            Val::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Val::Share(f) => {
                let _ = write!(out, "{}%", (f * 100.0).round() as i64);
            }
            Val::Version(v) => out.push_str(&v.text),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::List(v) => join_into(v.iter().map(String::as_str), out),
            Val::Cell(c) => out.push_str(c.as_str()),
        }
    }

    /// The cell of a [`crate::output::table::Table`] that shows this value (a share, a boolean
    /// and a list keep their type; the rest is text).
    pub fn cell(&self) -> CellValue {
        match self {
            Val::Int(n) => CellValue::Int(*n),
            Val::Share(f) => CellValue::Share(*f),
            Val::Bool(b) => CellValue::Bool(*b),
            Val::List(v) => CellValue::List(v.clone()),
            _ => CellValue::Text(self.text()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Val::Int(_) | Val::Share(_) => 0,
            Val::Version(_) => 1,
            Val::Sub(..) => 2,
            Val::Bool(_) => 3,
            Val::Cell(_) => 5,
            Val::Text(_) | Val::Project(_) | Val::List(_) | Val::Vendor(_) => 4,
        }
    }

    /// Total order used for sorting and comparisons: numbers numerically,
    /// versions as versions, submissions in corpus order, text case-insensitively,
    /// organisations by their normalised names. An organisation and a text (a
    /// group's `(none)`) compare by the normalised name against the text in
    /// lower case, the organisation first when they are the same: comparing
    /// the organisation's name as written would not be an order
    /// (`(aa) z` < `(none)` < `b` < `(aa) z`, as `(aa) z` is `z`).
    pub fn compare(&self, other: &Val) -> Ordering {
        match (self, other) {
            (Val::Int(a), Val::Int(b)) => a.cmp(b),
            (Val::Share(a), Val::Share(b)) => a.total_cmp(b),
            (Val::Int(a), Val::Share(b)) => (*a as f64).total_cmp(b),
            (Val::Share(a), Val::Int(b)) => a.total_cmp(&(*b as f64)),
            (Val::Version(a), Val::Version(b)) => a.cmp(b),
            (Val::Sub(a, _), Val::Sub(b, _)) => a.cmp(b),
            (Val::Bool(a), Val::Bool(b)) => a.cmp(b),
            (Val::Cell(a), Val::Cell(b)) => a.cmp(b),
            (Val::Vendor(a), Val::Vendor(b)) => vendor_key(a).cmp(&vendor_key(b)),
            (Val::Vendor(a), b) if b.rank() == 4 => vendor_key(a)
                .cmp(&b.text().to_lowercase())
                .then(Ordering::Less),
            (a, Val::Vendor(b)) if a.rank() == 4 => a
                .text()
                .to_lowercase()
                .cmp(&vendor_key(b))
                .then(Ordering::Greater),
            (a, b) if a.rank() == b.rank() => {
                let (x, y) = (a.text(), b.text());
                caseless_cmp(&x, &y).then_with(|| x.cmp(&y))
            }
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }

    /// The key rows are grouped by: the text in lower case, a vendor's
    /// normalised name.
    pub fn key(&self) -> String {
        match self {
            Val::Vendor(v) => vendor_key(v),
            Val::Version(v) => v
                .parts
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join("."),
            other => other.text().to_lowercase(),
        }
    }

    /// Does the text in lower case contain `needle` (lower case)? As
    /// `self.text().to_lowercase().contains(needle)`, without copying an ASCII text.
    pub fn contains_lower(&self, needle: &str) -> bool {
        match self {
            Val::Text(s) | Val::Project(s) | Val::Sub(_, s) | Val::Vendor(s) if s.is_ascii() => {
                needle.is_empty()
                    || (needle.is_ascii()
                        && s.as_bytes()
                            .windows(needle.len())
                            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes())))
            }
            other => other.text().to_lowercase().contains(needle),
        }
    }

    /// Equality as a query means it (case-insensitive text, versions normalised, vendors by their normalised names).
    pub fn same(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Vendor(a), Val::Vendor(b)) => vendor_key(a) == vendor_key(b),
            (Val::Text(a) | Val::Project(a), Val::Text(b) | Val::Project(b)) => {
                a.eq_ignore_ascii_case(b)
            }
            _ => self.compare(other) == Ordering::Equal,
        }
    }
}

/// Appends `items` to `out`, separated by `, ` (as a list's text).
pub fn join_into<'s>(items: impl Iterator<Item = &'s str>, out: &mut String) {
    for (i, t) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(t);
    }
}

/// `x.to_lowercase().cmp(&y.to_lowercase())` without the two strings: rows
/// are sorted by it, 100,000 of them at a time. Only a capital sigma, which
/// lower-cases by its place in a word, takes the allocating path.
fn caseless_cmp(x: &str, y: &str) -> Ordering {
    if x.contains('Σ') || y.contains('Σ') {
        return x.to_lowercase().cmp(&y.to_lowercase());
    }
    x.chars()
        .flat_map(char::to_lowercase)
        .cmp(y.chars().flat_map(char::to_lowercase))
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caseless_order_is_that_of_the_lower_cased_strings() {
        let words = [
            "",
            "a",
            "A",
            "b",
            "Kueue",
            "kueue",
            "KubeRay",
            "kuberay",
            "Straße",
            "STRASSE",
            "İstanbul",
            "istanbul",
            "ΣΊΣΥΦΟΣ",
            "σίσυφος",
            "Ωmega",
            "zeta",
            "Z",
            "é",
            "E",
            "f",
        ];
        for x in words {
            for y in words {
                assert_eq!(
                    caseless_cmp(x, y),
                    x.to_lowercase().cmp(&y.to_lowercase()),
                    "{x:?} {y:?}"
                );
            }
        }
    }

    #[test]
    fn contains_lower_is_contains_of_the_lower_cased_text() {
        let texts = [
            "",
            "OpenShift",
            "openshift 4",
            "Ωmega",
            "ΣΊΣΥΦΟΣ",
            "a-b",
            "NVIDIA GPU",
        ];
        let needles = [
            "",
            "shift",
            "openshift",
            "ωmega",
            "σ",
            "b",
            "a-",
            "nvidia gpu",
            "x",
        ];
        for t in texts {
            for v in [
                Val::Text(t.into()),
                Val::Vendor(t.into()),
                Val::Project(t.into()),
                Val::Sub(1, t.into()),
                Val::List(vec![t.into(), "B".into()]),
            ] {
                for n in needles {
                    assert_eq!(
                        v.contains_lower(n),
                        v.text().to_lowercase().contains(n),
                        "{v:?} {n:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn compare_is_a_total_order() {
        let vals = [
            Val::Vendor("(aa) z".into()),
            Val::Vendor("Z".into()),
            Val::Vendor("b".into()),
            Val::Vendor("Google LLC".into()),
            Val::Vendor("google".into()),
            Val::Vendor("()".into()),
            Val::Text("(none)".into()),
            Val::Text("Google".into()),
            Val::Text("google".into()),
            Val::Text("z".into()),
            Val::Project("B".into()),
            Val::List(vec!["a".into(), "b".into()]),
            Val::Int(3),
            Val::Share(0.5),
            Val::Version(v("1.34")),
            Val::Version(v("v1.34.0")),
            Val::Bool(true),
            Val::Cell(Cell::M),
            Val::Sub(2, "v1.34/x".into()),
        ];
        for a in &vals {
            assert_eq!(a.compare(a), Ordering::Equal, "{a:?}");
            for b in &vals {
                assert_eq!(a.compare(b), b.compare(a).reverse(), "{a:?} {b:?}");
                for c in &vals {
                    if a.compare(b).is_le() && b.compare(c).is_le() {
                        assert!(a.compare(c).is_le(), "{a:?} <= {b:?} <= {c:?}");
                    }
                }
            }
        }
        let mut sorted = vals.to_vec();
        sorted.sort_by(Val::compare);
    }

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn versions_compare_as_versions() {
        assert_eq!(v("1.34"), v("v1.34"));
        assert_eq!(v("1.34"), v("1.34.0"));
        assert!(v("1.9") < v("1.34"));
        assert!(v("v1.33") < v("1.34"));
        assert!(v("1.35") > v("1.34.9"));
        for bad in ["", "v", "1..2", "1.x", "latest", "1.2-rc", "99999999999"] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn vendors_are_one_by_their_normalised_name() {
        let aws = Val::Vendor("Amazon Web Services (AWS)".into());
        assert!(aws.same(&Val::Vendor("Amazon Web Services".into())));
        assert_eq!(aws.key(), "amazon web services");
        assert!(Val::Vendor("Google LLC".into()).same(&Val::Vendor("google".into())));
        assert!(!Val::Vendor("JD.com".into()).same(&Val::Vendor("JD Cloud".into())));
        assert_eq!(
            Val::Version(v("v1.34.0")).key(),
            Val::Version(v("1.34")).key()
        );
    }

    #[test]
    fn text_is_case_insensitive_and_shares_show_as_percent() {
        assert!(Val::Text("Scheduling".into()).same(&Val::Text("scheduling".into())));
        assert_eq!(Val::Share(0.6428).text(), "64%");
        assert_eq!(
            Val::Share(0.125).text(),
            "13%",
            "halves round up, as in the published analysis"
        );
        assert_eq!(Val::Share(0.64285714).cell(), CellValue::Share(0.64285714));
        assert_eq!(
            serde_json::to_string(&Val::Share(0.64285714).cell()).unwrap(),
            "0.6429"
        );
        assert_eq!(
            Val::Share(0.64285714).cell().text(),
            Val::Share(0.64285714).text()
        );
        assert_eq!(Val::Int(3).compare(&Val::Int(12)), Ordering::Less);
    }
}
