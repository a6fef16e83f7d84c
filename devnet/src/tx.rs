//! Transactions, receipts and the errors of the chain API.

use crate::chain::BLOCK_GAS_LIMIT;
use crate::program::ActivationError;
use alloy_primitives::{Address, Bytes, Log, U256};

/// A transaction (unsigned: the devnet trusts `from`).
#[derive(Debug, Clone)]
pub struct Tx {
    /// Sender.
    pub from: Address,
    /// Recipient, or `None` to create a contract from `data`.
    pub to: Option<Address>,
    /// Calldata or init code.
    pub data: Bytes,
    /// Wei sent.
    pub value: U256,
    /// Gas limit.
    pub gas: u64,
}

impl Tx {
    /// A call of `to` with `data`, no value and the block gas limit.
    pub fn call(from: Address, to: Address, data: impl Into<Bytes>) -> Self {
        Self { from, to: Some(to), data: data.into(), value: U256::ZERO, gas: BLOCK_GAS_LIMIT }
    }

    /// Sets the value sent.
    pub fn with_value(mut self, value: U256) -> Self {
        self.value = value;
        self
    }

    /// Sets the gas limit.
    pub fn with_gas(mut self, gas: u64) -> Self {
        self.gas = gas;
        self
    }
}

/// What a transaction or call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// True when execution succeeded.
    pub status: bool,
    /// Gas used, including the intrinsic 21,000 + calldata.
    pub gas_used: u64,
    /// Return data, or revert data when `status` is false.
    pub output: Bytes,
    /// Logs emitted (none when `status` is false).
    pub logs: Vec<Log>,
    /// Address of the created contract, for creations that succeeded.
    pub contract_address: Option<Address>,
    /// Block the transaction was included in.
    pub block_number: u64,
}

/// Why a transaction was not executed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxError {
    /// The gas limit does not cover the intrinsic gas.
    IntrinsicGasTooLow {
        /// Intrinsic gas of the transaction.
        needed: u64,
    },
    /// The gas limit exceeds the block gas limit.
    GasLimitTooHigh,
    /// The sender cannot pay value + gas × price.
    InsufficientFunds {
        /// Sender balance.
        have: U256,
        /// Value plus maximum fee.
        want: U256,
    },
}

impl std::fmt::Display for TxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::IntrinsicGasTooLow { needed } => write!(f, "intrinsic gas too low: needs {needed}"),
            Self::GasLimitTooHigh => write!(f, "gas limit above the block gas limit {BLOCK_GAS_LIMIT}"),
            Self::InsufficientFunds { have, want } => write!(f, "insufficient funds: have {have}, want {want}"),
        }
    }
}

impl std::error::Error for TxError {}

/// Why a deployment or activation helper failed.
#[derive(Debug, PartialEq, Eq)]
pub enum DeployError {
    /// The transaction was refused.
    Tx(TxError),
    /// The code cannot be activated (bad brotli, invalid WASM, ...).
    Activation(ActivationError),
    /// The transaction reverted with this data.
    Reverted(Bytes),
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tx(e) => write!(f, "{e}"),
            Self::Activation(e) => write!(f, "{e}"),
            Self::Reverted(data) => write!(f, "reverted with {data}"),
        }
    }
}

impl std::error::Error for DeployError {}

impl From<TxError> for DeployError {
    fn from(error: TxError) -> Self {
        Self::Tx(error)
    }
}
