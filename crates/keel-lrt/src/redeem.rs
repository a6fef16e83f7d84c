//! Redemptions: ERC-7540-style requests with fair claims, and instant
//! redemption from the idle buffer.
//!
//! Each request burns its LRT, records their value and queues its own
//! DelegationManager withdrawal of (at most) that value, topping up from the
//! idle buffer only when the restaked stake is short; so a request maps to
//! one withdrawal and no write loops over users. A controller's requests form
//! a queue that `redeem` claims oldest first.

use crate::{errors::*, restaking, withdrawal_root, LrtVault, Stake, PAUSED_CLAIMS, PAUSED_REDEMPTIONS};
use alloy_primitives::{
    aliases::{U160, U32},
    Address, U256, U64,
};
use keel_components::{emit, revert, Revert};
use keel_math::{
    mul_div,
    vault::{bps_of, fair_exit, to_assets, WAD},
    Rounding,
};
use stylus_sdk::prelude::*;

/// Seconds per day of the instant-redemption limit.
const DAY: u64 = 86_400;

impl LrtVault {
    /// Burns `shares` LRT of `owner` (the caller, or one that approved it
    /// for its LRT or as its ERC-7540 operator) and
    /// opens a redemption request for `controller`, worth at most their value
    /// now; returns the request id. Claimable after the DelegationManager's
    /// withdrawal delay (at once if the idle buffer funds it all). The
    /// controller must be the owner or the caller: nobody can slip a request
    /// into a stranger's claim queue. Refused with `MigrationPending` while
    /// an operator change in the queue holds stake the buffer would pay for.
    pub fn request_redeem(&mut self, shares: U256, controller: Address, owner: Address) -> Result<U256, Revert> {
        self.access.when_not_paused(PAUSED_REDEMPTIONS)?;
        self.access.enter()?;
        if shares.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        let sender = self.vm().msg_sender();
        if controller != owner && controller != sender {
            return Err(revert!(NotController { caller: sender, controller }));
        }
        let (total, stake, _) = self.accrue()?;
        let assets = to_assets(shares, total, self.supply.get(), Rounding::Down).unwrap_or_default();
        self.burn_shares(owner, shares)?;
        let (withdrawal, from_idle) = self.fund(assets, stake)?;
        let now = self.vm().block_timestamp();
        let delay = match withdrawal {
            None => U256::ZERO,
            Some(_) => restaking::withdrawal_delay(self.vm(), self.delegation_manager.get())?,
        };
        let claimable_at = now.saturating_add(delay.saturating_to());
        let count = self.request_count.get() + U64::from(1);
        self.request_count.set(count);
        let id = U256::from(count);
        self.requests.setter(id).record(controller, shares, assets, from_idle, withdrawal, claimable_at)?;
        self.controller_requests.setter(controller).push(count);
        self.last_total.set(self.raw_total()?);
        emit!(self.vm(), RedeemRequest; [controller, owner, id]; [sender, shares, assets]);
        self.access.exit();
        Ok(id)
    }

    /// ERC-7540 claim by LRT: claims `controller`'s oldest open requests,
    /// which must be claimable and hold exactly `shares` LRT in total; pays
    /// `receiver` the lower of each request's value at request and at claim;
    /// returns the assets paid. The caller is the controller or its operator.
    pub fn redeem(&mut self, shares: U256, receiver: Address, controller: Address) -> Result<U256, Revert> {
        Ok(self.claim(shares, false, receiver, controller)?.1)
    }

    /// ERC-7540 claim by assets: claims `controller`'s oldest open requests,
    /// which must be claimable and pay exactly `assets` in total (requests
    /// are claimed whole: `maxWithdraw` is what all claimable ones pay);
    /// returns the LRT of the requests claimed. The caller is the controller
    /// or its operator.
    pub fn withdraw(&mut self, assets: U256, receiver: Address, controller: Address) -> Result<U256, Revert> {
        Ok(self.claim(assets, true, receiver, controller)?.0)
    }

