//! The `keel` tool as a library: the contract bindings, the deploy flow,
//! the staker and operator transactions, status tables and the demo, shared
//! by the `keel` binary and the integration tests in `tests/`.

pub mod app;
pub mod avs;
pub mod bindings;
pub mod client;
pub mod config;
pub mod demo;
pub mod deploy;
pub mod deployments;
pub mod fmt;
pub mod history;
pub mod lrt;
pub mod profile;
pub mod progress;
pub mod revert;
pub mod rewards;
pub mod stake;
pub mod status;
pub mod units;
