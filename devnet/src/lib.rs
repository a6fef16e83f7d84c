//! Execution core of Keel's devnet: a local chain that runs the real Stylus
//! WASM of Keel's contracts with [wasmi], the way Arbitrum does.
//!
//! * [`state`]: accounts, storage, logs and activated programs, journaled so a
//!   failed frame rolls back exactly its own changes.
//! * [`program`]: activation checks (keel-wasm decode + validate), nitro's
//!   instrumentation and the compiled-module cache, keyed by code hash; a
//!   multi-fragment program (ArbOS 60: a root naming fragment contracts) is
//!   reassembled from its fragments, within ArbOS's fragment limit, as nitro does.
//! * [`meter`]: Stylus gas as nitro charges it: the ink meter added to each
//!   module (pricing_v1 per basic block, bulk-memory bytes, stack depth),
//!   program entry costs (cached / init), the memory model, host-I/O prices,
//!   activation gas and data fee (README: a table of each rule and its source).
//! * [`arbos`]: ArbOS's chain parameters (chain owners, fragment limit, L1
//!   price, ...) in the ArbOS state account's storage.
//! * `host`: the `vm_hooks` host functions with nitro's semantics (per-frame
//!   storage cache flushed explicitly, static-call write protection,
//!   `msg_reentrant`, 63/64 gas forwarding, return data per frame), plus
//!   `exit_early`, transient storage, `math_*` and the `console` debug hooks.
//!   Nested frames recurse on the native stack, so each transaction runs on
//!   its own thread with a deep stack.
//! * `evm`: EVM bytecode (deployed code of non-Stylus accounts, and init
//!   code) in revm's interpreter; its calls and creations run through the same
//!   dispatcher as Stylus', so calls cross both ways in one call stack and
//!   one journal.
//! * [`precompiles`]: `ecrecover` (0x01, native), revm's sha256, ripemd160,
//!   identity, modexp, bn254 add/mul/pairing, blake2f and KZG point evaluation
//!   (0x02–0x0a) and P256VERIFY (0x100, RIP-7212), and natively ArbSys (0x64:
//!   `arbBlockNumber`, `arbChainID`, `arbOSVersion`), ArbOwnerPublic (0x6b),
//!   ArbGasInfo (0x6c), ArbOwner (0x70, chain owners only), ArbWasm (0x71),
//!   ArbDebug (0xff: `becomeChainOwner`) and the StylusDeployer.
//! * [`create`]: contract creation (CREATE/CREATE2 from transactions, Stylus,
//!   EVM code and the StylusDeployer).
//! * [`Chain`]: the API tests and the node drive, with [`Tx`] and [`Receipt`];
//!   [`ChainView`]: its committed state shared immutably, on which calls run
//!   from many threads at once (the node's reads).
//! * [`node`]: the JSON-RPC node (binary `keel-devnet`, or
//!   [`node::spawn`] in-process): automining, dev accounts, signed
//!   transactions, receipts, logs and anvil's test methods.
//!
//! # What is approximate
//! * Stylus metering follows nitro ([`meter`]); what remains approximate is
//!   listed in the README's metering table (e.g. wasmi's own call-depth limit
//!   may trap before nitro's stack-depth check in deep recursion).
//! * L1 poster gas is charged when the node sets [`Tx::poster_gas`]
//!   (`--l1-price-per-unit`, see [`node::l1`]).
//! * A Stylus frame ends as nitro's (`stylus_exit`): a trap reverts without
//!   data and keeps its unused gas; out of ink or stack consume it all.
//!   [`trace`] reports frames and host calls to an optional tracer.
//! * After a call returns, the caller's storage cache forgets clean slots
//!   (they are re-read, at warm price) so a callee's writes are seen.
//! * [`Tx`] is unsigned (`from` is trusted) and its nonce is checked only
//!   when set; the node checks signatures and always sets the nonce.
//! * Calling a program that cannot run reverts with ArbWasm's errors, as on
//!   Arbitrum: `ProgramNotActivated()`, `ProgramNeedsUpgrade(uint16,uint16)`,
//!   or `ProgramExpired(uint64)` once expired. Programs expire only when
//!   asked ([`Chain::set_program_expiry_days`], `--program-expiry-days`;
//!   Arbitrum: [`precompiles::EXPIRY_DAYS`]), so that tests travelling a year
//!   keep working; re-activation restarts the clock; `codehashKeepalive` is
//!   not provided. Activating non-Stylus code reverts with `ProgramNotWasm()`;
//!   invalid WASM with `Error(string)` (nitro reports its own message).
//! * Fees: the base fee is fixed at [`BASE_FEE`] (0.1 gwei, the minimum of
//!   Arbitrum One and of nitro's devnode; it does not rise with congestion).
//!   As on Arbitrum the tip is dropped: every transaction pays exactly gas
//!   used × base fee. The whole fee goes to [`COINBASE`]: Arbitrum splits it
//!   between the network fee account and the L1 poster.
//! * EVM code is metered by revm with Cancun's gas table and a Stylus frame
//!   it calls in ink as nitro does; SSTORE refunds of both kinds of frame are
//!   credited (EIP-3529, capped at a fifth). SELFDESTRUCT moves the balance but never
//!   deletes the account (EIP-6780's same-transaction case is not modelled);
//!   BLOCKHASH is keccak256 of the block number; PREVRANDAO and DIFFICULTY are
//!   1; blob opcodes see no blobs.
//! * A failed CREATE from EVM code exposes this crate's creation errors
//!   (`CreateCollision`, ...) as return data where the EVM has none.
//! * The StylusDeployer is native, not nitro's contract: its errors are this
//!   crate's (`ContractDeploymentError`, `ContractInitializationError`,
//!   `ActivationFailed`, `InitValueTooHigh`) and its CREATE nonce starts at 0.

pub mod arbos;
mod chain;
pub mod create;
mod evm;
mod exec;
pub mod gas;
mod halt;
mod host;
pub mod meter;
pub mod node;
pub mod precompiles;
pub mod program;
pub mod stages;
pub mod state;
mod stylus_exit;
pub mod trace;
mod tx;
mod view;

pub use chain::{spawn_with_execution_stack, Chain, Snapshot, BASE_FEE, BLOCK_GAS_LIMIT, COINBASE, GENESIS_TIMESTAMP};
pub use exec::{BlockEnv, CallKind, Message, Outcome, ProgramNotActivated, TxEnv, MAX_CALL_DEPTH};
pub use halt::Halt;
pub use host::HostTrap;
pub use program::{ActivationError, STYLUS_VERSION};
pub use tx::{DeployError, Receipt, Tx, TxError};
pub use view::ChainView;
