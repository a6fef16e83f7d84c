//! Errors and events of the test token.

pub use keel_components::allowances::{Approval, InsufficientAllowance, InvalidPermitSignature, PermitExpired};

keel_components::abi_items! {
    /// Errors and events of the test token.
    TestTokenAbi {
        /// `from` holds `have`, less than the `want` being moved.
        error InsufficientBalance(address from, uint256 have, uint256 want);
        /// A transfer fee above 100% was requested.
        error FeeTooHigh(uint256 bps);
        /// A rebase factor of zero, or above `MAX_REBASE_FACTOR`, was requested.
        error InvalidRebaseFactor();
        /// A name or symbol longer than 31 bytes.
        error NameTooLong();

        /// ERC-20 transfer.
        event Transfer(address indexed from, address indexed to, uint256 value);
        /// Every balance was rescaled: balance = rawBalance × factorWad / 1e18.
        event Rebased(uint256 factorWad);
        /// The fee burned on every transfer changed.
        event TransferFeeSet(uint256 bps);
        /// Every transfer now calls `target` with `data` (zero target: off).
        event TransferHookSet(address indexed target, bytes data);
    }
}
