//! Rewards, pausing, owner changes of delays, and calls by people without the role.

use crate::privileged::privileged_calls;
use crate::{actors::*, Campaign};
use alloy_primitives::U256;
use keel_fixtures::{registry::*, rewards::*, *};

/// Most reward tokens a pool carries (the coordinator's `MAX_POOL_REWARD_TOKENS`).
const POOL_SLOTS: usize = 8;
/// Pause flag index of the RewardsCoordinator.
const RC_I: usize = 3;

impl Campaign {
    pub(crate) fn submit(&mut self, avs: usize, operator: usize, wei: u128, start_epochs: u64, duration_epochs: u64) -> bool {
        let start = if duration_epochs == 0 { 0 } else { next_epoch(&self.world) + start_epochs * EPOCH };
        match submit(&self.world, AVSS[avs], OPERATORS[operator], U256::from(wei), start, duration_epochs * EPOCH) {
            Ok(received) => {
                self.check(!self.ghost.is_paused(RC_I, 0), || "rewards were submitted while submissions were paused".into());
                self.ghost.submitted += received;
                self.record_streams();
                true
            }
            Err(revert) => {
                let accepted = self.ghost.ever_accepted.iter().filter(|(o, _)| *o == OPERATORS[operator]).count();
                let full = revert.is::<IRC::TooManyRewardTokens>();
                self.check(!full || accepted >= POOL_SLOTS, || {
                    format!("an AVS's payment found {} full after it accepted only {accepted} other tokens", OPERATORS[operator])
                });
                false
            }
        }
    }

    pub(crate) fn claim(&mut self, earner: usize, operator: usize) -> bool {
        let earner = depositors()[earner];
        let before = reward_balance(&self.world, earner);
        let call = IRC::claimCall {
            earner,
            operators: vec![OPERATORS[operator]],
            strategies: vec![TOKEN],
            rewardTokens: vec![REWARD],
            recipient: earner,
        };
        match self.world.call(earner, RC, &call) {
            Ok(paid) => {
                self.check(!self.ghost.is_paused(RC_I, 1), || "a claim went through while claims were paused".into());
                let received = reward_balance(&self.world, earner) - before;
                // A rebased token's transfer may round its raw amount by a wei.
                let slack = U256::from(self.ghost.reward_rebased as u8);
                self.check(received.abs_diff(paid[0]) <= slack, || format!("a claim reported {} but paid {received}", paid[0]));
                self.ghost.claimed += received;
                true
            }
            Err(_) => false,
        }
    }

    pub(crate) fn commission(&mut self, operator: usize, bps: u64) -> bool {
        self.act_on(RC, OPERATORS[operator], &IRC::setOperatorCommissionCall { bps: U256::from(bps) }).is_ok()
    }

    pub(crate) fn pause(&mut self, contract: usize, bit: u8) -> bool {
        let bits = U256::from(1u64 << bit);
        let ok = self.world.call(OWNER, PAUSABLE[contract], &DmAccess::pauseCall { bits }).is_ok();
        if ok {
            self.ghost.paused[contract] |= 1 << bit;
        }
        ok
    }

    pub(crate) fn unpause(&mut self, contract: usize, bit: u8) -> bool {
        let bits = U256::from(1u64 << bit);
        let ok = self.world.call(OWNER, PAUSABLE[contract], &DmAccess::unpauseCall { bits }).is_ok();
        if ok {
            self.ghost.paused[contract] &= !(1 << bit);
        }
        ok
    }

    /// The owner sets the withdrawal delay to candidate `pick`: it must go
    /// through exactly when it is a raise (or the same) within the bounds.
    pub(crate) fn set_withdrawal_delay(&mut self, pick: usize) -> bool {
        use keel_delegation_manager::{MAX_WITHDRAWAL_DELAY, MIN_WITHDRAWAL_DELAY};
        let current = self.ghost.withdrawal_delay;
        let delay =
            [MIN_WITHDRAWAL_DELAY - 1, current - 1, current, current + 86_400, MAX_WITHDRAWAL_DELAY, MAX_WITHDRAWAL_DELAY + 1][pick % 6];
        let ok = self.world.call(OWNER, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(delay) }).is_ok();
        let allowed = delay >= current.max(MIN_WITHDRAWAL_DELAY) && delay <= MAX_WITHDRAWAL_DELAY;
        self.check(ok == allowed, || format!("setting the withdrawal delay {current} → {delay}: went through {ok}, allowed {allowed}"));
        if ok {
            self.ghost.withdrawal_delay = delay;
        }
        ok
    }

    /// The owner sets the StrategyManager's slash escrow delay to candidate
    /// `pick`; only delays within the bounds go through.
    pub(crate) fn set_slash_escrow_delay(&mut self, pick: usize) -> bool {
        use keel_strategy_manager::{DEFAULT_SLASH_ESCROW_DELAY, MAX_SLASH_ESCROW_DELAY, MIN_SLASH_ESCROW_DELAY};
        let candidates = [
            MIN_SLASH_ESCROW_DELAY - 1,
            MIN_SLASH_ESCROW_DELAY,
            DEFAULT_SLASH_ESCROW_DELAY,
            14 * 86_400,
            MAX_SLASH_ESCROW_DELAY,
            MAX_SLASH_ESCROW_DELAY + 1,
        ];
        let delay = candidates[pick % candidates.len()];
        let ok = self.world.call(OWNER, SM, &ISM::setSlashEscrowDelayCall { delay }).is_ok();
        let allowed = (MIN_SLASH_ESCROW_DELAY..=MAX_SLASH_ESCROW_DELAY).contains(&delay);
        self.check(ok == allowed, || format!("a slash escrow delay of {delay}: went through {ok}, allowed {allowed}"));
        if ok {
            let set = self.world.call(OWNER, SM, &ISM::slashEscrowDelayCall {}).expect("view");
            self.check(set == delay, || format!("the slash escrow delay reads {set} after setting {delay}"));
            self.ghost.slash_escrow_delay = delay;
            self.ghost.longest_slash_escrow_delay = self.ghost.longest_slash_escrow_delay.max(delay);
        }
        ok
    }

    /// The owner sets the registry's deallocation delay to candidate `pick`.
    pub(crate) fn set_deallocation_delay(&mut self, pick: usize) -> bool {
        use keel_avs_registry::MIN_DEALLOCATION_DELAY;
        let delay = [MIN_DEALLOCATION_DELAY - 1, MIN_DEALLOCATION_DELAY, 7 * 86_400, 14 * 86_400][pick % 4];
        let call = IReg::setParametersCall {
            allocationConfigurationDelay: CONFIG_DELAY,
            deallocationDelay: delay,
            slasherChangeDelay: SLASHER_DELAY,
        };
        let ok = self.world.call(OWNER, REGISTRY, &call).is_ok();
        self.check(ok == (delay >= MIN_DEALLOCATION_DELAY), || format!("a deallocation delay of {delay}: went through {ok}"));
        if ok {
            self.ghost.deallocation_delay = delay;
        }
        ok
    }

    /// A privileged call by `caller` (a staker or operator, never the owner
    /// nor a protocol contract) must be refused.
    pub(crate) fn unauthorized(&mut self, call: usize, caller: usize) -> bool {
        let caller = depositors()[caller];
        let calls = privileged_calls(&self.world, caller);
        let p = &calls[call % calls.len()];
        let ok = self.world.call_raw(caller, p.contract, p.data.clone(), U256::ZERO).is_ok();
        self.check(!ok, || format!("{caller} called the privileged {}", p.name));
        false
    }
}
