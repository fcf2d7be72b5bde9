//! [`Values`]: the distinct values of one field, each with the key rows are
//! grouped by, as ids; [`Interner`]: texts as ids.

use std::collections::HashMap;

use crate::query::value::Val;

/// Texts, each given an id (0, 1, ...) the first time it is seen.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    ids: HashMap<String, u32>,
    texts: Vec<String>,
}

/// The key of the group of items without a value.
pub const NONE: &str = "(none)";

impl Interner {
    /// The id of `text`.
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.ids.insert(text.to_string(), id);
        self.texts.push(text.to_string());
        id
    }

    /// The text of `id`.
    pub fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }

    /// The group key of a value as the plain walk makes it (`Val::key`), `None` when the value's
    /// text is empty (such a value is left out of a group; an item with no other is `(none)`).
    pub fn key_of(&mut self, v: &Val) -> Option<u32> {
        (!v.text().is_empty()).then(|| self.id(&v.key()))
    }
}

/// The distinct values of a field, by the text they are read from.
#[derive(Clone, Debug, Default)]
pub struct Values {
    /// Each distinct value, by id.
    pub vals: Vec<Val>,
    /// Each value's group key (an id in `keys`); `None` when its text is empty.
    pub key: Vec<Option<u32>>,
    /// The key texts.
    pub keys: Interner,
    /// The key `(none)`.
    pub none: u32,
    /// Each key's place among the keys ordered by their texts, by key id.
    pub rank: Vec<u32>,
    /// The value of each item (each submission), for the values of a submission field.
    pub of_item: Vec<u32>,
}

/// Collects [`Values`].
pub struct Builder {
    by_text: HashMap<String, u32>,
    values: Values,
}

impl Values {
    /// An empty collection to add values to.
    pub fn builder() -> Builder {
        Builder {
            by_text: HashMap::new(),
            values: Values::default(),
        }
    }

    /// The group key of item `i` (a submission): its value's key, or `(none)`.
    pub fn item_key(&self, i: usize) -> u32 {
        self.key[self.of_item[i] as usize].unwrap_or(self.none)
    }

    /// Whether `test` holds of each value, by id: a condition is tested once per distinct value.
    pub fn each(&self, test: impl Fn(&Val) -> bool) -> Vec<bool> {
        self.vals.iter().map(test).collect()
    }
}

impl Builder {
    /// The id of the value read from `text` (made by `val` the first time).
    pub fn raw(&mut self, text: &str, val: impl FnOnce(&str) -> Val) -> u32 {
        if let Some(&id) = self.by_text.get(text) {
            return id;
        }
        let id = self.values.vals.len() as u32;
        let v = val(text);
        self.values.key.push(self.values.keys.key_of(&v));
        self.values.vals.push(v);
        self.by_text.insert(text.to_string(), id);
        id
    }

    /// Records the value of the next item.
    pub fn item(&mut self, id: u32) {
        self.values.of_item.push(id);
    }

    /// The values collected.
    pub fn finish(mut self) -> Values {
        let v = &mut self.values;
        v.none = v.keys.id(NONE);
        let mut order: Vec<u32> = (0..v.keys.texts.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| v.keys.text(a).cmp(v.keys.text(b)));
        v.rank = vec![0; order.len()];
        order
            .iter()
            .enumerate()
            .for_each(|(r, &id)| v.rank[id as usize] = r as u32);
        self.values
    }
}