    /// LRT of request `request_id` still in its delay (zero unless `controller` is its controller).
    pub fn pending_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        let (shares, claimable) = self.request_state(request_id, controller);
        if claimable {
            U256::ZERO
        } else {
            shares
        }
    }

    /// LRT of request `request_id` claimable now (zero unless `controller` is its controller).
    pub fn claimable_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        let (shares, claimable) = self.request_state(request_id, controller);
        if claimable {
            shares
        } else {
            U256::ZERO
        }
    }

    /// Request `request_id`: controller, LRT burned, value at request (the
    /// most it pays), claimable-from time, and whether it is still open.
    pub fn redeem_request(&self, request_id: U256) -> (Address, U256, U256, U256, bool) {
        let r = self.requests.getter(request_id);
        (r.controller(), r.shares(), r.assets(), r.claimable_at(), r.open())
    }

    /// `controller`'s open requests: LRT pending, LRT claimable, and the
    /// most each part pays (values at request).
    pub fn controller_redeems(&self, controller: Address) -> (U256, U256, U256, U256) {
        let ids = self.controller_requests.getter(controller);
        let now = U256::from(self.vm().block_timestamp());
        let mut sums = [U256::ZERO; 4];
        for i in ids.head()..ids.len() {
            let r = self.requests.getter(ids.id(i));
            if r.open() {
                let part = usize::from(now >= r.claimable_at());
                sums[part] += r.shares();
                sums[2 + part] += r.assets();
            }
        }
        (sums[0], sums[1], sums[2], sums[3])
    }

    /// Burns `shares` LRT of `owner` (as [`request_redeem`](Self::request_redeem)
    /// does) and pays `receiver` their value less the
    /// instant fee, from the idle buffer, within the daily limit; reverts if
    /// that is below `min_assets`, and while a slash request against the
    /// vault's stake is held (see [`crate::slash_hold`]). Returns the assets paid.
    pub fn instant_redeem(&mut self, shares: U256, receiver: Address, owner: Address, min_assets: U256) -> Result<U256, Revert> {
        self.access.when_not_paused(PAUSED_REDEMPTIONS)?;
        self.access.enter()?;
        self.check_instant_hold()?;
        if shares.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        let (total, _, _) = self.accrue()?;
        let value = to_assets(shares, total, self.supply.get(), Rounding::Down).unwrap_or_default();
        let fee = bps_of(value, U256::from(self.instant_bps.get()));
        let assets = value - fee;
        if assets < min_assets {
            return Err(revert!(Slippage { got: assets, bound: min_assets }));
        }
        let idle = self.idle.get();
        if idle < assets {
            return Err(revert!(BufferInsufficient { available: idle, wanted: assets }));
        }
        let remaining = self.instant_remaining();
        if remaining < assets {
            return Err(revert!(DailyLimitExceeded { remaining, wanted: assets }));
        }
        self.burn_shares(owner, shares)?;
        // At most the daily limit; a limit past 2^160 wei is no limit, and a
        // day's redemptions that large are refused rather than miscounted.
        let used = self.daily_limit.get() - remaining + assets;
        if used.bit_len() > 160 {
            return Err(revert!(DailyLimitExceeded { remaining, wanted: assets }));
        }
        self.day.set(U32::from(self.today()));
        self.day_used.set(U160::saturating_from(used));
        self.idle.set(idle - assets);
        self.last_total.set(self.last_total.get().saturating_sub(assets));
        self.pay(receiver, assets)?;
        emit!(self.vm(), InstantRedeem; [owner, receiver]; [shares, assets, fee]);
        self.access.exit();
        Ok(assets)
    }
}

impl LrtVault {
    /// Sources `assets` for a request: a withdrawal of restaked shares worth
    /// at most that (rounded down), and from the idle buffer whatever the
    /// stake cannot cover, booked as reserve units. Returns (the vault's
    /// nonce of the withdrawal, if one was queued; reserve units of the idle part).
    /// While an operator change is in the queue the buffer pays no request:
    /// most of the holders' stake sits in that change, still slashable, and
    /// a request paid at once from the buffer would escape its slashes.
    /// `stake` is what the flow's checkpoint read: nothing since has moved stake.
    fn fund(&mut self, assets: U256, stake: Stake) -> Result<(Option<u64>, U256), Revert> {
        let (sm, dm, asset, me) =
            (self.strategy_manager.get(), self.delegation_manager.get(), self.asset.get(), self.vm().contract_address());
        let deposit = restaking::deposit_shares(self.vm(), sm, me, asset)?;
        let staked = stake.staked;
        let (queued, from_idle) = if staked >= assets {
            // Deposit shares in proportion to value, rounded up so that even a
            // request worth less than one share is covered: the withdrawal is
            // worth `assets` and at most a wei and three shares more (this
            // rounding and the DelegationManager's), which the claim returns
            // to the buffer.
            (mul_div(deposit, assets, staked, Rounding::Up).unwrap_or_default().min(deposit), U256::ZERO)
        } else {
            (deposit, assets - staked)
        };
        if !from_idle.is_zero() && !self.migration_due.get().is_zero() {
            return Err(revert!(MigrationPending { root: self.migration_root.get() }));
        }
        let (withdrawal, from_idle) = if queued.is_zero() {
            (None, assets)
        } else {
            // The flow's checkpoint refused a withdrawal the vault did not
            // queue itself (a forced undelegation not yet adopted), so the
            // vault's count of its own is the DelegationManager's nonce; if
            // anything queued one since, the request is refused rather than
            // recorded against another withdrawal.
            let nonce = self.own_withdrawals.get().to::<u64>();
            let context = Call::new_mutating(self);
            let root = restaking::queue(self.vm(), context, dm, asset, queued)?;
            if root != withdrawal_root(me, nonce) {
                return Err(revert!(ForcedUndelegation { operator: self.operator.get() }));
            }
            self.count_own_withdrawal();
            (Some(nonce), from_idle)
        };
        let idle = self.idle.get();
        if idle < from_idle {
            return Err(revert!(BufferInsufficient { available: idle, wanted: from_idle }));
        }
        self.idle.set(idle - from_idle);
        // Rounded down: the units are worth at most what left the buffer.
        let units = mul_div(from_idle, WAD, self.reserve_index(), Rounding::Down).unwrap_or_default();
        if !units.is_zero() {
            self.reserved.set(self.reserved.get() + units);
        }
        Ok((withdrawal, units))
    }

