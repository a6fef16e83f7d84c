//! Staker actions: deposits, delegation, the withdrawal queue.

use crate::{actors::*, ghost::Withdrawal, Campaign};
use alloy_primitives::{Address, Bytes, B256, U256};
use keel_fixtures::{dm::IDelegationManager::WithdrawalPaid, *};
use keel_math::slashing::shares_at_magnitude;

/// Pause flag indices of the pausable contracts ([`PAUSABLE`]).
pub(crate) const SM_I: usize = 0;
pub(crate) const DM_I: usize = 1;
/// Most withdrawals pending at once (keeps each step's checks bounded).
const MAX_PENDING: usize = 24;

impl Campaign {
    pub(crate) fn deposit(&mut self, who: usize, wei: u128) -> bool {
        let ok = deposit(&self.world, depositors()[who], U256::from(wei)).is_ok();
        let paused = self.ghost.is_paused(SM_I, 0);
        self.check(!(ok && paused), || "a deposit went through while deposits were paused".into());
        ok
    }

    pub(crate) fn deposit_with_signature(&mut self, wei: u128, expired: bool, replay: bool) -> bool {
        let now = U256::from(self.world.timestamp());
        let replayed = self.ghost.last_signature.clone().filter(|_| replay);
        let (amount, expiry, signature) = match replayed.clone() {
            Some(old) => old,
            None => {
                let nonce = self.world.call(OWNER, SM, &ISM::noncesCall { staker: signer() }).expect("view");
                let (amount, expiry) = (U256::from(wei), if expired { now - U256::from(1) } else { now + U256::from(3_600) });
                (amount, expiry, deposit_signature(&self.world, amount, nonce, expiry))
            }
        };
        let call =
            ISM::depositIntoStrategyWithSignatureCall { staker: signer(), token: TOKEN, amount, expiry, signature: signature.clone() };
        let ok = self.world.call(BOB, SM, &call).is_ok();
        let paused = self.ghost.is_paused(SM_I, 0);
        self.check(!(ok && replayed.is_some()), || "a deposit signature was accepted twice".into());
        self.check(!(ok && expiry < now), || "an expired deposit signature was accepted".into());
        self.check(!(ok && paused), || "a signed deposit went through while deposits were paused".into());
        if ok {
            self.ghost.last_signature = Some((amount, expiry, signature));
            self.ghost.relayed += amount;
        }
        ok
    }

    /// An approval for `staker` to delegate to `operator` (a fresh one, or
    /// the last one used if `replay`): expiry, signature, salt.
    fn approval(&mut self, staker: Address, operator: Address, replay: bool) -> (U256, Bytes, B256, bool) {
        if operator != OPERATOR2 {
            return (U256::ZERO, Bytes::new(), B256::ZERO, false);
        }
        if let Some((_, salt, expiry, signature)) = self.ghost.last_approval.clone().filter(|_| replay) {
            return (expiry, signature, salt, true);
        }
        self.ghost.salts += 1;
        let salt = B256::from(U256::from(self.ghost.salts));
        let expiry = U256::from(self.world.timestamp() + 3_600);
        (expiry, approval_signature(&self.world, staker, salt, expiry), salt, false)
    }

    pub(crate) fn delegate(&mut self, who: usize, operator: usize, replay: bool) -> bool {
        let (staker, operator) = (depositors()[who], OPERATORS[operator]);
        let (expiry, signature, salt, replayed) = self.approval(staker, operator, replay);
        let call = IDM::delegateToCall { operator, approverExpiry: expiry, approverSignature: signature.clone(), approverSalt: salt };
        let ok = self.world.call(staker, DM, &call).is_ok();
        self.check(!(ok && replayed), || "a delegation approval was used twice".into());
        self.check(!(ok && self.ghost.is_paused(DM_I, 0)), || "a delegation went through while paused".into());
        if ok && operator == OPERATOR2 {
            self.ghost.last_approval = Some((staker, salt, expiry, signature));
        }
        ok
    }

    pub(crate) fn undelegate(&mut self, who: usize, by_operator: bool) -> bool {
        let staker = depositors()[who];
        let operator = self.delegated_to(staker);
        let caller = if by_operator && !operator.is_zero() { operator } else { staker };
        let before = withdrawable(&self.world, staker);
        match self.world.call(caller, DM, &IDM::undelegateCall { staker }) {
            Ok(root) => {
                self.check(!self.ghost.is_paused(DM_I, 1), || "an undelegation queued while the queue was paused".into());
                self.record_withdrawal(who, root, before);
                true
            }
            Err(_) => false,
        }
    }

    pub(crate) fn redelegate(&mut self, who: usize, operator: usize) -> bool {
        let (staker, operator) = (depositors()[who], OPERATORS[operator]);
        let (expiry, signature, salt, _) = self.approval(staker, operator, false);
        let before = withdrawable(&self.world, staker);
        let call = IDM::redelegateCall { newOperator: operator, approverExpiry: expiry, approverSignature: signature, approverSalt: salt };
        match self.world.call(staker, DM, &call) {
            Ok(root) => {
                let paused = self.ghost.is_paused(DM_I, 0) || self.ghost.is_paused(DM_I, 1);
                self.check(!paused, || "a redelegation went through while paused".into());
                self.record_withdrawal(who, root, before);
                true
            }
            Err(_) => false,
        }
    }

