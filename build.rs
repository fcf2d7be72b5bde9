//! Embeds every file of `rules/` into the binary, so `aiconf` works without `--rules`.
use std::{env, fs, path::Path};

fn main() {
    // The manifest's folder as cargo gives it to this run, not as it was when
    // the script was compiled: a build script compiled for a clone elsewhere
    // (a shared target folder) must still read this checkout's rules.
    let root = env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&root).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = match fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => panic!("cannot read the built-in rules at {}: {e}", dir.display()),
    };
    files.retain(|p| p.extension().is_some_and(|e| e == "rule"));
    files.sort();
    // A binary without rules would find nothing and say nothing.
    assert!(!files.is_empty(), "no .rule file in {}", dir.display());
    let mut out = String::from("/// The rule files of `rules/`, as (path, text).\npub const BUILTIN_RULES: &[(&str, &str)] = &[\n");
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = format!("rules/{}", p.file_name().unwrap().to_string_lossy());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            p.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(dest, out).unwrap();
}
