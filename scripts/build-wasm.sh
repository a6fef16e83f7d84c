#!/usr/bin/env bash
# Builds every contract under contracts/ for wasm32, then normalises,
# validates and size-checks them with keel-wasm into target/wasm/.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(scripts/wasm-toolchain.sh | sed 's/^\([A-Z_]*\)=\(.*\)$/\1="\2"/')"
packages=()
for manifest in contracts/*/Cargo.toml; do
    packages+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)")
done

env ${WASM_RUSTC:+RUSTC=$WASM_RUSTC} RUSTC_BOOTSTRAP=1 RUSTFLAGS="$WASM_RUSTFLAGS" \
    CARGO_TARGET_DIR=target/wasm-build \
    "$WASM_CARGO" build --quiet --lib --profile contract --target wasm32-unknown-unknown \
    $WASM_BUILD_STD "${packages[@]}"

built=()
for manifest in contracts/*/Cargo.toml; do
    crate=$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)
    built+=("target/wasm-build/wasm32-unknown-unknown/contract/${crate//-/_}.wasm")
done
cargo run --quiet -p keel-wasm -- pack --out target/wasm "${built[@]}"
