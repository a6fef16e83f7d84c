#!/usr/bin/env bash
# `make stylus-check`: cargo-stylus (crates.io, 0.10.x) against a fresh keel-devnet.
#   1. installs cargo-stylus into tools/cargo-stylus once (~9 minutes to build);
#   2. starts the release keel-devnet on a free port;
#   3. `cargo stylus check` of the test token and the StrategyManager
#      (--wasm-file target/wasm/...), and of the StrategyManager as a project;
#   4. `cargo stylus deploy --no-verify --wasm-file` of the test token (standard
#      deployment transaction + activateProgram, no constructor);
#   5. `cargo stylus deploy --no-verify --contract keel-strategy-manager
#      --constructor-args OWNER` (through the StylusDeployer; cargo-stylus 0.10
#      ignores constructors with --wasm-file, so this goes through the project:
#      cargo-stylus reads the constructor with `cargo run --features export-abi`
#      and its wasm32 build gets our prebuilt WASM from scripts/cargo-stylus-shim);
#   6. `cargo stylus check` and `deploy` of a program above 24 KiB compressed
#      (devnet/examples/large_program.rs): cargo-stylus reads the fragment
#      limit from ArbOwnerPublic, deploys two fragments, then the root, and
#      activates it;
#   7. `cargo stylus cache status`, `suggest-bid` and `bid` of the test token
#      and of the fragmented program through the CacheManager the devnet's
#      `--devnode` start deploys; a second bid must be refused as already cached.
# Not part of `make test` (CI time).
set -euo pipefail
cd "$(dirname "$0")/.."
export KEEL_ROOT=$PWD
version=0.10.10
stylus=tools/cargo-stylus/bin/cargo-stylus
if ! { [ -x "$stylus" ] && "$stylus" stylus --version 2>/dev/null | grep -q "$version"; }; then
    echo "installing cargo-stylus $version into tools/cargo-stylus (one time, ~9 minutes)..." >&2
    nice -n 10 cargo install --locked --root tools/cargo-stylus "cargo-stylus@$version"
fi
for wasm in keel-test-token keel-strategy-manager; do
    [ -f "target/wasm/$wasm.wasm" ] || { echo "target/wasm/$wasm.wasm is missing: run \`make wasm\`" >&2; exit 1; }
done
cargo build --release --quiet -p keel-devnet

# Dev account 0 of the test mnemonic (anvil's too): a public test key.
key=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
owner=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
log=$(mktemp)
"${CARGO_TARGET_DIR:-target}/release/keel-devnet" --port 0 --devnode > "$log" 2>&1 &
node=$!
# cargo-stylus requires a rust-toolchain.toml (a specific channel) by a
# project contract; it exists only during this run.
toolchain=contracts/strategy-manager/rust-toolchain.toml
large=$(mktemp --suffix=.wasm)
trap 'kill $node 2>/dev/null; rm -f "$log" "$toolchain" "$large"' EXIT
for _ in $(seq 100); do
    grep -q '^Listening on' "$log" && break
    sleep 0.1
done
url="http://$(sed -n 's/^Listening on \([^ ]*\).*/\1/p' "$log")"
echo "keel-devnet at $url"
printf '[toolchain]\nchannel = "%s"\n' "$(rustc --version | cut -d' ' -f2)" > "$toolchain"

export KEEL_REAL_CARGO
KEEL_REAL_CARGO=$(command -v cargo)
# Run from a contract's directory: cargo-stylus hashes the project (with its
# rust-toolchain.toml) from the current directory.
stylus() {
    echo "+ cargo stylus $*" >&2
    (cd contracts/strategy-manager && env -u CARGO PATH="$KEEL_ROOT/scripts/cargo-stylus-shim:$PATH" "$KEEL_ROOT/$stylus" stylus "$@")
}
# cargo-stylus's output without its colours.
plain() { sed 's/\x1b\[[0-9;]*m//g'; }
# `cache status` of $1, which must say $2.
cache_status() {
    local status
    status=$(stylus cache status -e "$url" --address "$1" 2>&1 | plain)
    echo "$status" >&2
    grep -q "$2" <<< "$status" || { echo "stylus-check: cache status of $1 does not say $2" >&2; return 1; }
}
# The address in cargo-stylus's deploy output (on standard input); fails without one.
deployed_address() {
    local address
    address=$(plain | sed -n 's/.*deployed code at address: \(0x[0-9a-fA-F]\{40\}\).*/\1/p' | tail -1)
    [ -n "$address" ] || { echo "stylus-check: no deployed address in cargo-stylus's output" >&2; return 1; }
    echo "$address"
}
wasm=$KEEL_ROOT/target/wasm
stylus check -e "$url" --wasm-file "$wasm/keel-test-token.wasm" --wasm-file "$wasm/keel-strategy-manager.wasm"
deployed=$(stylus deploy -e "$url" --no-verify --private-key "$key" --wasm-file "$wasm/keel-test-token.wasm" 2>&1)
echo "$deployed" >&2
token=$(deployed_address <<< "$deployed")
stylus deploy -e "$url" --no-verify --private-key "$key" --contract keel-strategy-manager --constructor-args "$owner"
cargo run --quiet -p keel-devnet --example large_program -- "$large"
stylus check -e "$url" --wasm-file "$large"
deployed=$(stylus deploy -e "$url" --no-verify --private-key "$key" --wasm-file "$large" 2>&1)
echo "$deployed" >&2
fragmented=$(deployed_address <<< "$deployed")
cache_status "$token" "is not yet cached"
stylus cache suggest-bid -e "$url" "$token"
stylus cache bid -e "$url" --private-key "$key" "$token" 0
cache_status "$token" '"is cached"'
stylus cache bid -e "$url" --private-key "$key" "$fragmented" 0
cache_status "$fragmented" '"is cached"'
if stylus cache bid -e "$url" --private-key "$key" "$token" 0; then
    echo "stylus-check: a second bid for a cached program was accepted" >&2
    exit 1
fi
echo "stylus-check: cargo-stylus $version check, deploy (with and without a constructor, and of a fragmented program) and cache (status, suggest-bid, bid) succeeded against keel-devnet"
