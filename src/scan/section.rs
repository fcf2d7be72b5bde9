//! The checklist's sections (`spec.schedulingOrchestration[0].notes` is in
//! `schedulingOrchestration`) and the set of them a finding's kept evidence
//! is in, worked out once when the finding is built rather than from its
//! evidence by every query that asks.

/// The checklist's sections, in checklist order.
pub const SECTIONS: &[&str] = &[
    "accelerators",
    "networking",
    "schedulingOrchestration",
    "observability",
    "security",
    "operator",
    "metadata",
];

/// The place in [`SECTIONS`] of the section a field path is in:
/// `spec.schedulingOrchestration[0].notes` -> `schedulingOrchestration`; `metadata.x` -> `metadata`.
fn section_index(field: &str) -> Option<usize> {
    let mut parts = field.split('.');
    let head = parts.next()?;
    let name = if head == "spec" { parts.next()? } else { head };
    let name = name.split('[').next()?;
    SECTIONS.iter().position(|s| *s == name)
}

/// A set of [`SECTIONS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sections(u8);

impl Sections {
    /// Adds the section `field` is in, if it is in one.
    pub fn add_field(&mut self, field: &str) {
        if let Some(i) = section_index(field) {
            self.0 |= 1 << i;
        }
    }

    /// The sections in the set, in checklist order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        SECTIONS
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_of_a_field_path() {
        let of = |f: &str| section_index(f).map(|i| SECTIONS[i]);
        assert_eq!(
            of("spec.schedulingOrchestration[0].notes"),
            Some("schedulingOrchestration")
        );
        assert_eq!(of("metadata.description"), Some("metadata"));
        assert_eq!(of("spec.other[0]"), None);
    }

    #[test]
    fn a_set_names_its_sections_once_in_checklist_order() {
        let mut s = Sections::default();
        for f in [
            "spec.security[1].notes",
            "spec.accelerators[0].evidence[2]",
            "spec.security[0].notes",
            "spec.unknown[0]",
            "metadata.description",
        ] {
            s.add_field(f);
        }
        assert_eq!(
            s.names().collect::<Vec<_>>(),
            ["accelerators", "security", "metadata"]
        );
        assert_eq!(Sections::default().names().count(), 0);
    }
}
