//! The vault's operator: the manager's operator changes (through the
//! withdrawal queue), their completion, an operator undelegating the vault
//! on its own, and the manager adopting that withdrawal.
//!
//! The operator may undelegate the vault at any time: with nothing restaked
//! (nothing is queued; the manager adopts the zero root) and while an
//! operator change is in the queue (the change completes first, then the
//! manager adopts). Both used to freeze the vault for good. It may also
//! slash itself to nothing through an AVS of its own while a change is in
//! the queue, so that the change cannot complete as shares (issue 18 F1):
//! the change then completes as tokens and no flow stays refused.

use crate::{
    actors::*,
    ghost::{Set, VaultWithdrawal},
    staking::DM_I,
    Campaign,
};
use alloy_primitives::{Address, B256, U256};
use keel_avs_registry::EXECUTION_WINDOW;
use keel_fixtures::{
    dm::IDelegationManager::WithdrawalQueued,
    lrt::{IAdmin, MANAGER},
    registry::{allocation, magnitudes, slash},
    *,
};
use keel_lrt_vault::errors::MigrationCompleted;
use keel_math::allocation::FULL;

impl Campaign {
    pub(crate) fn lrt_set_restaking_operator(&mut self, none: bool) -> bool {
        self.lrt_move_to(if none { Address::ZERO } else { OPERATOR })
    }

    /// The manager moves the vault's stake to `operator`.
    fn lrt_move_to(&mut self, operator: Address) -> bool {
        self.clear_logs();
        if self.world.call(MANAGER, LRT, &IAdmin::setRestakingOperatorCall { operator }).is_err() {
            return false;
        }
        let idle = self.ghost.lrt_migration.is_none() && self.ghost.lrt_forced.is_none();
        self.check(idle, || "the vault's operator changed during another change or a forced undelegation".into());
        self.check(self.delegated_to(LRT) == operator, || format!("the vault is not delegated to {operator} after the change"));
        if let Some(queued) = self.vault_queued() {
            self.ghost.lrt_migration = Some(queued);
        }
        true
    }

    pub(crate) fn lrt_complete_migration(&mut self) -> bool {
        let now = self.world.timestamp();
        let ok = self.world.call(CAROL, LRT, &IAdmin::completeMigrationCall {}).is_ok();
        let due = self.ghost.lrt_migration.as_ref().is_some_and(|m| now >= m.completable_at);
        if ok {
            self.check(due, || "an operator change completed before its delay, or none was pending".into());
            self.ghost.lrt_migration = None;
        } else {
            let paused = self.ghost.paused[crate::staking::SM_I] != 0 || self.ghost.paused[DM_I] != 0;
            self.check(!due || paused, || "a due operator change could not complete".into());
        }
        ok
    }

