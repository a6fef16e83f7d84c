//! Execution core of Keel's devnet: a local chain that runs the real Stylus
//! WASM of Keel's contracts with [wasmi], the way Arbitrum does.
//!
//! * [`state`]: accounts, storage, logs and activated programs, journaled so a
//!   failed frame rolls back exactly its own changes.
//! * [`program`]: activation checks (keel-wasm decode + validate) and the
//!   compiled-module cache, keyed by code hash.
//! * `host`: the `vm_hooks` host functions with nitro's semantics (per-frame
//!   storage cache flushed explicitly, static-call write protection,
//!   `msg_reentrant`, 63/64 gas forwarding, return data per frame), plus
//!   `exit_early`, transient storage, `math_*` and the `console` debug hooks.
//!   Nested frames recurse on the native stack, so each transaction runs on
//!   its own thread with a deep stack.
//! * [`precompiles`]: `ecrecover` (0x01), ArbSys (0x64: `arbBlockNumber`,
//!   `arbChainID`), ArbWasm (0x71) and the StylusDeployer.
//! * [`create`]: contract creation; init code runs in revm's interpreter
//!   (`evm`), so the standard Stylus deployment transaction and any
//!   self-contained EVM init code work.
//! * [`Chain`]: the API tests and the node drive, with [`Tx`] and [`Receipt`].
//! * [`node`]: the JSON-RPC node (binary `keel-devnet`, or
//!   [`node::spawn`] in-process): automining, dev accounts, signed
//!   transactions, receipts, logs and anvil's test methods.
//!
//! # What is approximate
//! * WASM instructions cost [`gas::INK_PER_FUEL`] ink per wasmi fuel unit
//!   (about one per instruction); nitro prices each opcode separately.
//! * Memory growth costs a flat [`gas::MEMORY_PAGE_GAS`] per page; nitro's
//!   memory model is exponential with free pages; initial pages are free here.
//! * Copies between host and program cost the EVM copy rate.
//! * The activation data fee and gas are linear in the WASM size
//!   ([`program::DATA_FEE_PER_BYTE`]), not nitro's formula.
//! * Gas refunds (SSTORE clears) and L1 data fees are not modelled; account
//!   access, value-transfer and log costs follow the EVM, not nitro's ink.
//! * After a call returns, the caller's storage cache forgets clean slots
//!   (they are re-read, at warm price) so a callee's writes are seen.
//! * [`Tx`] is unsigned (`from` is trusted) and its nonce is checked only
//!   when set; the node checks signatures and always sets the nonce.
//! * Calling a program that was never activated reverts with
//!   `ProgramNotActivated()`; a failed activation reverts with `Error(string)`.
//! * EVM runs only as init code, without calls or nested creations from it
//!   (the creation fails); deployed EVM bytecode is not executed
//!   (`EvmCodeUnsupported`).
//! * The StylusDeployer is native, not nitro's contract: its errors are this
//!   crate's (`ContractDeploymentError`, `ContractInitializationError`,
//!   `ActivationFailed`, `InitValueTooHigh`) and its CREATE nonce starts at 0.

mod chain;
pub mod create;
mod evm;
mod exec;
pub mod gas;
mod host;
pub mod node;
pub mod precompiles;
pub mod program;
pub mod state;
mod tx;

pub use chain::{Chain, Snapshot, BASE_FEE, BLOCK_GAS_LIMIT, COINBASE, GENESIS_TIMESTAMP};
pub use exec::{BlockEnv, CallKind, EvmCodeUnsupported, Message, Outcome, ProgramNotActivated, TxEnv, MAX_CALL_DEPTH};
pub use host::HostTrap;
pub use program::{ActivationError, STYLUS_VERSION};
pub use tx::{DeployError, Receipt, Tx, TxError};