    /// Closes request `id`: completes its withdrawal and returns what it
    /// pays, `min(value at request, value at claim)`; any excess (gains
    /// after the request) joins the idle buffer and vests to the holders.
    /// `balance` is the vault's asset balance, kept up to date.
    fn settle_request(&mut self, id: U256, balance: &mut U256) -> Result<U256, Revert> {
        let request = self.requests.getter(id);
        let (root, owed, units) = (request.root(self.vm().contract_address()), request.assets(), request.buffer_units());
        self.requests.setter(id).open.set(false);
        let mut value = self.reserve_value(units);
        if !units.is_zero() {
            self.reserved.set(self.reserved.get() - units);
        }
        if !root.is_zero() {
            let dm = self.delegation_manager.get();
            let context = Call::new_mutating(self);
            restaking::complete(self.vm(), context, dm, root, true)?;
            let after = self.asset_balance()?;
            value += after.saturating_sub(*balance);
            *balance = after;
        }
        let paid = fair_exit(owed, value);
        self.idle.set(self.idle.get() + value - paid);
        Ok(paid)
    }

    /// (LRT, claimable now) of request `id` if `controller` controls it and it is open.
    fn request_state(&self, id: U256, controller: Address) -> (U256, bool) {
        let r = self.requests.getter(id);
        if !r.open() || r.controller() != controller {
            return (U256::ZERO, false);
        }
        (r.shares(), U256::from(self.vm().block_timestamp()) >= r.claimable_at())
    }

    /// Claims `controller`'s oldest requests until they hold `amount` LRT
    /// (or pay `amount` assets, `by_assets`); returns (LRT, assets) claimed.
    fn claim(&mut self, amount: U256, by_assets: bool, receiver: Address, controller: Address) -> Result<(U256, U256), Revert> {
        self.access.when_not_paused(PAUSED_CLAIMS)?;
        self.access.enter()?;
        self.only_self_or_operator(controller)?;
        if amount.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        // Rebases since the last flow reach the reserve before it pays.
        let mut balance = self.reconcile_buffer()?;
        let (mut claimed, mut paid) = (U256::ZERO, U256::ZERO);
        let (ids, mut head) = {
            let queue = self.controller_requests.getter(controller);
            (queue.len(), queue.head())
        };
        while (if by_assets { paid } else { claimed }) < amount {
            let id = self.controller_requests.getter(controller).id(head);
            let request = self.requests.getter(id);
            let (open, at, size) = (request.open(), request.claimable_at(), request.shares());
            let too_many = !by_assets && claimed + size > amount;
            if head >= ids || (open && (U256::from(self.vm().block_timestamp()) < at || too_many)) {
                return Err(revert!(RequestNotClaimable { requestId: id, claimableAt: at }));
            }
            if open {
                let assets = self.settle_request(id, &mut balance)?;
                emit!(self.vm(), RedeemClaimed; [controller, receiver, id]; [assets]);
                claimed += size;
                paid += assets;
            }
            head += 1;
        }
        if by_assets && paid != amount {
            return Err(revert!(Slippage { got: paid, bound: amount }));
        }
        self.controller_requests.setter(controller).set_head(head);
        self.pay(receiver, paid)?;
        let sender = self.vm().msg_sender();
        emit!(self.vm(), Withdraw; [sender, receiver, controller]; [paid, claimed]);
        self.access.exit();
        Ok((claimed, paid))
    }

    /// Assets today's instant-redemption limit still allows.
    fn instant_remaining(&self) -> U256 {
        let used = if self.day.get().to::<u32>() == self.today() { U256::from(self.day_used.get()) } else { U256::ZERO };
        self.daily_limit.get().saturating_sub(used)
    }

    /// Unix days now (below 2^32 for eleven million years).
    fn today(&self) -> u32 {
        (self.vm().block_timestamp() / DAY) as u32
    }
}
