#!/usr/bin/env bash
# Builds every contract under contracts/ for wasm32, then normalises,
# validates and size-checks them with keel-wasm into target/wasm/.
# Binaryen's wasm-opt (-Oz, Arbitrum's feature set) shrinks each module
# between two keel-wasm passes; apt installs it if it is missing. Function
# names survive until the last pass, which strips every custom section from
# target/wasm (what is deployed) and keeps a named copy of each module in
# target/wasm-names (what `keel profile` and the devnet's profiler read).
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(scripts/wasm-toolchain.sh | sed 's/^\([A-Z_]*\)=\(.*\)$/\1="\2"/')"
packages=()
built=()
for manifest in contracts/*/Cargo.toml; do
    crate=$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)
    packages+=(-p "$crate")
    built+=("target/wasm-build/wasm32-unknown-unknown/contract/${crate//-/_}.wasm")
done

env ${WASM_RUSTC:+RUSTC=$WASM_RUSTC} RUSTC_BOOTSTRAP=1 RUSTFLAGS="$WASM_RUSTFLAGS" \
    CARGO_TARGET_DIR=target/wasm-build \
    "$WASM_CARGO" build --quiet --lib --profile contract --target wasm32-unknown-unknown \
    $WASM_BUILD_STD "${packages[@]}"

if ! command -v wasm-opt >/dev/null; then
    echo "installing binaryen (wasm-opt) with apt (one time)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binaryen >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binaryen >&2; }
fi
rm -rf target/wasm-unopt target/wasm-opt target/wasm-names
cargo run --quiet -p keel-wasm -- pack --no-size-limit --out target/wasm-unopt "${built[@]}" > /dev/null
optimized=()
mkdir -p target/wasm-opt
for module in target/wasm-unopt/*.wasm; do
    out="target/wasm-opt/$(basename "$module")"
    wasm-opt -Oz -g --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
        --enable-nontrapping-float-to-int --strip-dwarf --strip-producers "$module" -o "$out"
    optimized+=("$out")
done
cargo run --quiet -p keel-wasm -- pack --names target/wasm-names --out target/wasm "${optimized[@]}"
