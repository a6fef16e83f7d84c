#!/usr/bin/env bash
# Prints the environment (KEY=VALUE lines) that builds wasm32 contracts here.
#
# Route 1: rustup has the wasm32-unknown-unknown target -> use it as is.
# Route 2: otherwise (rustup cannot download targets on these machines), use
#          Debian's rustc-web/cargo-web/rust-web-src (installed here with apt,
#          idempotently) with -Zbuild-std, linking with the rustup toolchain's
#          rust-lld.
set -euo pipefail

size_flags="-C link-arg=-zstack-size=32768"
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo "WASM_CARGO=cargo"
    echo "WASM_RUSTFLAGS=$size_flags"
    echo "WASM_BUILD_STD="
    exit 0
fi

if ! { [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] && /usr/bin/rustc --print target-list | grep -qx wasm32-unknown-unknown; }; then
    echo "installing Debian's rustc-web toolchain for wasm32 (one time)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq rustc-web cargo-web rust-web-src >&2
fi

lld=$(ls "$(rustc --print sysroot)"/lib/rustlib/*/bin/rust-lld 2>/dev/null | head -1)
[ -n "$lld" ] || lld=$(ls ~/.rustup/toolchains/*/lib/rustlib/*/bin/rust-lld 2>/dev/null | head -1)
[ -n "$lld" ] || { echo "rust-lld not found" >&2; exit 1; }
echo "WASM_CARGO=/usr/bin/cargo"
echo "WASM_RUSTC=/usr/bin/rustc"
echo "WASM_RUSTFLAGS=-C linker=$lld $size_flags -Zunstable-options -Cpanic=immediate-abort"
echo "WASM_BUILD_STD=-Zbuild-std=std,panic_abort"
