//! Stage 1, validation: whether a transaction can be included at all. A
//! refusal changes nothing (not even the nonce) and is a [`TxError`].

use crate::chain::BLOCK_GAS_LIMIT;
use crate::exec::BlockEnv;
use crate::gas::{access_list_gas, intrinsic_gas};
use crate::state::State;
use crate::tx::{Tx, TxError};
use alloy_primitives::U256;

/// What validation established, for the later stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validated {
    /// Intrinsic gas: 21,000 (or 53,000 to create) + calldata + access list
    /// + L1 poster gas, spent before the first frame.
    pub intrinsic_gas: u64,
    /// Price the sender pays per gas (0 for a call that is not committed).
    pub gas_price: U256,
}

/// Checks `tx` against the `state` and `block` it would run in: intrinsic
/// gas (the poster gas included, as nitro requires it up front), the block
/// gas limit, the nonce, and, for a transaction that commits, the price
/// against the base fee and a balance covering gas × max fee + value.
pub fn validate(state: &State, block: &BlockEnv, tx: &Tx, commit: bool) -> Result<Validated, TxError> {
    let intrinsic_gas = intrinsic_gas(&tx.data) + access_list_gas(&tx.access_list) + tx.poster_gas;
    if tx.gas < intrinsic_gas {
        return Err(TxError::IntrinsicGasTooLow { needed: intrinsic_gas });
    }
    if tx.gas > BLOCK_GAS_LIMIT {
        return Err(TxError::GasLimitTooHigh);
    }
    let expected = state.nonce(tx.from);
    match tx.nonce {
        Some(got) if got < expected => return Err(TxError::NonceTooLow { expected, got }),
        Some(got) if got > expected => return Err(TxError::NonceTooHigh { expected, got }),
        _ => {}
    }
    let base_fee = block.basefee;
    let gas_price = if commit { tx.gas_price.unwrap_or(base_fee) } else { U256::ZERO };
    // What the sender offers (EIP-1559's max fee) must reach the base fee,
    // and the sender must afford it, though it pays only the gas price.
    let max_fee = if commit { tx.max_fee.unwrap_or(gas_price) } else { U256::ZERO };
    if commit && gas_price.min(max_fee) < base_fee {
        return Err(TxError::GasPriceBelowBaseFee { gas_price: gas_price.min(max_fee), base_fee });
    }
    let offered = gas_price.max(max_fee);
    let want = U256::from(tx.gas).saturating_mul(offered).saturating_add(tx.value);
    let have = state.balance(tx.from);
    if have < want {
        return Err(TxError::InsufficientFunds { have, want });
    }
    Ok(Validated { intrinsic_gas, gas_price })
}
