//! The other row sources: the matrix, and one row per submission, project or
//! finding (grouped when asked), sorted.

use super::*;

impl<'a> Eval<'a> {
    /// The matrix of the scope: a column per submission, a row per project named.
    pub(super) fn matrix(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
    ) -> (Vec<String>, Vec<Row>) {
        let one_version = scope.windows(2).all(|w| {
            self.scan.submission(w[0]).kubernetes_version
                == self.scan.submission(w[1]).kubernetes_version
        });
        let mut columns = vec![Field::Project.header().to_string()];
        columns.extend(scope.iter().map(|&s| {
            let id = &self.scan.submission(s).id;
            if one_version {
                crate::query::plan::short(id).to_string()
            } else {
                id.clone()
            }
        }));
        let mut column = vec![usize::MAX; self.scan.submissions.len()];
        scope
            .iter()
            .enumerate()
            .for_each(|(i, s)| column[s.0 as usize] = i);
        let mut cells: Vec<Option<Vec<Cell>>> = vec![None; self.rules.rules.len()];
        for f in self.counted(scope, projects) {
            let row =
                cells[f.rule.0 as usize].get_or_insert_with(|| vec![Cell::NotNamed; scope.len()]);
            row[column[f.submission.0 as usize]] = f.cell;
        }
        let mut rows = Vec::new();
        let mut order = self.project_order();
        // Most named in scope first, as `aiconf matrix` orders each version.
        order.sort_by_key(|r| {
            Reverse(cells[r.0 as usize].as_ref().map_or(0, |row| {
                row.iter().filter(|c| **c != Cell::NotNamed).count()
            }))
        });
        for r in order {
            let Some(found) = cells[r.0 as usize].take() else {
                continue;
            };
            let behind = scope
                .iter()
                .zip(&found)
                .filter(|(_, c)| **c != Cell::NotNamed)
                .map(|(&s, _)| (s, r))
                .collect();
            let mut row = vec![Val::Project(self.rules.get(r).name.clone())];
            row.extend(found.into_iter().map(Val::Cell));
            rows.push(Row {
                cells: row,
                behind: Behind::Findings(behind),
            });
        }
        (columns, rows)
    }

    /// Projects by how many submissions of the whole corpus name them (as
    /// [`crate::tables::project_order`]), then rule order.
    pub(super) fn project_order(&self) -> Vec<RuleId> {
        let mut named = vec![0usize; self.rules.rules.len()];
        match self.index {
            Some(index) => self
                .rules
                .ids()
                .for_each(|r| named[r.0 as usize] = index.of_rule(r).len()),
            None => self
                .scan
                .findings
                .iter()
                .for_each(|f| named[f.rule.0 as usize] += 1),
        }
        let mut ids: Vec<RuleId> = self.rules.ids().collect();
        ids.sort_by_key(|r| (Reverse(named[r.0 as usize]), *r));
        ids
    }

    /// The things a `findings`, `submissions` or `projects` query returns, as contexts.
    pub(super) fn items(
        &self,
        source: Rows,
        scope: &[SubmissionId],
        projects: &[RuleId],
    ) -> Vec<Ctx<'a>> {
        match source {
            Rows::Submissions => scope
                .iter()
                .map(|&s| Ctx {
                    sub: Some(s),
                    ..Ctx::default()
                })
                .collect(),
            Rows::Projects => projects
                .iter()
                .map(|&r| Ctx {
                    rule: Some(r),
                    ..Ctx::default()
                })
                .collect(),
            _ => match self.index {
                // The finding's submission and rule from the index, not from the finding.
                Some(index) => self
                    .counted_indices(index, scope, projects)
                    .into_iter()
                    .map(|i| Ctx {
                        sub: Some(index.submission_of(i)),
                        rule: Some(index.rule_of(i)),
                        finding: Some(&self.scan.findings[i]),
                        ..Ctx::default()
                    })
                    .collect(),
                None => self
                    .counted(scope, projects)
                    .into_iter()
                    .map(finding_ctx)
                    .collect(),
            },
        }
    }

    /// The row of project `r` (`projects` rows).
    pub(super) fn project_row(&self, r: RuleId) -> Row {
        let rule = self.rules.get(r);
        Row {
            cells: vec![
                Val::Project(rule.name.clone()),
                Val::Text(rule.id.clone()),
                Val::Text(rule.category.as_str().to_string()),
                Val::Text(rule.cncf.as_str().to_string()),
                Val::Text(rule.vendor.clone()),
                Val::Text(rule.repo.clone()),
                Val::Text(rule.license.clone()),
            ],
            behind: Behind::Rule(r),
        }
    }

    /// `group by` over items: a count per combination of values, most first, then by value.
    pub(super) fn groups(&self, items: &[Ctx<'_>], g: &[Field]) -> Vec<Row> {
        if let Some(rows) = self.groups_typed(items.iter().copied(), g) {
            return rows;
        }
        let mut groups: Vec<(Vec<Val>, usize, Pairs)> = Vec::new();
        let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for c in items {
            for key in self.keys(g, c) {
                let k: Vec<String> = key.iter().map(Val::key).collect();
                let i = *index.entry(k).or_insert_with(|| {
                    groups.push((key, 0, Vec::new()));
                    groups.len() - 1
                });
                groups[i].1 += 1;
                if let (Some(s), Some(r)) = (c.sub, c.rule) {
                    groups[i].2.push((s, r));
                }
            }
        }
        let n = g.len();
        let mut rows: Vec<Row> = groups
            .into_iter()
            .map(|(key, count, pairs)| {
                let mut cells = key;
                cells.push(Val::Int(count as i64));
                Row {
                    cells,
                    behind: if pairs.is_empty() {
                        Behind::Nothing
                    } else {
                        Behind::Findings(pairs)
                    },
                }
            })
            .collect();
        rows.sort_by(|a, b| compare_keys(&a.cells[..n], &b.cells[..n]));
        rows.sort_by(|a, b| b.cells[n].compare(&a.cells[n]));
        rows
    }

    /// Applies `order by` (stable, so ties keep the source's order).
    pub(super) fn sort(&self, rows: &mut Vec<Entry>, columns: &[String]) {
        let at = self.reader();
        for (key, dir) in self.plan.order.iter().rev() {
            let index = match key {
                SortKey::Column(i) => Some(*i),
                SortKey::Submission(s) => {
                    let id = &self.scan.submissions[*s as usize].id;
                    columns
                        .iter()
                        .position(|c| c == id || c == crate::query::plan::short(id))
                        .filter(|_| columns.len() > 1)
                }
            };
            let Some(i) = index else { continue };
            // Each row's value in the column, made once (a row of ids has none of its own).
            let keys: Vec<Option<Cow<'_, Val>>> = rows.iter().map(|r| r.cell(i, at)).collect();
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_by(|&a, &b| {
                let o = match (&keys[a], &keys[b]) {
                    (Some(x), Some(y)) => x.compare(y),
                    _ => std::cmp::Ordering::Equal,
                };
                if *dir == Direction::Desc {
                    o.reverse()
                } else {
                    o
                }
            });
            drop(keys);
            let mut slots: Vec<Option<Entry>> =
                std::mem::take(rows).into_iter().map(Some).collect();
            *rows = order.iter().filter_map(|&k| slots[k].take()).collect();
        }
    }
}
