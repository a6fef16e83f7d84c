//! The vault's rewards from the RewardsCoordinator (admin extension).
//!
//! The vault is an ordinary staker of its operator's pool, so the coordinator
//! accrues it a pro-rata share of every stream paid to that pool. Anyone may
//! claim them for the vault, as for [`rebalance`](LrtVault::rebalance): the
//! caller picks only which pools and tokens, never where they go. Rewards in
//! the asset stay in the vault and are booked as a gain that vests (a deposit
//! just before the claim cannot capture them; the performance fee applies as
//! to any gain); rewards in other tokens go to the owner's reward recipient.
//!
//! Call graph: vault → RewardsCoordinator → reward token (pay), then vault →
//! reward token (forward). The reentrancy lock covers both: a token hook
//! calling back into any flow of the vault is refused.

use crate::{errors::*, restaking, LrtVault};
use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use keel_components::{
    calls::{call_or_revert, encode_call},
    emit,
    events::ToWord,
    revert,
    token::{balance_of, safe_transfer},
    Revert,
};
use stylus_sdk::prelude::*;

sol! {
    function claim(address earner, address[] operators, address[] strategies, address[] rewardTokens, address recipient) external returns (uint256[]);
}

impl LrtVault {
    /// Claims the vault's rewards in `reward_tokens` from its stake in the
    /// asset's pool of each of `operators` (the current one and any earlier
    /// one with rewards left); anyone may call. Rewards in the asset are
    /// booked as a gain vesting to the holders; others are forwarded to the
    /// reward recipient (refused with `NoRewardRecipient` if none is set).
    pub fn claim_rewards(&mut self, operators: Vec<Address>, reward_tokens: Vec<Address>) -> Result<(), Revert> {
        self.access.enter()?;
        let (asset, me, recipient) = (self.asset.get(), self.vm().contract_address(), self.reward_recipient.get());
        let coordinator = restaking::rewards_coordinator(self.vm(), self.delegation_manager.get())?;
        if coordinator.is_zero() {
            return Err(revert!(NoRewardsCoordinator {}));
        }
        let before = reward_tokens.iter().map(|token| self.balance_in(*token)).collect::<Result<Vec<_>, _>>()?;
        let strategies = alloc::vec![asset; operators.len()];
        let context = Call::new_mutating(self);
        call_or_revert(self.vm(), context, coordinator, &claim_call_data(me, &operators, &strategies, &reward_tokens, me))?;
        for (i, (token, before)) in reward_tokens.iter().zip(before).enumerate() {
            // A token listed twice is handled once.
            let amount = self.balance_in(*token)?.saturating_sub(before);
            if amount.is_zero() || reward_tokens[..i].contains(token) {
                continue;
            }
            let to = if *token == asset { me } else { recipient };
            if to.is_zero() {
                return Err(revert!(NoRewardRecipient { token: *token }));
            }
            if to != me {
                let context = Call::new_mutating(self);
                safe_transfer(self.vm(), context, *token, to, amount).map_err(|_| revert!(TransferFailed {}))?;
            }
            emit!(self.vm(), RewardsHarvested; [*token, to]; [amount]);
        }
        // The asset claimed is a gain since the last checkpoint: it vests.
        self.accrue()?;
        self.access.exit();
        Ok(())
    }

    /// Owner sets where rewards in tokens other than the asset go (zero: nowhere, their claims revert).
    pub fn set_reward_recipient(&mut self, recipient: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        self.reward_recipient.set(recipient);
        emit!(self.vm(), RewardRecipientSet; [recipient]; []);
        Ok(())
    }

    /// Where rewards in tokens other than the asset go (zero: unset).
    pub fn reward_recipient(&self) -> Address {
        self.reward_recipient.get()
    }

    /// The vault's balance of `token`.
    fn balance_in(&self, token: Address) -> Result<U256, Revert> {
        balance_of(self.vm(), token, self.vm().contract_address()).map_err(|_| revert!(TransferFailed {}))
    }
}

/// Calldata of the coordinator's `claim(earner, operators, strategies,
/// rewardTokens, recipient)`: five head words, then each array as its
/// length and elements.
fn claim_call_data(earner: Address, operators: &[Address], strategies: &[Address], tokens: &[Address], recipient: Address) -> Vec<u8> {
    let word = |n: usize| U256::from(n).to_word();
    let (ops_at, strategies_at) = (5 * 32, 5 * 32 + 32 * (1 + operators.len()));
    let tokens_at = strategies_at + 32 * (1 + strategies.len());
    let mut words: Vec<B256> = alloc::vec![earner.to_word(), word(ops_at), word(strategies_at), word(tokens_at), recipient.to_word()];
    for list in [operators, strategies, tokens] {
        words.push(word(list.len()));
        words.extend(list.iter().map(|a| a.to_word()));
    }
    encode_call(claimCall::SELECTOR, &words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_claim_calldata_matches_alloy() {
        let (a, b, c, d) = (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3), Address::repeat_byte(4));
        let expected = claimCall {
            earner: a,
            operators: alloc::vec![b, c],
            strategies: alloc::vec![d, d],
            rewardTokens: alloc::vec![c],
            recipient: a,
        }
        .abi_encode();
        assert_eq!(claim_call_data(a, &[b, c], &[d, d], &[c], a), expected);
    }
}
