#!/usr/bin/env bash
# What the embedded corpus (assets/corpus-223d15f.bin) and its decompressor add to a stripped release
# binary: three builds of a tiny program that (a) includes nothing, (b) includes the asset, (c) includes
# it and inflates it with miniz_oxide, the crate aiconf uses. Prints the three sizes and the differences.
# Usage: bench/embedded-size.sh   (needs network access to crates.io the first time)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src"
cat >"$dir/Cargo.toml" <<TOML
[package]
name = "embedded-size"
version = "0.1.0"
edition = "2021"
[features]
asset = []
inflate = ["asset", "dep:miniz_oxide"]
[dependencies]
miniz_oxide = { version = "0.9", optional = true }
[profile.release]
strip = true
TOML
cat >"$dir/src/main.rs" <<RS
#[cfg(feature = "asset")]
static BLOB: &[u8] = include_bytes!("$root/assets/corpus-223d15f.bin");
#[cfg(not(feature = "asset"))]
static BLOB: &[u8] = b"x";
fn main() {
    let n = std::env::args().count();
    #[cfg(feature = "inflate")]
    println!("{}", miniz_oxide::inflate::decompress_to_vec_zlib(&BLOB[n - 1..]).map_or(0, |v| v.len()));
    #[cfg(not(feature = "inflate"))]
    println!("{}", BLOB[n - 1]);
}
RS
size() { cargo build --quiet --release --manifest-path "$dir/Cargo.toml" "$@" && stat -c %s "$dir/target/release/embedded-size"; }
none=$(size)
asset=$(size --features asset)
both=$(size --features inflate)
echo "nothing embedded:        $none bytes"
echo "asset:                   $asset bytes (+$((asset - none)))"
echo "asset and decompressor:  $both bytes (+$((both - none)))"
