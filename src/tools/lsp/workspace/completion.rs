//! Completion: keywords, values of closed vocabularies and of the loaded
//! rules, flags, expected cells and rule ids, by where the cursor is.

use lsp_types::{CompletionItem, CompletionItemKind};

use super::Workspace;
use crate::rules;
use crate::tools::lsp::text::{self, Context};

impl Workspace {
    /// Completion items at `offset`.
    pub fn completion(&mut self, path: &str, offset: usize) -> Vec<CompletionItem> {
        let Some(text) = self.open.get(path).cloned() else {
            return Vec::new();
        };
        let keyword = CompletionItemKind::KEYWORD;
        let value = CompletionItemKind::ENUM_MEMBER;
        match text::context(&text, offset) {
            Context::TopLevel => vec![item(
                "project",
                keyword,
                "project ID \"Display name\" { ... }",
            )],
            Context::Statement => {
                let mut v: Vec<CompletionItem> = rules::META_KEYWORDS
                    .iter()
                    .map(|k| item(k, keyword, "field"))
                    .collect();
                v.extend(
                    rules::PATTERN_KEYWORDS
                        .iter()
                        .map(|k| item(k, keyword, "pattern")),
                );
                v.push(item("not", keyword, "exclusion: a false friend"));
                v.push(item("version", keyword, "version /regex with one group/"));
                v.push(item(
                    "example",
                    keyword,
                    "example \"text\" => M \"1.2\" | X | -",
                ));
                v
            }
            Context::Value(k) => self
                .values(path, &k)
                .iter()
                .map(|v| item(v, value, &k))
                .collect(),
            Context::Flags => rules::FLAG_KEYWORDS
                .iter()
                .map(|f| item(f, keyword, "flag"))
                .collect(),
            Context::Cell => vec![
                item("M \"\"", value, "named with this version"),
                item("X", value, "named"),
                item("-", value, "not named"),
            ],
            Context::Comment => {
                let set = self
                    .analyse(path)
                    .map(|a| a.engine.into_rules())
                    .unwrap_or_default();
                set.rules
                    .iter()
                    .map(|r| item(&r.id, CompletionItemKind::REFERENCE, &r.name))
                    .collect()
            }
            Context::Literal | Context::Other => Vec::new(),
        }
    }

    /// The values a field `k` takes: closed vocabularies, or those the loaded rules use.
    fn values(&mut self, path: &str, k: &str) -> Vec<String> {
        match k {
            "category" => rules::CATEGORIES.iter().map(|c| quoted(c)).collect(),
            "cncf" => rules::CNCF_STATUSES
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| quoted(s))
                .chain(["none".to_string()])
                .collect(),
            "license" | "vendor" => {
                let set = self
                    .analyse(path)
                    .map(|a| a.engine.into_rules())
                    .unwrap_or_default();
                let mut v: Vec<String> = set
                    .rules
                    .iter()
                    .map(|r| {
                        if k == "license" {
                            &r.license
                        } else {
                            &r.vendor
                        }
                    })
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("\"{s}\""))
                    .collect();
                v.sort();
                v.dedup();
                v
            }
            _ => Vec::new(),
        }
    }
}

fn item(label: &str, kind: CompletionItemKind, detail: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        ..CompletionItem::default()
    }
}

/// A value as written in a rule file: bare when it is a word, else quoted.
fn quoted(v: &str) -> String {
    if v.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && v.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        v.to_string()
    } else {
        format!("\"{v}\"")
    }
}
