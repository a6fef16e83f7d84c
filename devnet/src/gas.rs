//! Gas and ink prices. Ink is Stylus' fine-grained gas: 1 gas = 10,000 ink.
//! Host-call prices follow nitro; storage, calls and logs are charged at EVM
//! rates; WASM instructions and program entry are priced in [`crate::meter`].

use alloy_primitives::{Address, B256};

/// Ink per unit of gas (`tx_ink_price`).
pub const INK_PER_GAS: u64 = 10_000;
/// Base ink price of every host call.
pub const HOSTIO_INK: u64 = 8_400;
/// Extra ink per pointer argument a host call reads or writes.
pub const PTR_INK: u64 = 5_040;
/// Extra ink for host calls that query the chain (nitro's EVM API request).
pub const EVM_API_INK: u64 = 59_673;
/// Gas that must remain to write storage (EIP-2200 sentry).
pub const SSTORE_SENTRY_GAS: u64 = 2_300;
/// Cold / warm storage read (EIP-2929).
pub const COLD_SLOAD_GAS: u64 = 2_100;
/// Warm storage read or no-op write.
pub const WARM_ACCESS_GAS: u64 = 100;
/// Cold account access (EIP-2929).
pub const COLD_ACCOUNT_GAS: u64 = 2_600;
/// Writing a zero slot to non-zero.
pub const SSTORE_SET_GAS: u64 = 20_000;
/// Changing a slot that still holds its value from the transaction start.
pub const SSTORE_RESET_GAS: u64 = 2_900;
/// Extra gas for a call that transfers value.
pub const CALL_VALUE_GAS: u64 = 9_000;
/// Gas given for free to the callee of a value transfer.
pub const CALL_STIPEND: u64 = 2_300;
/// Gas of a log, and per log topic (nitro: `(1 + topics) * LOG_TOPIC_GAS`).
pub const LOG_TOPIC_GAS: u64 = 375;
/// Gas per byte of log data.
pub const LOG_DATA_GAS: u64 = 8;
/// Gas per 32-byte word of EVM memory (for returned data's minimum price).
pub const COPY_WORD_GAS: u64 = 3;
/// Transient storage access (EIP-1153).
pub const TRANSIENT_GAS: u64 = 100;
/// CREATE / CREATE2 base cost.
pub const CREATE_GAS: u64 = 32_000;
/// Gas per 32-byte word hashed by KECCAK256 (and CREATE2's address).
pub const KECCAK_WORD_GAS: u64 = 6;
/// Gas per 32-byte word of init code (EIP-3860).
pub const INIT_CODE_WORD_GAS: u64 = 2;
/// Gas per byte of deployed code.
pub const CODE_DEPOSIT_GAS: u64 = 200;
/// Intrinsic gas of a transaction.
pub const TX_BASE_GAS: u64 = 21_000;
/// Intrinsic gas per zero / non-zero calldata byte.
pub const TX_ZERO_BYTE_GAS: u64 = 4;
/// Intrinsic gas per non-zero calldata byte.
pub const TX_NONZERO_BYTE_GAS: u64 = 16;

/// Intrinsic gas per access-list account (EIP-2930).
pub const ACCESS_LIST_ADDRESS_GAS: u64 = 2_400;
/// Intrinsic gas per access-list storage key (EIP-2930).
pub const ACCESS_LIST_KEY_GAS: u64 = 1_900;

/// Number of 32-byte words needed for `bytes` bytes.
pub fn words(bytes: usize) -> u64 {
    (bytes as u64).div_ceil(32)
}

/// Intrinsic gas of a transaction carrying `data`.
pub fn intrinsic_gas(data: &[u8]) -> u64 {
    let zeros = data.iter().filter(|b| **b == 0).count() as u64;
    TX_BASE_GAS + zeros * TX_ZERO_BYTE_GAS + (data.len() as u64 - zeros) * TX_NONZERO_BYTE_GAS
}

/// Intrinsic gas of an access list.
pub fn access_list_gas(list: &[(Address, Vec<B256>)]) -> u64 {
    list.iter().map(|(_, keys)| ACCESS_LIST_ADDRESS_GAS + ACCESS_LIST_KEY_GAS * keys.len() as u64).sum()
}

