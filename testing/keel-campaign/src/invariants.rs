//! The invariants checked after every step.
//!
//! * Solvency: the strategy's shares cover every staker's withdrawable
//!   shares, every pending withdrawal and every slashed share not yet paid
//!   out, and its token balance covers their value.
//! * Delegation: Σ withdrawable shares of an operator's stakers ≤ the
//!   operator's delegated shares ≤ the strategy's shares.
//! * Magnitudes: the DelegationManager's magnitude (slashing factor) and the
//!   registry's max magnitude never rise and agree; encumbered magnitude and
//!   Σ allocations never exceed the max.
//! * Tokens: none created or destroyed (but by rebases: raw units are
//!   compared), no staker or LRT holder holds more than it started with,
//!   plus the windfall anyone may have received (strategy rewards,
//!   instant-redemption fees, positive rebases) and, for the signer,
//!   what relayers paid in for it.
//! * Rewards: Σ claimed ≤ Σ submitted, and what the coordinator holds plus
//!   what it paid is exactly what it received; it holds what is claimable.
//! * LRT vault: its holders' LRT are its whole supply; Σ holders' redeemable
//!   (convertToAssets of their LRT) ≤ its total assets; its total assets plus
//!   the least its open requests must still pay ≤ what it holds (its tokens, its
//!   withdrawable strategy shares' value and its queued withdrawals' value:
//!   requests, operator changes, forced undelegations).
//!
//! The vault is a staker like the others in the solvency and delegation
//! checks (its request, operator-change and forced withdrawals count as
//! pending withdrawals), and an
//! earner in the rewards check.

use crate::{actors::*, lrt::*, Campaign};
use alloy_primitives::U256;
use keel_fixtures::{registry::*, rewards::*, *};
use keel_math::slashing::shares_at_magnitude;

impl Campaign {
    /// Checks every invariant; records the ones broken.
    pub fn check_invariants(&mut self) {
        let withdrawable: Vec<U256> = stakers().iter().map(|s| withdrawable(&self.world, *s)).collect();
        self.check_solvency(&withdrawable);
        self.check_delegation(&withdrawable);
        self.check_magnitudes();
        self.check_tokens();
        self.check_rewards();
        self.check_lrt(withdrawable[withdrawable.len() - 1]);
    }