    pub(crate) fn lrt_force_out(&mut self) -> bool {
        let operator = self.delegated_to(LRT);
        let restaked = self.world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker: LRT, token: TOKEN }).expect("view");
        if operator.is_zero() {
            return false;
        }
        self.clear_logs();
        if self.world.call(operator, DM, &IDM::undelegateCall { staker: LRT }).is_err() {
            return false;
        }
        let queued = self.vault_queued();
        self.check(queued.is_some() != restaked.is_zero(), || {
            format!("undelegating the vault with {restaked} restaked shares queued {queued:?}")
        });
        // Nothing restaked: nothing queued, and the manager adopts the zero root.
        let now = self.world.timestamp();
        self.ghost.lrt_forced =
            Some(queued.unwrap_or(VaultWithdrawal { root: B256::ZERO, operator, scaled: U256::ZERO, completable_at: now }));
        true
    }

    pub(crate) fn lrt_adopt(&mut self) -> bool {
        let Some(forced) = self.ghost.lrt_forced.clone() else {
            let made_up = B256::repeat_byte(0x7a);
            let ok = self.world.call(MANAGER, LRT, &IAdmin::adoptWithdrawalCall { root: made_up }).is_ok();
            self.check(!ok, || "the manager adopted a withdrawal that is not the vault's".into());
            return false;
        };
        self.clear_logs();
        let ok = self.world.call(MANAGER, LRT, &IAdmin::adoptWithdrawalCall { root: forced.root }).is_ok();
        // An operator change still in the queue completes first; a forced
        // withdrawal past its delay completes at once, so not while exits are paused.
        let pending = self.ghost.lrt_migration.is_some();
        let due = !forced.root.is_zero() && self.world.timestamp() >= forced.completable_at;
        let blocked = due && self.ghost.is_paused(DM_I, 2);
        self.check(ok != (pending || blocked), || {
            format!("adopting the forced withdrawal {} (change pending {pending}, exits blocked {blocked}): {ok}", forced.root)
        });
        if ok {
            self.ghost.lrt_forced = None;
            // A withdrawal already past its delay is completed at once.
            let completed = self.vault_change_just_completed();
            self.ghost.lrt_migration = (!forced.root.is_zero() && !completed).then_some(forced);
        }
        ok
    }

    /// Issue 18 F1: the manager moves the vault to [`ROGUE`], which, while
    /// the change is in the queue, joins a set of AVS `avs` with a 100%
    /// condition without veto, allocates all it can there and slashes itself
    /// under it (its own pool may be empty: this costs it nothing).
    pub(crate) fn lrt_rogue_operator(&mut self, avs: usize) -> bool {
        if self.ghost.lrt_migration.is_some() || !self.lrt_move_to(ROGUE) || self.ghost.lrt_migration.is_none() {
            return false;
        }
        let rogue = OPERATORS.len() - 1;
        let full = |c: &crate::ghost::Condition| c.cap == FULL && c.veto == 0 && !c.retired;
        if !self.ghost.conditions.iter().any(full) && !self.create_set(avs, 100, false, false) {
            return false;
        }
        let Some(condition) = self.ghost.conditions.iter().position(full) else { return false };
        let cond = self.ghost.conditions[condition].clone();
        let Set { avs, id } = self.ghost.sets[cond.set].clone();
        if !self.ghost.accepted.contains(&(ROGUE, cond.id)) {
            let bit = self.ghost.conditions.iter().filter(|c| c.set == cond.set).position(|c| c.id == cond.id).unwrap_or(0) % 8;
            if !self.join(rogue, cond.set, 1 << bit) && !self.accept(rogue, condition) {
                return false;
            }
        }
        let (current, target, _) = allocation(&self.world, ROGUE, avs, id);
        let more = magnitudes(&self.world, ROGUE).2;
        if more > 0 && !self.allocate_checked(ROGUE, avs, id, current.max(target) + more) {
            return false;
        }
        let (allocated, max_before) = (allocation(&self.world, ROGUE, avs, id).0, magnitudes(&self.world, ROGUE).0);
        let slasher = cond.slasher_at(self.world.timestamp());
        let escrow_before = self.escrow_before(&cond);
        if slash(&self.world, slasher, ROGUE, cond.id, U256::from(cond.cap)).is_err() {
            return false;
        }
        self.check_escrow_release(&cond, escrow_before);
        self.check_slashed(ROGUE, allocated, max_before, cond.cap);
        true
    }

    /// Anyone reports slash request `pick` (mostly an open one against the
    /// vault's stake): held exactly while it is pending against the vault's
    /// operator or the old operator of its change, until it expires.
    pub(crate) fn lrt_hold_instant(&mut self, pick: usize) -> bool {
        if self.ghost.requests.is_empty() {
            return false;
        }
        let now = self.world.timestamp();
        // The vault's operator (still the one that forced it out, until the adoption).
        let operator = self.ghost.lrt_forced.as_ref().map_or_else(|| self.delegated_to(LRT), |f| f.operator);
        let ours = [operator, self.ghost.lrt_migration.as_ref().map_or(Address::ZERO, |m| m.operator)];
        let open = |r: &crate::ghost::Request| !r.closed && ours.contains(&r.operator) && !r.operator.is_zero();
        let chosen =
            self.ghost.requests.iter().position(open).filter(|_| !pick.is_multiple_of(4)).unwrap_or(pick % self.ghost.requests.len());
        let r = self.ghost.requests[chosen].clone();
        let until = r.at + self.ghost.conditions[r.condition].veto + EXECUTION_WINDOW;
        // The registry keeps an expired request "pending"; the vault refuses it.
        let holdable = open(&r) && now < until;
        let ok = self.world.call(CAROL, LRT, &IAdmin::holdInstantRedemptionsCall { slashId: r.id }).is_ok();
        self.check(ok == holdable, || format!("reporting slash request {} (holdable {holdable}) to hold instant redemptions: {ok}", r.id));
        if ok {
            self.ghost.lrt_held_until = self.ghost.lrt_held_until.max(until);
        }
        ok
    }

    /// The withdrawal the vault queued in this step's logs, if any.
    pub(crate) fn vault_queued(&self) -> Option<VaultWithdrawal> {
        let e = self.world.events::<WithdrawalQueued>(DM).into_iter().find(|e| e.staker == LRT)?;
        let scaled = self.world.call(OWNER, DM, &IDM::queuedWithdrawalEntryCall { root: e.root, index: U256::ZERO }).expect("view")._1;
        Some(VaultWithdrawal { root: e.root, operator: e.operator, scaled, completable_at: e.completableAt.to() })
    }

    /// The vault's operator-change and forced withdrawals in the queue.
    pub(crate) fn vault_withdrawals(&self) -> impl Iterator<Item = &VaultWithdrawal> {
        self.ghost.lrt_migration.iter().chain(self.ghost.lrt_forced.iter())
    }

    /// At the drain: the manager adopts a forced withdrawal, then the
    /// operator change completes (the drain waited out its delay).
    pub(crate) fn settle_vault_operator(&mut self) {
        if self.ghost.lrt_migration.is_some() && self.ghost.lrt_forced.is_some() && !self.lrt_complete_migration() {
            self.check(false, || "the vault's operator change is stuck behind a forced undelegation".into());
            self.ghost.lrt_migration = None;
        }
        if self.ghost.lrt_forced.is_some() && !self.lrt_adopt() {
            self.ghost.lrt_forced = None;
        }
        if self.ghost.lrt_migration.is_some() && !self.lrt_complete_migration() {
            self.check(false, || "the vault's operator change is stuck".into());
            self.ghost.lrt_migration = None;
        }
    }

    /// Whether a due operator change may be unable to complete now (the
    /// DelegationManager's exits paused, or the StrategyManager's
    /// withdrawals when the new operator cannot take the shares and they
    /// must come back as tokens): every vault flow then refuses rather than
    /// value it at the old operator's magnitude.
    pub(crate) fn vault_change_blocked(&self) -> bool {
        let now = self.world.timestamp();
        let due = self.ghost.lrt_migration.as_ref().is_some_and(|m| now >= m.completable_at);
        due && (self.ghost.is_paused(DM_I, 2) || self.ghost.is_paused(crate::staking::SM_I, 1))
    }

    /// Whether the calls since the logs were last cleared completed the
    /// vault's operator change (its `MigrationCompleted` is in the logs).
    pub(crate) fn vault_change_just_completed(&self) -> bool {
        !self.world.events::<MigrationCompleted>(LRT).is_empty()
    }

    /// A flow that found the operator change due completed it first.
    pub(crate) fn note_completed_migration(&mut self) {
        self.ghost.lrt_change_completed = self.vault_change_just_completed();
        if self.ghost.lrt_change_completed {
            self.ghost.lrt_migration = None;
        }
    }
}
