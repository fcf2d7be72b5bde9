//! `group by` over the index: an item's key is one id per grouped field
//! (from the index for submission fields and project versions, per rule for
//! project fields, by value for cells, `negated` and sections), up to four of
//! them packed in a `u128`, so grouping is integer work. A group's values
//! are made once, from its first item, as the plain walk makes them; its
//! position in the order is decided by those values, with the key texts
//! standing in for vendors' normalised names.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::indexed::cell_index;
use super::*;
use crate::query::field::Entity;
use crate::query::index::{Interner, Values, NONE};

/// The most grouped fields a key packs (32 bits each).
const MAX_FIELDS: usize = 4;

/// How one grouped field's key ids are found for an item.
enum KeyOf<'i> {
    /// A submission field: each submission's key, from the index.
    Sub(&'i Values),
    /// A project field: each rule's keys (ids in the position's interner).
    Rule(Vec<Vec<u32>>),
    /// `-`, `X`, `M`.
    Cell,
    /// false, true, and `(none)` without a finding.
    Negated,
    /// The section's place in `SECTIONS`; `(none)` after them.
    Sections,
    /// The project versions' keys, from the index.
    Versions(&'i Values),
    /// Any other field: the item's values' keys, interned as they come.
    Each(Field),
}

/// The key ids of items for one `group by`.
pub(super) struct Keyer<'i> {
    fields: Vec<Field>,
    of: Vec<KeyOf<'i>>,
    /// The key texts of the positions that intern their own (`Rule`, `Each`).
    texts: Vec<Interner>,
    /// Each position's ids for the current item.
    ids: Vec<Vec<u32>>,
}

/// A fast hash of integer keys (FxHash's multiply-rotate).
#[derive(Default)]
pub(super) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u64(b as u64));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map from packed keys.
pub(super) type KeyMap<V> = HashMap<u128, V, BuildHasherDefault<Fx>>;

/// The id of position `p` in a packed key.
fn id_at(code: u128, p: usize) -> u32 {
    (code >> (32 * p)) as u32
}

impl<'a> Eval<'a> {
    /// The keys of `g` over the index; `None` without one or with more than four fields.
    pub(super) fn keyer(&self, g: &[Field]) -> Option<Keyer<'a>> {
        let index = self.index?;
        if g.len() > MAX_FIELDS {
            return None;
        }
        let mut texts = vec![Interner::default(); g.len()];
        let of = g
            .iter()
            .zip(&mut texts)
            .map(|(&f, texts)| match f.entity() {
                Entity::Submission => index
                    .submission_values(f, self.scan)
                    .map_or(KeyOf::Each(f), KeyOf::Sub),
                Entity::Project => KeyOf::Rule(
                    self.rules
                        .ids()
                        .map(|r| {
                            let ctx = Ctx {
                                rule: Some(r),
                                ..Ctx::default()
                            };
                            let keys = self.group_keys(f, &ctx);
                            keys.iter().map(|v| texts.id(&v.key())).collect()
                        })
                        .collect(),
                ),
                _ => match f {
                    Field::Cell => KeyOf::Cell,
                    Field::Negated => KeyOf::Negated,
                    Field::Section => KeyOf::Sections,
                    Field::Versions => KeyOf::Versions(&index.versions),
                    _ => KeyOf::Each(f),
                },
            })
            .collect();
        Some(Keyer {
            fields: g.to_vec(),
            of,
            texts,
            ids: vec![Vec::new(); g.len()],
        })
    }
}

