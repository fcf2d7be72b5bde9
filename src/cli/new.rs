//! `aiconf new`: a new rule file that passes `check` at once, with examples quoted from the corpus.

use std::path::{Path, PathBuf};

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::{Code, Diagnostic};
use crate::rules;
use crate::tools::authoring::{self, NewRule, NewRuleOptions};
use crate::tools::lsp::{corpus_index::State, CorpusIndex};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf new kuberay --name KubeRay --from-candidate ray-project/kuberay --category \"AI Operator\"\n  aiconf new lws --name LeaderWorkerSet --print"
)]
pub(crate) struct Args {
    /// The rule id, e.g. kuberay (lower case, digits, `-`, `_`).
    id: String,
    /// The display name, e.g. "KubeRay".
    #[arg(long)]
    name: String,
    /// Start from this name of `aiconf candidates` (a repository, chart, image or product name).
    #[arg(long, value_name = "NAME")]
    from_candidate: Option<String>,
    /// The category (default Platform).
    #[arg(long)]
    category: Option<String>,
    /// Where to write (default: ID.rule in --rules DIR, else in ./rules, else here).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print the rule on standard output instead of writing a file.
    #[arg(long)]
    print: bool,
    #[command(flatten)]
    corpus: CorpusArgs,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    // The rules folder, else `rules/` when there is one, else here.
    let dir = ctx.rules_dir.clone().unwrap_or_else(|| {
        let r = PathBuf::from("rules");
        if r.is_dir() {
            r
        } else {
            PathBuf::from(".")
        }
    });
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| dir.join(format!("{}.rule", a.id)));
    if !a.print && out.exists() {
        return Err(Diagnostic::error(
            Code::E031,
            out.display().to_string(),
            "the rule file exists already",
        )
        .with_help("choose another id, or --out FILE"));
    }
    let candidate = match &a.from_candidate {
        Some(c) => {
            let source = a.corpus.open()?;
            Some(authoring::new_rule::find_candidate(
                source.as_ref(),
                &ctx.engine,
                c,
            )?)
        }
        None => None,
    };
    let index = CorpusIndex::spawn(a.corpus.corpus.clone(), a.corpus.rev.clone());
    let others = match &ctx.rules_dir {
        Some(d) => rules::read_rule_files(d)?.0,
        None => rules::builtin_files(),
    };
    let opts = NewRuleOptions {
        id: a.id.clone(),
        name: a.name.clone(),
        category: a.category.clone(),
        candidate,
    };
    let made = authoring::new_rule(&opts, &others, Some(&index))?;
    if let State::Failed(m) = index.state() {
        eprintln!("note: no corpus quotes ({m}); the example is the name itself");
    }
    for d in &made.diagnostics {
        eprint!("{}", d.render(Some(&made.text)));
    }
    if a.print {
        print!("{}", made.text);
    } else {
        write(&made, &out)?;
    }
    Ok(Done::Ran {
        problems: !made.diagnostics.is_empty(),
    })
}

/// Writes the new rule to `out` (E100 when it cannot) and says where its examples come from.
fn write(made: &NewRule, out: &Path) -> Result<(), Diagnostic> {
    std::fs::write(out, &made.text).map_err(|e| {
        Diagnostic::error(
            Code::E100,
            out.display().to_string(),
            format!("cannot write the rule file: {e}"),
        )
    })?;
    println!(
        "wrote {} ({} examples from the corpus)",
        out.display(),
        made.examples_from.len()
    );
    for q in &made.examples_from {
        println!("  {q}");
    }
    Ok(())
}