    fn check_solvency(&mut self, withdrawable: &[U256]) {
        let now = self.world.timestamp();
        let stakers: U256 = withdrawable.iter().sum();
        let queued: U256 = self
            .ghost
            .withdrawals
            .iter()
            .map(|w| shares_at_magnitude(w.scaled, self.ghost.magnitude_at(w.operator, now.min(w.completable_at.saturating_sub(1)))))
            .sum::<U256>()
            + self.ghost.lrt_requests.iter().map(|r| self.request_shares(r)).sum::<U256>()
            + self.vault_withdrawals().map(|w| w.shares(&self.ghost, now)).sum::<U256>();
        let slashed: U256 = escrow_records()
            .into_iter()
            .map(|(recipient, avs)| self.world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient, avs }).expect("view")._0)
            .sum();
        let total = self.world.call(OWNER, SM, &ISM::totalSharesCall { token: TOKEN }).expect("view");
        let owed = stakers + queued + slashed;
        self.check(owed <= total, || {
            format!("shares owed {owed} (stakers {stakers}, queued {queued}, slashed {slashed}) exceed the strategy's {total}")
        });
        let value = self.world.call(OWNER, SM, &ISM::sharesToUnderlyingCall { token: TOKEN, shares: owed.min(total) }).expect("view");
        let held = balance(&self.world, SM);
        self.check(value <= held, || format!("tokens owed {value} exceed the tokens held {held}"));
    }

    fn check_delegation(&mut self, withdrawable: &[U256]) {
        let total = self.world.call(OWNER, SM, &ISM::totalSharesCall { token: TOKEN }).expect("view");
        let delegations: Vec<_> = stakers().iter().zip(withdrawable).map(|(s, w)| (self.delegated_to(*s), *w)).collect();
        for operator in OPERATORS {
            let stakers: U256 = delegations.iter().filter(|(o, _)| *o == operator).map(|(_, w)| *w).sum();
            let delegated = operator_shares(&self.world, operator);
            self.check(stakers <= delegated, || format!("{operator}'s stakers hold {stakers} > its delegated {delegated}"));
            self.check(delegated <= total, || format!("{operator} has {delegated} delegated > the strategy's {total}"));
        }
    }

    fn check_magnitudes(&mut self) {
        for operator in OPERATORS {
            let factor = magnitude(&self.world, operator);
            let (max, encumbered, _) = magnitudes(&self.world, operator);
            if let Some((last_factor, last_max)) = self.ghost.last_magnitudes.get(&operator).copied() {
                self.check(factor <= last_factor, || format!("{operator}'s slashing factor rose {last_factor} → {factor}"));
                self.check(max <= last_max, || format!("{operator}'s max magnitude rose {last_max} → {max}"));
            }
            self.ghost.last_magnitudes.insert(operator, (factor, max));
            self.check(factor == U256::from(max), || format!("{operator}: DelegationManager magnitude {factor} ≠ registry max {max}"));
            self.check(encumbered <= max, || format!("{operator}: encumbered {encumbered} > max {max}"));
            let sets = self.ghost.sets.clone();
            let allocated: u128 = sets
                .iter()
                .map(|s| {
                    let (current, target, _) = allocation(&self.world, operator, s.avs, s.id);
                    current.max(target) as u128
                })
                .sum();
            self.check(allocated <= max as u128, || format!("{operator}: allocations {allocated} exceed the max {max}"));
        }
    }

    fn check_tokens(&mut self) {
        // In raw units, which rebases do not move: their sum at the current
        // factor is the supply exactly when none was created or destroyed.
        let holders = depositors().into_iter().chain(other_token_holders());
        let raw: U256 = holders.map(|h| crate::rebase::raw_balance(&self.world, h)).sum();
        let held = crate::rebase::tokens_of(&self.world, raw);
        let supply = self.world.call(OWNER, TOKEN, &IToken::totalSupplyCall {}).expect("view");
        self.check(held == supply, || format!("tokens held {held} ≠ supply {supply}"));
        for who in depositors().into_iter().chain([DAVE, ERIN]) {
            let now = balance(&self.world, who);
            let paid_in_by_others = if who == signer() { self.ghost.relayed } else { U256::ZERO };
            let most = starting_balance() + paid_in_by_others + self.ghost.windfall + self.ghost.token_dust + self.ghost.strategy_dust;
            self.check(now <= most, || format!("{who} holds {now}, more than it started with and any windfall ({most})"));
        }
    }

    fn check_rewards(&mut self) {
        let (submitted, paid) = (self.ghost.submitted, self.ghost.claimed + self.ghost.refunded);
        let held = reward_balance(&self.world, RC);
        if !self.ghost.reward_rebased {
            self.check(paid <= submitted, || format!("claimed and refunded {paid} > submitted {submitted}"));
            self.check(held + paid == submitted, || format!("coordinator holds {held} + paid {paid} ≠ received {submitted}"));
            let owed = self.world.call(OWNER, RC, &IRC::rewardsOwedCall { token: REWARD }).expect("view");
            // Claims pay whole wei for booked units and keep the fraction, so what is held may exceed what is owed.
            let covered = held * U256::from(BOOKED_PER_WEI);
            self.check(owed <= covered, || format!("coordinator books {owed} owed but holds only {held}"));
        }
        let mut owed = U256::ZERO;
        for earner in stakers() {
            owed += self.world.call(OWNER, RC, &IRC::claimableCall { earner, rewardToken: REWARD }).expect("view");
            for operator in OPERATORS {
                let call = IRC::pendingRewardsCall { earner, operator, strategy: TOKEN, rewardToken: REWARD };
                owed += self.world.call(OWNER, RC, &call).expect("view");
            }
        }
        self.check(owed <= held, || format!("rewards claimable {owed} exceed the coordinator's {held}"));
    }
}

/// The coordinator's booked units per token wei (its `BOOKED_PER_WEI`).
const BOOKED_PER_WEI: u64 = 1_000_000;

impl Campaign {
    /// The vault's invariants; `restaked`: its withdrawable strategy shares.
    fn check_lrt(&mut self, restaked: U256) {
        let seen = LrtSnapshot::of(&self.world, self.ghost.windfall, self.ghost.lrt_returned);
        let (total, supply) = (seen.total, seen.supply);
        let held_lrt: U256 = seen.balances.iter().sum();
        self.check(held_lrt == supply, || format!("holders hold {held_lrt} LRT ≠ supply {supply}"));
        let redeemable: U256 = seen.balances.iter().map(|b| seen.to_assets(*b)).sum();
        self.check(redeemable <= total, || format!("LRT holders may redeem {redeemable} > the vault's total assets {total}"));
        let (mut queued, mut owed) = (U256::ZERO, U256::ZERO);
        for r in &self.ghost.lrt_requests {
            let value = self.request_queued(r);
            queued += value;
            owed += r.assets.min(r.idle_floor.saturating_sub(self.reserve_slack(r)) + value);
        }
        let now = self.world.timestamp();
        queued += self.vault_withdrawals().map(|w| strategy_value(&self.world, w.shares(&self.ghost, now))).sum::<U256>();
        let staked = strategy_value(&self.world, restaked);
        let held = balance(&self.world, LRT) + staked + queued;
        self.check(total + owed <= held, || {
            format!("the vault counts {total} and owes requests {owed}, more than it holds {held} (staked {staked}, queued {queued})")
        });
        self.lrt_seen = seen;
    }
}