impl Keyer<'_> {
    /// The packed keys of item `c` at the positions `at` (every combination of their values, in
    /// the order [`Eval::keys`] gives them), into `out`.
    pub(super) fn codes(&mut self, e: &Eval<'_>, c: &Ctx<'_>, at: &[usize], out: &mut Vec<u128>) {
        for &p in at {
            let mut ids = std::mem::take(&mut self.ids[p]);
            ids.clear();
            self.ids_of(e, c, p, &mut ids);
            self.ids[p] = ids;
        }
        out.clear();
        out.push(0);
        for &p in at {
            let ids = &self.ids[p];
            if ids.len() == 1 {
                out.iter_mut()
                    .for_each(|k| *k |= (ids[0] as u128) << (32 * p));
                continue;
            }
            *out = out
                .iter()
                .flat_map(|&k| ids.iter().map(move |&id| k | (id as u128) << (32 * p)))
                .collect();
        }
    }

    /// The ids of position `p`'s values for item `c`, into `ids` (`(none)`'s when it has none).
    fn ids_of(&mut self, e: &Eval<'_>, c: &Ctx<'_>, p: usize, ids: &mut Vec<u32>) {
        let none = SECTIONS_NONE;
        match &self.of[p] {
            KeyOf::Sub(v) => ids.push(c.sub.map_or(v.none, |s| v.item_key(s.0 as usize))),
            KeyOf::Rule(keys) => match c.rule.and_then(|r| keys.get(r.0 as usize)) {
                Some(k) => ids.extend_from_slice(k),
                None => ids.push(self.texts[p].id(NONE)),
            },
            KeyOf::Cell => ids.push(cell_id(e, c)),
            KeyOf::Negated => ids.push(negated_id(e, c)),
            KeyOf::Sections => {
                let bits = c.finding.map_or(0, |f| {
                    e.index.map_or(0, |x| x.sections(finding_index(e.scan, f)))
                });
                ids.extend((0..none).filter(|i| bits & (1 << i) != 0));
                if ids.is_empty() {
                    ids.push(none);
                }
            }
            KeyOf::Versions(v) => {
                if let (Some(f), Some(x)) = (c.finding, e.index) {
                    let raw = x.versions_of(finding_index(e.scan, f));
                    ids.extend(raw.iter().filter_map(|&r| v.key[r as usize]));
                }
                if ids.is_empty() {
                    ids.push(v.none);
                }
            }
            KeyOf::Each(f) => {
                let texts = &mut self.texts[p];
                ids.extend(e.group_keys(*f, c).iter().map(|v| texts.id(&v.key())));
            }
        }
    }

    /// The one packed key of item `c` when every grouped field has one value for it (a field
    /// of the submission or of the project, the cell, `negated`): [`Keyer::codes`] without its
    /// lists, for the hundreds of thousands of findings a `group by` may go through.
    fn single(&self, e: &Eval<'_>, c: &Ctx<'_>) -> Option<u128> {
        let mut code = 0u128;
        for (p, of) in self.of.iter().enumerate() {
            let id = match of {
                KeyOf::Sub(v) => c.sub.map_or(v.none, |s| v.item_key(s.0 as usize)),
                KeyOf::Rule(keys) => match c.rule.and_then(|r| keys.get(r.0 as usize)) {
                    Some(k) if k.len() == 1 => k[0],
                    _ => return None,
                },
                KeyOf::Cell => cell_id(e, c),
                KeyOf::Negated => negated_id(e, c),
                _ => return None,
            };
            code |= (id as u128) << (32 * p);
        }
        Some(code)
    }

    /// The packed keys of item `c` ([`Keyer::codes`] of every position) into `out`.
    fn all_codes(&mut self, e: &Eval<'_>, c: &Ctx<'_>, all: &[usize], out: &mut Vec<u128>) {
        match self.single(e, c) {
            Some(code) => {
                out.clear();
                out.push(code);
            }
            None => self.codes(e, c, all, out),
        }
    }

    /// The values of an item's group made from the index without the plain walk's copies, when
    /// every grouped field is a submission's version, platform or vendor (each has one value),
    /// with room for `more` cells after them.
    fn first_vals(&self, c: &Ctx<'_>, more: usize) -> Option<Vec<Val>> {
        let s = c.sub?.0 as usize;
        let mut vals = Vec::with_capacity(self.of.len() + more);
        for (of, f) in self.of.iter().zip(&self.fields) {
            match of {
                KeyOf::Sub(v) if *f != Field::Submission => {
                    let raw = v.of_item[s] as usize;
                    vals.push(match v.key[raw] {
                        Some(_) => v.vals[raw].clone(),
                        None => Val::Text(NONE.to_string()),
                    })
                }
                _ => return None,
            }
        }
        Some(vals)
    }

    /// The key text of id `id` at position `p`, when the position has texts.
    fn text(&self, p: usize, id: u32) -> Option<&str> {
        match &self.of[p] {
            KeyOf::Sub(v) | KeyOf::Versions(v) => Some(v.keys.text(id)),
            KeyOf::Rule(_) | KeyOf::Each(_) => Some(self.texts[p].text(id)),
            _ => None,
        }
    }

    /// Whether the order of the key texts is that of the values ([`Keyer::compare`]) at every
    /// position: a submission's platform (text, compared without case) or vendor (by its
    /// normalised name), whose keys are those texts in lower case and those names.
    fn ranked(&self) -> bool {
        self.of.iter().zip(&self.fields).all(|(of, f)| {
            matches!(
                (of, f),
                (KeyOf::Sub(_), Field::Platform | Field::SubmissionVendor)
            )
        })
    }

    /// [`Keyer::compare`] of two groups by their packed keys, when [`Keyer::ranked`]: two values
    /// of one key (a platform named `(None)` and the `(none)` of a submission without one) are
    /// ordered by their values, as the walk orders them, before the next field is looked at.
    fn compare_ranks(&self, a: (&[Val], u128), b: (&[Val], u128)) -> Ordering {
        (0..self.fields.len())
            .map(|p| match &self.of[p] {
                KeyOf::Sub(v) => {
                    let (x, y) = (id_at(a.1, p) as usize, id_at(b.1, p) as usize);
                    v.rank[x]
                        .cmp(&v.rank[y])
                        .then_with(|| a.0[p].compare(&b.0[p]))
                }
                _ => Ordering::Equal,
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    /// [`compare_keys`] of two groups' values, vendors compared by their keys' texts (which are
    /// their normalised names; for a submission's vendor, by the texts' order found when the
    /// index was built) instead of normalising both at every comparison.
    pub(super) fn compare(&self, a: (&[Val], u128), b: (&[Val], u128)) -> Ordering {
        (0..self.fields.len())
            .map(|p| match (&a.0[p], &b.0[p]) {
                (Val::Vendor(_), Val::Vendor(_)) => {
                    let (x, y) = (id_at(a.1, p), id_at(b.1, p));
                    match &self.of[p] {
                        KeyOf::Sub(v) => v.rank[x as usize].cmp(&v.rank[y as usize]),
                        _ => self.text(p, x).cmp(&self.text(p, y)),
                    }
                }
                (x, y) => x.compare(y),
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

/// The key id of item `c`'s cell: 0 `-` (also without a finding), 1 `X`, 2 `M`.
fn cell_id(e: &Eval<'_>, c: &Ctx<'_>) -> u32 {
    c.finding.map_or(0, |f| match e.index {
        Some(x) => x.cell_of(finding_index(e.scan, f)) as u32,
        None => cell_index(f.cell) as u32,
    })
}

/// The key id of item `c`'s `negated`: 0 false, 1 true, 2 `(none)` without a finding.
fn negated_id(e: &Eval<'_>, c: &Ctx<'_>) -> u32 {
    c.finding.map_or(2, |f| match e.index {
        Some(x) => x.negated_of(finding_index(e.scan, f)) as u32,
        None => f.negated as u32,
    })
}

/// Whether `pred` tests column `n` of a row and nothing else.
fn of_column(pred: &Pred, n: usize) -> bool {
    match pred {
        Pred::And(a, b) | Pred::Or(a, b) => of_column(a, n) && of_column(b, n),
        Pred::Not(a) => of_column(a, n),
        Pred::Column { index, .. } => *index == n,
        _ => false,
    }
}

/// The id of `(none)` among the sections (after the seven of them).
const SECTIONS_NONE: u32 = crate::scan::section::SECTIONS.len() as u32;

/// The place of `f` in `scan.findings` (it is one of them).
fn finding_index(scan: &Scan, f: &Finding) -> usize {
    let base = scan.findings.as_ptr() as usize;
    let i = (f as *const Finding as usize).wrapping_sub(base) / std::mem::size_of::<Finding>();
    match scan.findings.get(i) {
        Some(g) if std::ptr::eq(g, f) => i,
        _ => scan
            .findings
            .binary_search_by(|g| (g.submission, g.rule).cmp(&(f.submission, f.rule)))
            .unwrap_or(0),
    }
}

impl<'a> Eval<'a> {
    /// `findings ... group by` over the index: the findings that count go to the groups one by
    /// one, made from the index, never all held; `None` when it cannot key `g`.
    pub(super) fn finding_groups(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
        g: &[Field],
    ) -> Option<Vec<Row>> {
        let index = self.index?;
        let scan: &'a Scan = self.scan;
        let at = self.counted_indices(index, scope, projects);
        let items = at.into_iter().map(|i| Ctx {
            sub: Some(index.submission_of(i)),
            rule: Some(index.rule_of(i)),
            finding: Some(&scan.findings[i]),
            ..Ctx::default()
        });
        self.groups_typed(items, g)
    }

    /// [`Eval::groups`] over the index; `None` when it cannot key `g`.
    pub(super) fn groups_typed<'c>(
        &self,
        items: impl Iterator<Item = Ctx<'c>>,
        g: &[Field],
    ) -> Option<Vec<Row>> {
        let mut keyer = self.keyer(g)?;
        let all: Vec<usize> = (0..g.len()).collect();
        let mut index: KeyMap<usize> = KeyMap::default();
        // Each group's key, first item (and the place of the key among that item's), count and
        // findings; its values are made once it is counted, for the groups `having` keeps.
        let mut groups: Vec<(u128, Ctx<'c>, usize, usize, Pairs)> = Vec::new();
        let mut codes = Vec::new();
        for c in items {
            keyer.all_codes(self, &c, &all, &mut codes);
            for (j, &code) in codes.iter().enumerate() {
                let at = if codes.len() == 1 { usize::MAX } else { j };
                let i = *index.entry(code).or_insert_with(|| {
                    groups.push((code, c, at, 0, Vec::new()));
                    groups.len() - 1
                });
                groups[i].3 += 1;
                if let (Some(s), Some(r)) = (c.sub, c.rule) {
                    groups[i].4.push((s, r));
                }
            }
        }
        let n = g.len();
        let mut counted = vec![Val::Int(0); n + 1];
        let groups: Vec<(u128, Vec<Val>, usize, Pairs)> = groups
            .into_iter()
            .filter(|&(_, _, _, count, _)| {
                counted[n] = Val::Int(count as i64);
                self.count_passes(n, &counted)
            })
            .map(|(code, c, at, count, pairs)| {
                let key = match keyer.first_vals(&c, 1) {
                    Some(key) if at == usize::MAX => key,
                    _ => {
                        let j = if at == usize::MAX { 0 } else { at };
                        self.keys(g, &c).get(j).cloned().unwrap_or_default()
                    }
                };
                (code, key, count, pairs)
            })
            .collect();
        let mut rows: Vec<(u128, usize, Row)> = groups
            .into_iter()
            .map(|(code, key, count, pairs)| {
                let mut cells = key;
                cells.push(Val::Int(count as i64));
                let behind = if pairs.is_empty() {
                    Behind::Nothing
                } else {
                    Behind::Findings(pairs)
                };
                (code, count, Row { cells, behind })
            })
            .collect();
        // Largest count first, then by value (one sort: as sorting by value, then stably by
        // count); by the keys' ranks alone when they order the values.
        let ranked = keyer.ranked();
        rows.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| match ranked {
                true => keyer.compare_ranks((&a.2.cells[..n], a.0), (&b.2.cells[..n], b.0)),
                false => keyer.compare((&a.2.cells[..n], a.0), (&b.2.cells[..n], b.0)),
            })
        });
        Some(rows.into_iter().map(|(_, _, r)| r).collect())
    }

    /// Whether a group whose row is `row` (its count at `n`, the rest not made yet) may pass
    /// `having`: not when `having` tests the count alone and fails on it (the others are tested
    /// once the rows are made).
    fn count_passes(&self, n: usize, row: &[Val]) -> bool {
        match &self.plan.rows {
            Some(h) if of_column(&h.pred, n) => self.test(
                &h.pred,
                &Ctx {
                    row: Some(row),
                    ..Ctx::default()
                },
            ),
            _ => true,
        }
    }

    /// [`Eval::adoption_groups`] over the index; `None` when it cannot key `g`.
    pub(super) fn adoption_groups_typed(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
        g: &[Field],
    ) -> Option<Vec<Row>> {
        let mut keyer = self.keyer(g)?;
        let denominator = self.submissions_per_code(&mut keyer, scope, g);
        let sub_mask = g
            .iter()
            .enumerate()
            .filter(|(_, f)| f.entity() == Entity::Submission)
            .fold(0u128, |m, (p, _)| m | (u32::MAX as u128) << (32 * p));
        let mut seen = vec![0u32; self.scan.submissions.len()];
        let mut rows: Vec<(u128, Row)> = Vec::new();
        for (stamp, (code, key, rules, pairs)) in self
            .adoption_group_codes(&mut keyer, scope, projects, g)
            .into_iter()
            .enumerate()
        {
            let stamp = stamp as u32 + 1;
            let mut distinct = 0usize;
            for (s, _) in &pairs {
                if seen[s.0 as usize] != stamp {
                    seen[s.0 as usize] = stamp;
                    distinct += 1;
                }
            }
            let of = denominator.get(&(code & sub_mask)).copied().unwrap_or(0);
            let share = if of == 0 {
                0.0
            } else {
                distinct as f64 / of as f64
            };
            let mut cells = key;
            cells.extend([
                Val::Int(rules.len() as i64),
                Val::Int(distinct as i64),
                Val::Share(share),
            ]);
            let behind = Behind::Findings(pairs);
            rows.push((code, Row { cells, behind }));
        }
        let n = g.len();
        // Most stacks first, then by value (one sort: as sorting by value, then stably by stacks).
        rows.sort_by(|a, b| {
            b.1.cells[n + 1]
                .compare(&a.1.cells[n + 1])
                .then_with(|| keyer.compare((&a.1.cells[..n], a.0), (&b.1.cells[..n], b.0)))
        });
        Some(rows.into_iter().map(|(_, r)| r).collect())
    }

    /// The submissions in scope per packed key of the grouped submission fields.
    fn submissions_per_code(
        &self,
        keyer: &mut Keyer<'_>,
        scope: &[SubmissionId],
        g: &[Field],
    ) -> KeyMap<usize> {
        let at: Vec<usize> = (0..g.len())
            .filter(|&p| g[p].entity() == Entity::Submission)
            .collect();
        let mut denominator: KeyMap<usize> = KeyMap::default();
        let mut codes = Vec::new();
        for &s in scope {
            let ctx = Ctx {
                sub: Some(s),
                ..Ctx::default()
            };
            keyer.codes(self, &ctx, &at, &mut codes);
            codes
                .iter()
                .for_each(|&c| *denominator.entry(c).or_default() += 1);
        }
        denominator
    }

    /// [`Eval::adoption_group_findings`] by packed keys: each group's key, values, projects
    /// and findings, in order of first appearance.
    #[allow(clippy::type_complexity)]
    fn adoption_group_codes(
        &self,
        keyer: &mut Keyer<'_>,
        scope: &[SubmissionId],
        projects: &[RuleId],
        g: &[Field],
    ) -> Vec<(u128, Vec<Val>, Vec<RuleId>, Pairs)> {
        let all: Vec<usize> = (0..g.len()).collect();
        let mut groups: Vec<(u128, Vec<Val>, Vec<RuleId>, Pairs)> = Vec::new();
        let mut index: KeyMap<usize> = KeyMap::default();
        let mut codes = Vec::new();
        for (r, subs, _) in self.adoption_counts(scope, projects) {
            for &s in &subs {
                let ctx = Ctx {
                    sub: Some(s),
                    rule: Some(r),
                    ..Ctx::default()
                };
                keyer.all_codes(self, &ctx, &all, &mut codes);
                let mut vals: Option<Vec<Vec<Val>>> = None;
                for (j, &code) in codes.iter().enumerate() {
                    let i = *index.entry(code).or_insert_with(|| {
                        let key = vals.get_or_insert_with(|| self.keys(g, &ctx)).get(j);
                        groups.push((
                            code,
                            key.cloned().unwrap_or_default(),
                            Vec::new(),
                            Vec::new(),
                        ));
                        groups.len() - 1
                    });
                    if groups[i].2.last() != Some(&r) {
                        groups[i].2.push(r);
                    }
                    groups[i].3.push((s, r));
                }
            }
        }
        groups
    }
}