    pub(crate) fn queue(&mut self, who: usize, percent: u64) -> bool {
        if self.ghost.withdrawals.len() >= MAX_PENDING {
            return false;
        }
        let staker = depositors()[who];
        let shares = self.world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token: TOKEN }).expect("view");
        let before = withdrawable(&self.world, staker);
        match queue(&self.world, staker, shares * U256::from(percent) / U256::from(100)) {
            Ok(root) => {
                self.check(!self.ghost.is_paused(DM_I, 1), || "a withdrawal was queued while the queue was paused".into());
                self.record_withdrawal(who, root, before);
                true
            }
            Err(_) => false,
        }
    }

    /// Records a queued withdrawal; checks that what it is worth now plus what
    /// the staker kept is no more than the staker had (`before`).
    pub(crate) fn record_withdrawal(&mut self, who: usize, root: B256, before: U256) {
        if root.is_zero() {
            return;
        }
        let (staker, operator, completable_at, pending, _) = {
            let r = self.world.call(OWNER, DM, &IDM::queuedWithdrawalCall { root }).expect("view");
            (r._0, r._1, r._2, r._3, r._4)
        };
        let scaled = self.world.call(OWNER, DM, &IDM::queuedWithdrawalEntryCall { root, index: U256::ZERO }).expect("view")._1;
        let now = self.world.timestamp();
        let worth = shares_at_magnitude(scaled, self.ghost.magnitude_at(operator, now));
        let kept = withdrawable(&self.world, staker);
        self.check(pending && staker == depositors()[who], || format!("withdrawal {root} not recorded for its staker"));
        self.check(worth + kept <= before, || format!("queueing made shares: {worth} queued + {kept} kept > {before} before"));
        let completable_at = completable_at.to::<u64>();
        let delay = self.ghost.withdrawal_delay;
        self.check(completable_at == now + delay, || {
            format!("a withdrawal is completable at {completable_at}, not after the delay {delay}")
        });
        self.ghost.withdrawals.push(Withdrawal { who, root, operator, completable_at, scaled });
    }

    pub(crate) fn complete(&mut self, who: usize, pick: usize, as_tokens: bool) -> bool {
        let staker = depositors()[who];
        let mine: Vec<usize> = (0..self.ghost.withdrawals.len()).filter(|&i| self.ghost.withdrawals[i].who == who).collect();
        let Some(&index) = mine.get(pick % mine.len().max(1)) else {
            // Nothing pending: a made-up or already completed root must be refused.
            let root = B256::from(U256::from(pick as u64 + 1));
            let ok = complete(&self.world, staker, root, as_tokens).is_ok();
            self.check(!ok, || "a withdrawal that was never queued completed".into());
            return false;
        };
        let w = self.ghost.withdrawals[index].clone();
        let now = self.world.timestamp();
        let ok = complete(&self.world, staker, w.root, as_tokens).is_ok();
        if !ok {
            return false;
        }
        self.check(now >= w.completable_at, || "a withdrawal completed before its delay".into());
        let owed = shares_at_magnitude(w.scaled, self.ghost.magnitude_at(w.operator, w.completable_at.saturating_sub(1)));
        // This withdrawal's payments only: the logs may also hold a vault's
        // completion made by another flow since they were last cleared.
        let paid: U256 = self.world.events::<WithdrawalPaid>(DM).iter().filter(|e| e.root == w.root).map(|e| e.shares).sum();
        // A withdrawal worth nothing (fully slashed) moves no tokens, so the StrategyManager's pause does not apply.
        let paused = self.ghost.is_paused(DM_I, 2) || (as_tokens && !paid.is_zero() && self.ghost.is_paused(SM_I, 1));
        self.check(!paused, || "a withdrawal completed while exits were paused".into());
        // A withdrawal still worth something pays it (a wei may round away).
        self.check(paid > U256::ZERO || owed <= U256::ONE, || format!("withdrawal {} owed {owed} shares paid nothing", w.root));
        self.check(paid <= owed, || {
            format!(
                "withdrawal {} (operator {}, completable at {}) escaped a slash in its delay: paid {paid} shares, owed {owed}",
                w.root, w.operator, w.completable_at
            )
        });
        self.ghost.withdrawals.remove(index);
        let again = complete(&self.world, staker, w.root, as_tokens).is_ok();
        self.check(!again, || "a withdrawal completed twice".into());
        self.clear_logs();
        true
    }

    pub(crate) fn delegated_to(&self, staker: Address) -> Address {
        self.world.call(OWNER, DM, &IDM::delegatedToCall { staker }).expect("view")
    }
}
