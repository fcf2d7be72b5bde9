//! `aiconf gen-corpus`: a synthetic corpus for benchmarks.

use std::path::PathBuf;

use super::{Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::source::{corpus::DirSource, synthetic};

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  aiconf gen-corpus --from ../shared/corpus/head-b2c8969 --submissions 5000 --out bench/out/5k"
)]
pub(crate) struct Args {
    /// The real corpus the submissions are made from.
    #[arg(long, value_name = "DIR")]
    from: PathBuf,
    /// How many submissions to write.
    #[arg(long, default_value_t = 1000)]
    submissions: usize,
    /// Where to write them (a new or empty folder, or one gen-corpus wrote before).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The same seed always gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Files other than PRODUCT.yaml are cut to a window of at most this many bytes.
    #[arg(long, default_value_t = 8192)]
    max_file_bytes: usize,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let opts = synthetic::Options {
        submissions: a.submissions,
        seed: a.seed,
        max_file_bytes: a.max_file_bytes,
    };
    let s = synthetic::generate(&DirSource::new(&a.from), ctx.engine.rules(), &opts, &a.out)?;
    println!(
        "{} submissions, {} files, {} bytes of text in {}",
        s.submissions,
        s.files,
        s.bytes,
        a.out.display()
    );
    Ok(Done::Ran { problems: false })
}
