//! The plan's filters over an [`Index`]: a condition of the submission as
//! the set of submissions passing it (each distinct version, platform or
//! vendor tested once; `uses` from the lists of who uses what), and the
//! finding tests compiled to lookups by cell, sections, versions, submission
//! and rule, so the findings that count are found without testing each
//! finding's strings.

use super::*;
use crate::query::field::Entity;
use crate::query::index::{section_names, Bits, Index};

/// The submissions a condition of the submission holds of (as `holds(pred, .., Some(s), None)`).
pub fn passing(pred: &Pred, scan: &Scan, rules: &RuleSet, index: &Index) -> Bits {
    let n = scan.submissions.len();
    match pred {
        Pred::And(a, b) | Pred::Or(a, b) => {
            let mut x = passing(a, scan, rules, index);
            let y = passing(b, scan, rules, index);
            match pred {
                Pred::And(..) => x.and(&y),
                _ => x.or(&y),
            }
            x
        }
        Pred::Not(a) => {
            let mut x = passing(a, scan, rules, index);
            x.not();
            x
        }
        Pred::Uses(rs) => Bits::of(n, rs.iter().flat_map(|&r| index.using(r).iter().copied())),
        Pred::Test { field, cond } if *field != Field::Submission => {
            match index.submission_values(*field, scan) {
                Some(values) => {
                    let ok = values.each(|v| satisfies(cond, std::slice::from_ref(v)));
                    Bits::from_fn(n, |s| ok[values.of_item[s] as usize])
                }
                None => each_submission(pred, scan, rules),
            }
        }
        _ => each_submission(pred, scan, rules),
    }
}

/// `pred` tested of each submission in turn.
fn each_submission(pred: &Pred, scan: &Scan, rules: &RuleSet) -> Bits {
    Bits::from_fn(scan.submissions.len(), |s| {
        holds(pred, scan, rules, Some(SubmissionId(s as u32)), None)
    })
}

/// A finding test made into lookups: what it says of a finding, without its strings.
enum Check {
    /// A test of the submission: the submissions passing it.
    Sub(Bits),
    /// A test of the project: by rule.
    Rule(Vec<bool>),
    /// By cell (`-`, `X`, `M`).
    Cell([bool; 3]),
    /// By `negated`.
    Negated([bool; 2]),
    /// By the finding's sections, as bits.
    Sections(Vec<bool>),
    /// By each of the finding's versions (ids in the index): passes when one does.
    Versions(Vec<bool>),
    /// Tested of the finding itself (`mentions`, `file`).
    Each(Pred),
    And(Box<Check>, Box<Check>),
    Or(Box<Check>, Box<Check>),
    Not(Box<Check>),
}

/// A cell's place: `-`, `X`, `M`.
pub fn cell_index(c: Cell) -> usize {
    match c {
        Cell::NotNamed => 0,
        Cell::X => 1,
        Cell::M => 2,
    }
}

impl<'a> Eval<'a> {
    /// `pred` (a finding test) as lookups.
    fn check(&self, pred: &Pred, index: &Index) -> Check {
        let sat = |cond: &Cond, v: Val| satisfies(cond, &[v]);
        let ents = pred.entities();
        match pred {
            Pred::And(a, b) => Check::And(
                Box::new(self.check(a, index)),
                Box::new(self.check(b, index)),
            ),
            Pred::Or(a, b) => Check::Or(
                Box::new(self.check(a, index)),
                Box::new(self.check(b, index)),
            ),
            Pred::Not(a) => Check::Not(Box::new(self.check(a, index))),
            _ if ents.len() == 1 && ents.contains(&Entity::Submission) => {
                Check::Sub(passing(pred, self.scan, self.rules, index))
            }
            _ if ents.len() == 1 && ents.contains(&Entity::Project) => Check::Rule(
                self.rules
                    .ids()
                    .map(|r| holds(pred, self.scan, self.rules, None, Some(r)))
                    .collect(),
            ),
            Pred::Test { field, cond } => match field {
                Field::Cell => {
                    Check::Cell([Cell::NotNamed, Cell::X, Cell::M].map(|c| sat(cond, Val::Cell(c))))
                }
                Field::Negated => Check::Negated([false, true].map(|b| sat(cond, Val::Bool(b)))),
                Field::Section => Check::Sections(
                    (0..=u8::MAX)
                        .map(|bits| {
                            let names: Vec<Val> = section_names(bits)
                                .map(|s| Val::Text(s.to_string()))
                                .collect();
                            satisfies(cond, &names)
                        })
                        .collect(),
                ),
                Field::Versions => Check::Versions(
                    index
                        .versions
                        .each(|v| satisfies(cond, std::slice::from_ref(v))),
                ),
                _ => Check::Each(pred.clone()),
            },
            _ => Check::Each(pred.clone()),
        }
    }

