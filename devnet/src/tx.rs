//! Transactions, receipts and the errors of the chain API.

use crate::chain::BLOCK_GAS_LIMIT;
use crate::program::ActivationError;
use alloy_primitives::{Address, Bytes, Log, B256, U256};

/// A transaction (unsigned: the chain trusts `from`; the JSON-RPC node
/// checks signatures before it builds one).
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
    /// Nonce the sender must have, or `None` to skip the check.
    pub nonce: Option<u64>,
    /// Effective gas price in wei (at least the base fee), or `None` for the base fee.
    pub gas_price: Option<U256>,
    /// The most the sender offers per gas (EIP-1559's max fee, a legacy
    /// transaction's gas price), or `None` for the gas price: the balance
    /// must cover gas × this + value, though gas × the gas price is paid.
    pub max_fee: Option<U256>,
    /// EIP-2930 access list: accounts and slots warm from the start, paid in intrinsic gas.
    pub access_list: Vec<(Address, Vec<B256>)>,
    /// L1 poster gas (nitro's `posterGas`), bought before execution; the
    /// node computes it (see `node::l1`).
    pub poster_gas: u64,
}

impl Tx {
    /// A call of `to` with `data`, no value and the block gas limit.
    pub fn call(from: Address, to: Address, data: impl Into<Bytes>) -> Self {
        let data = data.into();
        Self {
            from,
            to: Some(to),
            data,
            value: U256::ZERO,
            gas: BLOCK_GAS_LIMIT,
            nonce: None,
            gas_price: None,
            max_fee: None,
            access_list: Vec::new(),
            poster_gas: 0,
        }
    }

    /// A contract creation running `init_code`, with the block gas limit.
    pub fn create(from: Address, init_code: impl Into<Bytes>) -> Self {
        Self { to: None, ..Self::call(from, Address::ZERO, init_code) }
    }

    /// Requires the sender's nonce to be `nonce`.
    pub fn with_nonce(mut self, nonce: u64) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Sets the access list.
    pub fn with_access_list(mut self, access_list: Vec<(Address, Vec<B256>)>) -> Self {
        self.access_list = access_list;
        self
    }

    /// Sets the effective gas price.
    pub fn with_gas_price(mut self, gas_price: U256) -> Self {
        self.gas_price = Some(gas_price);
        self
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
    /// L1 poster gas included in `gas_used` (nitro's `gasUsedForL1`).
    pub gas_used_for_l1: u64,
    /// Why the transaction failed (geth's error of the outermost frame);
    /// `None` when `status` is true.
    pub error: Option<crate::Halt>,
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
    /// The transaction's nonce is below the sender's.
    NonceTooLow {
        /// The sender's nonce.
        expected: u64,
        /// The transaction's nonce.
        got: u64,
    },
    /// The transaction's nonce is above the sender's (no transaction pool holds it).
    NonceTooHigh {
        /// The sender's nonce.
        expected: u64,
        /// The transaction's nonce.
        got: u64,
    },
    /// The gas price is below the block's base fee.
    GasPriceBelowBaseFee {
        /// Gas price offered.
        gas_price: U256,
        /// Base fee of the block.
        base_fee: U256,
    },
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
            Self::NonceTooLow { expected, got } => write!(f, "nonce too low: next nonce {expected}, tx nonce {got}"),
            Self::NonceTooHigh { expected, got } => {
                write!(f, "nonce too high: next nonce {expected}, tx nonce {got} (there is no transaction pool)")
            }
            Self::GasPriceBelowBaseFee { gas_price, base_fee } => {
                write!(f, "max fee per gas less than block base fee: maxFeePerGas {gas_price}, baseFee {base_fee}")
            }
            Self::InsufficientFunds { have, want } => write!(f, "insufficient funds for gas * price + value: have {have} want {want}"),
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