/// SSTORE gas (EIP-2200 + EIP-2929, refunds ignored) for writing `new` over
/// `current`, where the slot held `original` when the transaction started.
pub fn sstore_gas(original: B256, current: B256, new: B256, cold: bool) -> u64 {
    let cold_gas = if cold { COLD_SLOAD_GAS } else { 0 };
    let base = if current == new || original != current {
        WARM_ACCESS_GAS
    } else if original.is_zero() {
        SSTORE_SET_GAS
    } else {
        SSTORE_RESET_GAS
    };
    base + cold_gas
}

/// Refund for clearing a slot (EIP-3529's `SSTORE_CLEARS_SCHEDULE`).
pub const SSTORE_CLEARS_REFUND: i64 = 4_800;
/// Largest share of gas used a refund may cover (EIP-3529: a fifth).
pub const MAX_REFUND_QUOTIENT: u64 = 5;

/// Refund-counter change of an SSTORE writing `new` over `current`, where
/// the slot held `original` at the transaction start (EIP-2200 with
/// EIP-3529's values; geth's `makeGasSStoreFunc`, nitro's `WasmStateStoreCost`).
pub fn sstore_refund(original: B256, current: B256, new: B256) -> i64 {
    if current == new {
        return 0;
    }
    if original == current {
        return if !original.is_zero() && new.is_zero() { SSTORE_CLEARS_REFUND } else { 0 };
    }
    let mut refund = 0;
    if !original.is_zero() {
        if current.is_zero() {
            refund -= SSTORE_CLEARS_REFUND;
        }
        if new.is_zero() {
            refund += SSTORE_CLEARS_REFUND;
        }
    }
    if original == new {
        let restored = if original.is_zero() { SSTORE_SET_GAS } else { SSTORE_RESET_GAS };
        refund += (restored - WARM_ACCESS_GAS) as i64;
    }
    refund
}

/// Gas refunded at the end of a transaction: the counter, capped at a fifth
/// of the gas used (EIP-3529).
pub fn capped_refund(refund: i64, gas_used: u64) -> u64 {
    (refund.max(0) as u64).min(gas_used / MAX_REFUND_QUOTIENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sstore_follows_eip_2200_and_2929() {
        let (zero, one, two) = (B256::ZERO, B256::with_last_byte(1), B256::with_last_byte(2));
        assert_eq!(sstore_gas(zero, zero, one, true), 22_100);
        assert_eq!(sstore_gas(one, one, two, false), 2_900);
        assert_eq!(sstore_gas(one, two, one, false), 100);
        assert_eq!(sstore_gas(one, one, one, true), 2_200);
    }

    #[test]
    fn sstore_refunds_follow_eip_3529() {
        let (zero, one, two) = (B256::ZERO, B256::with_last_byte(1), B256::with_last_byte(2));
        assert_eq!(sstore_refund(one, one, zero), 4_800, "clearing a slot");
        assert_eq!(sstore_refund(one, one, one), 0, "no-op");
        assert_eq!(sstore_refund(zero, zero, one), 0, "setting a slot");
        assert_eq!(sstore_refund(zero, one, zero), 19_900, "set then cleared in the transaction");
        assert_eq!(sstore_refund(one, two, one), 2_800, "changed then restored");
        assert_eq!(sstore_refund(one, zero, one), -4_800 + 2_800, "cleared then restored");
        assert_eq!(sstore_refund(one, zero, two), -4_800, "cleared then set again");
        assert_eq!(sstore_refund(one, two, zero), 4_800, "changed then cleared");
    }

    #[test]
    fn the_refund_is_capped_at_a_fifth_of_gas_used() {
        assert_eq!(capped_refund(4_800, 100_000), 4_800);
        assert_eq!(capped_refund(48_000, 100_000), 20_000);
        assert_eq!(capped_refund(-4_800, 100_000), 0);
    }

    #[test]
    fn intrinsic_gas_counts_bytes_and_access_lists() {
        assert_eq!(intrinsic_gas(&[0, 1, 2]), 21_000 + 4 + 32);
        let list = vec![(Address::ZERO, vec![B256::ZERO, B256::ZERO]), (Address::ZERO, vec![])];
        assert_eq!(access_list_gas(&list), 2 * 2_400 + 2 * 1_900);
    }
}
