//! The end of an episode: everything unpaused, every withdrawal completed,
//! every staker out, every LRT holder's redemption requested and claimed,
//! every migrated staker out of the successor,
//! every slashed share paid, every reward claimed (the vault's too, by a
//! keeper's `claimRewards`). Nothing may be stuck, and the invariants must
//! still hold.

use crate::{actors::*, lrt::*, Campaign};
use alloy_primitives::U256;
use keel_fixtures::{
    lrt::{IAdmin, IVault},
    rewards::*,
    *,
};

impl Campaign {
    /// Drains the protocol, recording every failure as a violation.
    pub fn drain(&mut self) {
        for contract in 0..PAUSABLE.len() {
            for bit in 0..3 {
                self.unpause(contract, bit);
            }
        }
        self.world.advance(self.ghost.withdrawal_delay + 1);
        // The drain's flows are not steps: each may cost a reserve a wei of rounding (see `LrtRequest::rebased_steps`).
        if self.ghost.token_rebased {
            self.ghost.lrt_requests.iter_mut().for_each(|r| r.rebased_steps += 8);
            self.ghost.token_dust += U256::from(64) * crate::rebase::transfer_rounding(&self.world);
        }
        self.complete_all();
        self.settle_vault_operator();
        self.claim_every_lrt();
        // A keeper's checkpoint, then the vesting period: gains the claims
        // returned to the vault vest to the holders before they leave.
        let _ = self.world.call(CAROL, LRT, &IAdmin::rebalanceCall {});
        self.world.advance(LRT_VESTING + 1);
        self.request_every_lrt();
        for (who, staker) in depositors().into_iter().enumerate() {
            let shares = self.world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token: TOKEN }).expect("view");
            if shares.is_zero() {
                continue;
            }
            let before = withdrawable(&self.world, staker);
            let root = if OPERATORS.contains(&staker) || self.delegated_to(staker).is_zero() {
                queue(&self.world, staker, shares)
            } else {
                self.world.call(staker, DM, &IDM::undelegateCall { staker })
            };
            match root {
                Ok(root) => self.record_drained(who, root, before),
                Err(e) => self.check(false, || format!("{staker} could not leave: {e:?}")),
            }
        }
        let successor_exits = self.leave_successor();
        self.world.advance(self.ghost.withdrawal_delay + 1);
        self.complete_all();
        self.complete_successor_exits(successor_exits);
        self.claim_every_lrt();
        // Every escrow ends at most the longest slash escrow delay after the last slash.
        let escrow_left = self.ghost.longest_slash_escrow_delay.saturating_sub(self.ghost.withdrawal_delay + 1);
        if escrow_left > 0 {
            self.world.advance(escrow_left);
        }
        for (recipient, avs) in escrow_records() {
            let _ = self.world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient, avs });
        }
        self.world.advance(60 * 86_400);
        for earner in 0..depositors().len() {
            for operator in 0..OPERATORS.len() {
                self.claim(earner, operator);
            }
        }
        if !self.vault_rewards().is_zero() && !self.lrt_claim_rewards() {
            self.check(false, || "a keeper could not claim the vault's rewards".into());
        }
        self.clear_logs();
        self.check_invariants();
        let total = self.world.call(OWNER, SM, &ISM::totalSharesCall { token: TOKEN }).expect("view");
        let left = balance(&self.world, SM);
        let dust = U256::from(1_000_000u64);
        // What the emptied vault may keep staked (see below) stays in the strategy.
        let vault_shares = withdrawable(&self.world, LRT);
        let vault_staked = strategy_value(&self.world, vault_shares);
        self.check(total <= dust + vault_shares && left <= dust + vault_staked, || {
            format!("after everyone left the strategy still has {total} shares and {left} tokens")
        });
        let vault_rewards = self.vault_rewards();
        self.check(vault_rewards <= dust, || format!("the vault's rewards {vault_rewards} are stranded in the coordinator"));
        let unclaimed = reward_balance(&self.world, RC);
        self.check(unclaimed <= dust, || format!("after every claim the coordinator still holds {unclaimed}"));
        let supply = self.world.call(OWNER, LRT, &IVault::totalSupplyCall {}).expect("view");
        let (tokens, staked) = (balance(&self.world, LRT), vault_staked);
        self.check(supply.is_zero(), || format!("after every holder left the vault still has {supply} LRT"));
        // An emptied vault keeps what no LRT can own: gains still vesting when
        // the last holder left, and the virtual shares' part of a tiny supply.
        // Both come from gains nobody brought (rewards, instant fees), so they
        // are bounded by them; a holder's principal left behind is not.
        let kept = self.ghost.windfall + self.ghost.token_dust + dust;
        self.check(tokens + staked <= kept, || format!("after every holder left the vault still has {tokens} tokens and {staked} staked (more than the {kept} gains nobody brought)"));
    }

    /// Every LRT holder requests redemption of all its LRT.
    fn request_every_lrt(&mut self) {
        for (holder, who) in LRT_HOLDERS.into_iter().enumerate() {
            let shares = lrt_balance(&self.world, who);
            if !shares.is_zero() && !self.request_lrt(holder, shares) {
                self.check(false, || format!("{who} could not request redemption of its {shares} LRT"));
            }
        }
    }

    /// Every LRT holder claims all its requests (all past their delay).
    fn claim_every_lrt(&mut self) {
        for (holder, who) in LRT_HOLDERS.into_iter().enumerate() {
            let open = self.ghost.lrt_requests.iter().filter(|r| r.holder == holder).count();
            if open > 0 && !self.lrt_claim(holder, open - 1, false) {
                self.check(false, || format!("{who}'s {open} redemption requests are stuck"));
            }
        }
        let left = self.ghost.lrt_requests.len();
        self.check(left == 0, || format!("{left} redemption requests were not claimed"));
        self.ghost.lrt_requests.clear();
    }

    /// Rewards the vault earned on its delegated stake and has not claimed.
    fn vault_rewards(&self) -> U256 {
        let mut owed = self.world.call(OWNER, RC, &IRC::claimableCall { earner: LRT, rewardToken: REWARD }).expect("view");
        for operator in OPERATORS {
            owed += self
                .world
                .call(OWNER, RC, &IRC::pendingRewardsCall { earner: LRT, operator, strategy: TOKEN, rewardToken: REWARD })
                .expect("view");
        }
        owed
    }

    fn record_drained(&mut self, who: usize, root: alloy_primitives::B256, before: U256) {
        self.check(!root.is_zero(), || "leaving with shares queued nothing".into());
        self.record_withdrawal(who, root, before);
    }

    fn complete_all(&mut self) {
        while let Some(w) = self.ghost.withdrawals.first().cloned() {
            let staker = depositors()[w.who];
            let pick = self.ghost.withdrawals.iter().filter(|x| x.who == w.who).position(|x| x.root == w.root).unwrap_or(0);
            if !self.complete(w.who, pick, true) {
                self.check(false, || format!("withdrawal {} of {staker} is stuck", w.root));
                self.ghost.withdrawals.retain(|x| x.root != w.root);
            }
        }
    }
}
