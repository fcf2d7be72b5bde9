//! Adoption: the findings that count, stacks per project (and per group of
//! submissions), and the group keys.

use super::*;

impl<'a> Eval<'a> {
    /// The findings that count: of a submission in scope and a project that passed,
    /// passing the finding tests; in scan order (submission, then project).
    pub(super) fn counted(&self, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<&'a Finding> {
        let scan: &'a Scan = self.scan;
        let at = self.counted_at(scope, projects);
        at.into_iter().map(|i| &scan.findings[i]).collect()
    }

    /// [`Eval::counted`] as indices into the scan's findings.
    pub(super) fn counted_at(&self, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<usize> {
        if let Some(index) = self.index {
            return self.counted_indices(index, scope, projects);
        }
        let mut in_scope = vec![false; self.scan.submissions.len()];
        scope.iter().for_each(|s| in_scope[s.0 as usize] = true);
        let mut project_ok = vec![false; self.rules.rules.len()];
        projects
            .iter()
            .for_each(|r| project_ok[r.0 as usize] = true);
        let scan: &'a Scan = self.scan;
        scan.findings
            .iter()
            .enumerate()
            .filter(|(_, f)| in_scope[f.submission.0 as usize] && project_ok[f.rule.0 as usize])
            .filter(|(_, f)| self.all(&self.plan.findings, &finding_ctx(f)))
            .map(|(i, _)| i)
            .collect()
    }

    /// Per-project stacks in scope, after the count tests; most stacks first.
    pub(super) fn adoption_counts(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
    ) -> Vec<(RuleId, Vec<SubmissionId>, f64)> {
        let mut stacks: Vec<Vec<SubmissionId>> = vec![Vec::new(); self.rules.rules.len()];
        match self.index {
            Some(index) => self
                .counted_indices(index, scope, projects)
                .into_iter()
                .for_each(|i| stacks[index.rule_of(i).0 as usize].push(index.submission_of(i))),
            None => self
                .counted(scope, projects)
                .into_iter()
                .for_each(|f| stacks[f.rule.0 as usize].push(f.submission)),
        }
        let mut out = Vec::new();
        for &r in projects {
            let subs = std::mem::take(&mut stacks[r.0 as usize]);
            let share = if scope.is_empty() {
                0.0
            } else {
                subs.len() as f64 / scope.len() as f64
            };
            let ctx = Ctx {
                rule: Some(r),
                counts: Some((subs.len(), share)),
                ..Ctx::default()
            };
            let keep = if self.plan.having.is_empty() {
                !subs.is_empty()
            } else {
                self.all(&self.plan.having, &ctx)
            };
            if keep {
                out.push((r, subs, share));
            }
        }
        out.sort_by_key(|(r, subs, _)| (Reverse(subs.len()), *r));
        out
    }

    pub(super) fn adoption(&self, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<Row> {
        self.adoption_counts(scope, projects)
            .into_iter()
            .map(|(r, subs, share)| {
                let rule = self.rules.get(r);
                Row {
                    cells: vec![
                        Val::Project(rule.name.clone()),
                        Val::Int(subs.len() as i64),
                        Val::Share(share),
                        Val::Text(rule.category.as_str().to_string()),
                        Val::Text(rule.cncf.as_str().to_string()),
                        Val::Text(rule.vendor.clone()),
                    ],
                    behind: Behind::Findings(subs.into_iter().map(|s| (s, r)).collect()),
                }
            })
            .collect()
    }

    /// `adoption ... group by FIELD, ...`: per combination of values, the
    /// projects named, the distinct submissions naming any (stacks) and the
    /// share of the submissions in scope with the same values of the
    /// grouped submission fields (all in scope when none is grouped).
    pub(super) fn adoption_groups(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
        g: &[Field],
    ) -> Vec<Row> {
        if let Some(rows) = self.adoption_groups_typed(scope, projects, g) {
            return rows;
        }
        let denominator = self.submissions_per_key(scope, g);
        let mut rows: Vec<Row> = self
            .adoption_group_findings(scope, projects, g)
            .into_iter()
            .map(|(key, rules, pairs)| {
                let mut distinct: Vec<SubmissionId> = pairs.iter().map(|p| p.0).collect();
                distinct.sort();
                distinct.dedup();
                let of = denominator
                    .get(&submission_key(g, &key))
                    .copied()
                    .unwrap_or(0);
                let share = if of == 0 {
                    0.0
                } else {
                    distinct.len() as f64 / of as f64
                };
                let mut cells = key;
                cells.extend([
                    Val::Int(rules.len() as i64),
                    Val::Int(distinct.len() as i64),
                    Val::Share(share),
                ]);
                Row {
                    cells,
                    behind: Behind::Findings(pairs),
                }
            })
            .collect();
        let n = g.len();
        rows.sort_by(|a, b| compare_keys(&a.cells[..n], &b.cells[..n]));
        rows.sort_by(|a, b| b.cells[n + 1].compare(&a.cells[n + 1]));
        rows
    }

    /// The submissions in scope per value of the grouped submission fields of `g` (one key,
    /// every submission, when none is grouped): a group's share is over these.
    fn submissions_per_key(
        &self,
        scope: &[SubmissionId],
        g: &[Field],
    ) -> BTreeMap<Vec<String>, usize> {
        let sub_fields: Vec<Field> = g.iter().copied().filter(is_of_submission).collect();
        let mut denominator: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for &s in scope {
            let ctx = Ctx {
                sub: Some(s),
                ..Ctx::default()
            };
            for key in self.keys(&sub_fields, &ctx) {
                let k: Vec<String> = key.iter().map(Val::key).collect();
                *denominator.entry(k).or_default() += 1;
            }
        }
        denominator
    }

    /// The (submission, project) findings of `projects` in `scope` by their values of `g`, in
    /// order of first appearance: each group's key, its projects and its findings.
    fn adoption_group_findings(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
        g: &[Field],
    ) -> Vec<(Vec<Val>, Vec<RuleId>, Pairs)> {
        let mut groups: Vec<(Vec<Val>, Vec<RuleId>, Pairs)> = Vec::new();
        let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for (r, subs, _) in self.adoption_counts(scope, projects) {
            for &s in &subs {
                let ctx = Ctx {
                    sub: Some(s),
                    rule: Some(r),
                    ..Ctx::default()
                };
                for key in self.keys(g, &ctx) {
                    let k: Vec<String> = key.iter().map(Val::key).collect();
                    let i = *index.entry(k).or_insert_with(|| {
                        groups.push((key, Vec::new(), Vec::new()));
                        groups.len() - 1
                    });
                    if groups[i].1.last() != Some(&r) {
                        groups[i].1.push(r);
                    }
                    groups[i].2.push((s, r));
                }
            }
        }
        groups
    }

    /// The group keys of an item: its values of `g`, or `(none)`.
    pub(super) fn group_keys(&self, g: Field, ctx: &Ctx<'_>) -> Vec<Val> {
        let mut keys = self.values(g, ctx);
        keys.retain(|v| !v.text().is_empty());
        if keys.is_empty() {
            keys.push(Val::Text("(none)".to_string()));
        }
        keys
    }

    /// Every combination of the values of `fields` in `ctx` (one per field; `(none)` when it has none).
    pub(super) fn keys(&self, fields: &[Field], ctx: &Ctx<'_>) -> Vec<Vec<Val>> {
        let mut out: Vec<Vec<Val>> = vec![Vec::new()];
        for &f in fields {
            let vals = self.group_keys(f, ctx);
            out = out
                .into_iter()
                .flat_map(|k| {
                    vals.iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.clone());
                        k
                    })
                })
                .collect();
        }
        out
    }
}

/// Whether `f` is a field of the submission (not of the project or the finding).
fn is_of_submission(f: &Field) -> bool {
    f.entity() == crate::query::field::Entity::Submission
}

/// The values of a group's key that belong to grouped submission fields, as keys.
fn submission_key(g: &[Field], key: &[Val]) -> Vec<String> {
    key.iter()
        .zip(g)
        .filter(|(_, f)| is_of_submission(f))
        .map(|(v, _)| v.key())
        .collect()
}