    /// Does `check` pass finding `i`? Read from the index, the finding itself only for `Each`.
    fn passes(&self, check: &Check, index: &Index, i: usize) -> bool {
        match check {
            Check::Sub(b) => b.get(index.submission_of(i).0 as usize),
            Check::Rule(ok) => ok
                .get(index.rule_of(i).0 as usize)
                .copied()
                .unwrap_or(false),
            Check::Cell(ok) => ok[index.cell_of(i)],
            Check::Negated(ok) => ok[index.negated_of(i) as usize],
            Check::Sections(ok) => ok[index.sections(i) as usize],
            Check::Versions(ok) => index.versions_of(i).iter().any(|&v| ok[v as usize]),
            Check::Each(p) => self.test(p, &finding_ctx(&self.scan.findings[i])),
            Check::And(a, b) => self.passes(a, index, i) && self.passes(b, index, i),
            Check::Or(a, b) => self.passes(a, index, i) || self.passes(b, index, i),
            Check::Not(a) => !self.passes(a, index, i),
        }
    }

    /// The submissions the plan's scope tests keep, in corpus order.
    pub(super) fn scope_indexed(&self, index: &Index) -> Vec<SubmissionId> {
        let mut keep = Bits::from_fn(self.scan.submissions.len(), |_| true);
        for p in &self.plan.scope {
            keep.and(&passing(&p.pred, self.scan, self.rules, index));
        }
        keep.iter().map(|s| SubmissionId(s as u32)).collect()
    }

    /// [`Eval::counted`] over the index, as indices into the scan's findings: those of the
    /// submissions in scope or of the projects kept, whichever are fewer, then the finding tests
    /// as lookups; in scan order.
    pub(super) fn counted_indices(
        &self,
        index: &Index,
        scope: &[SubmissionId],
        projects: &[RuleId],
    ) -> Vec<usize> {
        let in_scope = Bits::of(self.scan.submissions.len(), scope.iter().map(|s| s.0));
        let mut project_ok = vec![false; self.rules.rules.len()];
        projects
            .iter()
            .for_each(|r| project_ok[r.0 as usize] = true);
        let by_sub: usize = scope.iter().map(|&s| index.of_submission(s).len()).sum();
        let by_rule: usize = projects.iter().map(|&r| index.of_rule(r).len()).sum();
        let mut candidates: Vec<usize> = if by_rule < by_sub {
            let mut v: Vec<usize> = projects
                .iter()
                .flat_map(|&r| index.of_rule(r).iter().map(|&i| i as usize))
                .filter(|&i| in_scope.get(index.submission_of(i).0 as usize))
                .collect();
            v.sort_unstable();
            v
        } else {
            scope
                .iter()
                .flat_map(|&s| index.of_submission(s))
                .filter(|&i| {
                    let r = index.rule_of(i).0 as usize;
                    project_ok.get(r).copied().unwrap_or(false)
                })
                .collect()
        };
        let checks: Vec<Check> = self
            .plan
            .findings
            .iter()
            .map(|p| self.check(&p.pred, index))
            .collect();
        candidates.retain(|&i| checks.iter().all(|c| self.passes(c, index, i)));
        candidates
    }
}
