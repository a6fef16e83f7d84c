//! Rebases of the strategy token (issue 18 F7's campaign gap): an LST's
//! rewards and losses, which move every balance at once, the vault's idle
//! buffer and the idle-funded parts of its open requests included.
//!
//! The checks stay exact under rebases: the token's supply is compared in
//! raw (pre-rebase) units, which no rebase moves; the tokens a positive
//! rebase creates are a windfall anyone may end up with (like a reward);
//! a negative rebase lowers the floor of what each open request's
//! idle-funded part must still pay by the rebase's ratio (the vault shares a
//! shortfall pro rata between its buffer and that reserve, and never lets
//! the reserve gain); and balance moves are compared in raw units, which a
//! transfer moves exactly (`ceil(value / factor)`) while the rebased
//! balances of its two sides may round apart.

use crate::Campaign;
use alloy_primitives::{Address, U256};
use keel_fixtures::*;
use keel_math::{mul_div, slashing::WAD, Rounding};

impl Campaign {
    /// The strategy token rebases by `percent` % of its current factor.
    pub(crate) fn rebase_token(&mut self, percent: u64) -> bool {
        let old = factor(&self.world);
        let new = old * U256::from(percent) / U256::from(100);
        let supply = token_supply(&self.world);
        if self.world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: new }).is_err() {
            self.check(false, || format!("the token's owner could not rebase it to {new}"));
            return false;
        }
        let created = token_supply(&self.world).saturating_sub(supply);
        self.ghost.windfall += created;
        self.ghost.token_rebased = true;
        if new < old {
            for r in &mut self.ghost.lrt_requests {
                r.idle_floor = mul_div(r.idle_floor, new, old, Rounding::Down).unwrap_or_default();
            }
        }
        true
    }
}

/// Wei by which a transfer may credit its receiver (or debit its sender)
/// more than its value at the current factor `f`: the raw units it moves,
/// `ceil(value / f)`, are worth less than `value + f`, and each side's
/// balance rounds down on its own. Zero while the factor is 1.
pub(crate) fn transfer_rounding(world: &World) -> U256 {
    let f = factor(world);
    if f == WAD {
        U256::ZERO
    } else {
        U256::from(1) + f.div_ceil(WAD)
    }
}

/// Wei the vault's reserve index may cost request `from_idle`'s idle part to
/// rounding once the index has fallen: a few wei for the splits, and the
/// index's 1e-18 precision on the amount (with a margin for an index down to 0.1).
pub(crate) fn reserve_rounding(from_idle: U256) -> U256 {
    U256::from(2) + from_idle / U256::from(100_000_000_000_000_000u64)
}

/// The token's rebase factor (1e18: none).
pub(crate) fn factor(world: &World) -> U256 {
    world.call(OWNER, TOKEN, &IToken::rebaseFactorCall {}).expect("view")
}

/// The token's total supply.
pub(crate) fn token_supply(world: &World) -> U256 {
    world.call(OWNER, TOKEN, &IToken::totalSupplyCall {}).expect("view")
}

/// `who`'s raw (pre-rebase) token balance.
pub(crate) fn raw_balance(world: &World, who: Address) -> U256 {
    world.call(OWNER, TOKEN, &IToken::rawBalanceOfCall { account: who }).expect("view")
}

/// Raw units a transfer of `value` tokens moves now (rounded up, as the token does).
pub(crate) fn raw_of(world: &World, value: U256) -> U256 {
    mul_div(value, WAD, factor(world), Rounding::Up).unwrap_or(U256::MAX)
}

/// Tokens `raw` raw units are worth now (rounded down, as the token does).
pub(crate) fn tokens_of(world: &World, raw: U256) -> U256 {
    mul_div(raw, factor(world), WAD, Rounding::Down).unwrap_or(U256::MAX)
}
