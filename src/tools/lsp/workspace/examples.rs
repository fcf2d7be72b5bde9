//! Examples in the editor: a lens above each (passes or fails, and what
//! matched), and the action that adds one from the corpus.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeLens, Command, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::{cache_key, one_rule, Analysis, Workspace};
use crate::rules::{Example, Expect, RuleId};
use crate::scan::finding::Cell;
use crate::tools::check;
use crate::tools::lsp::text;

impl Workspace {
    /// A lens above every example: passes or fails, and what matched.
    pub fn code_lenses(&mut self, path: &str) -> Vec<CodeLens> {
        let Some(a) = self.analyse(path) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (id, rule) in a.own_rules() {
            for ex in &rule.examples {
                let title = example_title(&a, id, ex);
                out.push(CodeLens {
                    range: text::range(&a.text, ex.span.clone()),
                    command: Some(Command {
                        title,
                        command: String::new(),
                        arguments: None,
                    }),
                    data: None,
                });
            }
        }
        out
    }

    /// At a rule: "add an example from the corpus", a new `example` line
    /// with a quote of the corpus that the rule matches and is not yet an
    /// example, expecting what the rule gives for it (so it passes).
    // `WorkspaceEdit::changes` is keyed by `Uri`, whose parsed form caches
    // data in a `Cell`; its hash and equality are of the text only.
    #[allow(clippy::mutable_key_type)]
    pub fn code_actions(&mut self, uri: &Uri, path: &str, offset: usize) -> Vec<CodeAction> {
        let Some(a) = self.analyse(path) else {
            return Vec::new();
        };
        let Some((id, rule)) = a.own_rules().find(|(_, r)| r.span.contains(&offset)) else {
            return Vec::new();
        };
        let Some(corpus) = &self.corpus else {
            return Vec::new();
        };
        let (_, one) = one_rule(&a, id, None);
        let Ok(Some(m)) = corpus.matches(&cache_key(&one), &one) else {
            return Vec::new();
        };
        let Some((q, quote)) = m
            .quotes
            .iter()
            .map(|q| (q, crate::tools::authoring::new_rule::example_text(&q.quote)))
            .find(|(_, t)| !t.is_empty() && !rule.examples.iter().any(|e| &e.text == t))
        else {
            return Vec::new();
        };
        let example = Example {
            text: quote.clone(),
            expect: Expect::X,
            span: 0..0,
        };
        let got = check::run_example(a.engine.rules(), a.engine.matcher(), id, &example);
        let cell = match got.cell {
            Cell::M => format!(
                "M \"{}\"",
                got.versions.first().cloned().unwrap_or_default()
            ),
            c => c.as_str().to_string(),
        };
        let line = format!("  example \"{}\" => {cell}\n", escape(&quote));
        let at = example_insertion(&a.text, rule);
        let pos = text::position(&a.text, at);
        let mut changes = HashMap::new();
        changes.insert(
            uri.clone(),
            vec![TextEdit {
                range: Range::new(pos, pos),
                new_text: line,
            }],
        );
        vec![CodeAction {
            title: format!("add an example from {} ({})", q.submission, q.at),
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        }]
    }
}

/// Where a new example of `rule` goes in `text`: after its last example, else before the
/// rule's closing brace.
fn example_insertion(text: &str, rule: &crate::rules::Rule) -> usize {
    rule.examples
        .last()
        .map(|e| e.span.end)
        .map(|end| text[end..].find('\n').map_or(text.len(), |i| end + i + 1))
        .unwrap_or_else(|| {
            let close = text[..rule.span.end].rfind('}').unwrap_or(rule.span.end);
            text[..close].rfind('\n').map_or(close, |i| i + 1)
        })
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `✓ M "0.14.2": "Kueue" at 1:9` or `✗ expected X, found -`.
fn example_title(a: &Analysis, id: RuleId, ex: &Example) -> String {
    let got = check::run_example(a.engine.rules(), a.engine.matcher(), id, ex);
    let found = match got.cell {
        Cell::M => format!("M \"{}\"", got.versions.join("\", \"")),
        c => c.as_str().to_string(),
    };
    let pass = match &ex.expect {
        Expect::M(v) => got.cell == Cell::M && got.versions.contains(v),
        Expect::X => got.cell == Cell::X,
        Expect::None => got.cell == Cell::NotNamed,
    };
    let what = got.evidence.first().map_or_else(
        || "nothing of this rule matches".to_string(),
        |ev| format!("\"{}\" at {}:{}", ev.text, ev.line, ev.column),
    );
    if pass {
        format!("✓ passes: {found}, {what}")
    } else {
        let expected = match &ex.expect {
            Expect::M(v) => format!("M \"{v}\""),
            Expect::X => "X".into(),
            Expect::None => "-".into(),
        };
        format!("✗ fails: expected {expected}, found {found}, {what}")
    }
}
