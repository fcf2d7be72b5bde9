//! `aiconf matrix`: the project-by-submission matrix per Kubernetes version.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::scan::Keep;
use crate::source::corpus::version_key;
use crate::tables::{self, view};

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Only this Kubernetes version (e.g. v1.34 or 1.34).
    #[arg(long)]
    version: Option<String>,
    /// Leave out projects whose every mention is negated ("X is not used").
    #[arg(long)]
    uses: bool,
    #[arg(long, value_parser = super::choice::<Format>(), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let scan = crate::scan::scan_keeping(a.corpus.open()?.as_ref(), &ctx.rules, Keep::Counts)?;
    let problems = super::report_scan_diagnostics(&scan, false);
    let mut ms = tables::matrices(&scan, &ctx.rules, super::mentions(a.uses));
    if let Some(v) = &a.version {
        let want = version_key(v);
        ms.retain(|m| version_key(&m.version) == want);
        if ms.is_empty() {
            return Err(Diagnostic::error(
                Code::E210,
                v.clone(),
                format!("no submissions for Kubernetes version {v}"),
            )
            .with_help(format!(
                "versions in this corpus: {}",
                scan.kubernetes_versions().join(", ")
            )));
        }
    }
    print!(
        "{}",
        view::matrices_render(&ms, &scan, &ctx.rules, a.format)
    );
    Ok(Done::Ran { problems })
}
