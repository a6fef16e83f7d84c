# Keel: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help demo app app-build app-test browser test wasm abi check-abi lint unit tools devnet bench-devnet stylus-check campaign bench solc-fixtures check-solc-fixtures

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

demo: wasm ## Main job: embedded devnet + deploy + the restaking story, every figure checked
	cargo run --quiet -p keel-cli -- demo

app: wasm app-build ## Devnet + Keel + the demo's story, and the web app served on http://127.0.0.1:8080 until stopped
	cargo run --quiet -p keel-cli -- app --devnet

test: wasm check-abi check-solc-fixtures lint unit app-test ## Everything CI runs: WASM build + size limits, ABI and Solidity-fixture sync, clippy, all tests, the browser test

wasm: ## Build every contract to deployable WASM in target/wasm and print the size table
	scripts/build-wasm.sh

devnet: ## Run the local Stylus chain's JSON-RPC node on 127.0.0.1:8547 (ARGS="--state chain.json ...")
	cargo run --release -p keel-devnet -- $(ARGS)

tools: ## Install the node tools (solc, foundry's cast and anvil) into tools/node_modules
tools: tools/node_modules/.package-lock.json
tools/node_modules/.package-lock.json: tools/package.json tools/package-lock.json
	npm ci --prefix tools --silent --no-audit --no-fund

app-build: app/node_modules/.package-lock.json ## Type-check and bundle the web app into app/dist
	npm run --prefix app --silent check
	node app/build.mjs
app/node_modules/.package-lock.json: app/package.json app/package-lock.json
	npm ci --prefix app --silent --no-audit --no-fund

browser: ## Install headless Chromium from Debian's packages (one time) for the browser test
	scripts/browser.sh

app-test: wasm app-build browser ## The web app's unit tests, then the app in headless Chromium against a devnet
	node --test app/test/unit.mjs
	cargo build --quiet -p keel-cli
	KEEL_BIN="$${CARGO_TARGET_DIR:-target}/debug/keel" node app/test/browser.mjs

abi: tools ## Regenerate abi/*.sol and abi/*.json from the code
	python3 scripts/abi.py

check-abi: tools ## Fail if abi/ differs from the code
	python3 scripts/abi.py --check

solc-fixtures: tools ## Recompile devnet/tests/solidity/*.sol into the committed JSON fixtures
	node scripts/solc-fixtures.js

check-solc-fixtures: tools ## Fail if the compiled Solidity fixtures differ from their sources
	node scripts/solc-fixtures.js --check

lint: ## rustfmt (rustfmt.toml), then clippy and the workspace lints (docs, unsafe, qualifications) over every crate, warnings as errors
	cargo fmt --all --check
	cargo clippy --workspace --tests -- -D warnings

unit: ## Unit, property and multi-contract tests of the whole workspace
	cargo test --workspace

bench-devnet: wasm tools ## Benchmark keel-devnet (release) against anvil: startup, calls/s, transactions/s
	cargo build --release -p keel-devnet
	cargo bench -p keel-devnet --bench rpc

stylus-check: wasm ## cargo-stylus 0.10 (installed once into tools/cargo-stylus) check + deploy against a fresh devnet; not in `make test`
	scripts/stylus-check.sh

campaign: ## Long invariant campaign: ACTIONS (default 1,000,000) random actions, release build; SEED, EPISODE optional
	cargo run --release -p keel-campaign -- $(or $(ACTIONS),1000000) $(or $(SEED),1) $(or $(EPISODE),500)

bench: wasm ## Gas per operation and scale curves from devnet receipts; regenerates BENCHMARKS.md (BENCH_STAKERS=10000)
	cargo test -p keel-e2e --test benchmarks -- --ignored --nocapture
