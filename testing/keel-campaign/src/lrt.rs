//! LRT vault actions: deposits, redemption requests and their claims,
//! instant redemptions, the keeper's rebalance, the manager's buffer target,
//! and the strategy's rewards; each checked against the model when it
//! succeeds, and every step checked for moves of the rate.

use crate::{
    action::Action,
    actors::*,
    ghost::LrtRequest,
    rebase::{raw_balance, raw_of, reserve_rounding, transfer_rounding},
    staking::{DM_I, SM_I},
    Campaign,
};
use alloy_primitives::{Address, B256, U256};
use keel_fixtures::{
    dm::IDelegationManager::WithdrawalPaid,
    lrt::{IAdmin, IVault, MANAGER, TREASURY},
    rewards::{reward_balance, REWARD},
    *,
};
use keel_lrt_vault::errors::{
    BufferInsufficient, DailyLimitExceeded, ForcedUndelegation, MigrationPending, SlashRequestPending, Slippage, TransferFailed, ZeroAmount,
};
use keel_math::{
    slashing::shares_at_magnitude,
    vault::{bps_of, rate, to_assets, VIRTUAL_SHARES},
    Rounding,
};

/// Most LRT requests open at once (keeps each step's checks bounded).
const MAX_LRT_REQUESTS: usize = 24;
/// Wei of total assets a step other than a slash may lose to rounding.
pub(crate) const RATE_SLACK: u64 = 4;
/// Index of the treasury in [`LRT_HOLDERS`].
const TREASURY_I: usize = LRT_HOLDERS.len() - 1;

/// The vault as seen at one moment.
#[derive(Clone)]
pub(crate) struct LrtSnapshot {
    /// Total assets.
    pub total: U256,
    /// LRT supply.
    pub supply: U256,
    /// LRT of each of [`LRT_HOLDERS`].
    pub balances: [U256; LRT_HOLDERS.len()],
    /// The model's windfall then.
    pub windfall: U256,
    /// The model's count of what claimed requests returned to the vault then.
    pub returned: U256,
}

impl LrtSnapshot {
    /// The vault in `world` now (`windfall`, `returned`: the model's).
    pub fn of(world: &World, windfall: U256, returned: U256) -> Self {
        LrtSnapshot {
            total: world.call(OWNER, LRT, &IVault::totalAssetsCall {}).expect("view"),
            supply: world.call(OWNER, LRT, &IVault::totalSupplyCall {}).expect("view"),
            balances: LRT_HOLDERS.map(|h| lrt_balance(world, h)),
            windfall,
            returned,
        }
    }

    /// Assets per 1e18 LRT.
    pub fn rate(&self) -> U256 {
        rate(self.total, self.supply)
    }

    /// Assets `shares` LRT are worth (the vault's convertToAssets).
    pub fn to_assets(&self, shares: U256) -> U256 {
        to_assets(shares, self.total, self.supply, Rounding::Down).unwrap_or_default()
    }
}

impl Campaign {
    pub(crate) fn lrt_deposit(&mut self, holder: usize, wei: u128) -> bool {
        let (who, assets) = (LRT_HOLDERS[holder], U256::from(wei));
        let (tokens, lrt, spendable) = (raw_balance(&self.world, who), lrt_balance(&self.world, who), balance(&self.world, who));
        let minted = match self.world.call(who, LRT, &IVault::depositCall { assets, receiver: who }) {
            Ok(minted) => minted,
            Err(e) => {
                // Refused only while the vault waits for its manager or the
                // DelegationManager, for dust, or for tokens the holder lacks.
                let expected = e.is::<Slippage>() || e.is::<TransferFailed>() || self.vault_waits(&e);
                self.check(expected, || format!("a deposit of {assets} was refused: {e:?}"));
                return false;
            }
        };
        let worth = to_assets_now(&self.world, minted);
        self.check(lrt_balance(&self.world, who) == lrt + minted, || {
            format!("a deposit reported {minted} LRT but credited another amount")
        });
        // Compared in raw units: a transfer moves exactly ceil(value / factor) of them.
        self.check(raw_balance(&self.world, who) + raw_of(&self.world, assets) == tokens, || {
            format!("a deposit of {assets} took another amount")
        });
        // What it brought: its balance's fall (a transfer at a rebased factor may take a wei or two above `assets`).
        let brought = spendable - balance(&self.world, who);
        self.check(worth <= brought + transfer_rounding(&self.world), || {
            format!("a deposit of {assets} ({brought} from its balance) minted LRT worth {worth}")
        });
        true
    }

    pub(crate) fn lrt_request(&mut self, holder: usize, percent: u64) -> bool {
        if self.ghost.lrt_requests.len() >= MAX_LRT_REQUESTS {
            return false;
        }
        let who = LRT_HOLDERS[holder];
        let shares = lrt_balance(&self.world, who) * U256::from(percent) / U256::from(100);
        self.request_lrt(holder, shares)
    }

    /// `holder` requests redemption of `shares` LRT; records and checks the request.
    pub(crate) fn request_lrt(&mut self, holder: usize, shares: U256) -> bool {
        let who = LRT_HOLDERS[holder];
        let value = to_assets_now(&self.world, shares);
        let (idle, tokens) = (holdings(&self.world).0, balance(&self.world, LRT));
        let now = self.world.timestamp();
        let call = IVault::requestRedeemCall { shares, controller: who, owner: who };
        self.clear_logs();
        let id = match self.world.call(who, LRT, &call) {
            Ok(id) => id,
            Err(e) => {
                // While an operator change holds the stake, the buffer pays no request.
                let changing = self.ghost.lrt_migration.is_some() && e.is::<MigrationPending>();
                let expected = changing || e.is::<ZeroAmount>() || e.is::<BufferInsufficient>() || self.vault_waits(&e);
                self.check(expected, || format!("a request of {shares} LRT was refused: {e:?}"));
                return false;
            }
        };
        let r = self.world.call(OWNER, LRT, &IAdmin::redeemRequestCall { requestId: id }).expect("view");
        let (controller, recorded, assets, claimable_at, open) = (r._0, r._1, r._2, r._3.to::<u64>(), r._4);
        self.check(controller == who && recorded == shares && open, || format!("request {id} is not recorded as asked"));
        // (Worth more than the views said if the request completed a due
        // operator change first: see `Ghost::lrt_change_completed`.)
        let completed = self.vault_change_just_completed();
        // A flow's reconciliation may move the reserve index's rounding into the buffer first.
        let moved: U256 = self.ghost.lrt_requests.iter().map(|r| self.reserve_slack(r)).sum();
        self.check(assets <= value + moved || completed, || format!("a request of LRT worth {value} recorded {assets}"));
        // A due change completed first as tokens adds them to the buffer.
        let arrived = balance(&self.world, LRT).saturating_sub(tokens);
        let measured = (idle + arrived).saturating_sub(holdings(&self.world).0);
        let (root, operator, scaled) = match self.vault_queued() {
            Some(q) => (q.root, q.operator, q.scaled),
            None => (B256::ZERO, Address::ZERO, U256::ZERO),
        };
        // A request without a withdrawal is its value taken from the buffer:
        // measured through the views, that is off by what the flow's
        // reconciliation moved between the reserve and the buffer (the reserve
        // index's rounding on all open units, once the asset was rebased).
        self.check(measured <= assets, || format!("request {id} took {measured} from the buffer, more than its value {assets}"));
        let from_idle = if root.is_zero() { assets } else { measured };
        // Issue 18 F2: a request paid from the buffer while an operator change
        // still held the holders' stake escaped that stake's slashes.
        let exposed = self.ghost.lrt_migration.is_some() && !completed;
        self.check(from_idle.is_zero() || !exposed, || {
            format!("request {id} took {from_idle} from the buffer while an operator change held the stake")
        });
        let funded = from_idle + strategy_value(&self.world, shares_at_magnitude(scaled, self.ghost.magnitude_at(operator, now)));
        // The vault sizes the withdrawal from its rounded-down stake value, so
        // it may set aside a little more; the claim pays at most `assets` and
        // returns the excess to the buffer. How much more: with D deposit
        // shares, k·m their withdrawable shares each (scaling factor times
        // magnitude, at most 1), W = ⌊⌊D·k⌋·m⌋ > D·k·m − 2 withdrawable, p
        // tokens per strategy share and S = ⌊W·p⌋ ≥ a (a = `assets`), the
        // vault queues q = ⌈D·a/S⌉ ≤ D, whose withdrawal pays
        // ⌊⌊q·k⌋·m⌋ ≤ q·k·m < q·(W + 2)/D ≤ q·W/D + 2 shares, worth
        // V < (D·a/S + 1)·W·p/D + 2p < a·(S + 1)/S + 3p ≤ a + 1 + 3p.
        // So V ≤ a + 1 + ⌊3p⌋. (The old bound, 2 wei, left out the
        // DelegationManager's rounding and the share price: seed
        // 5993014296193998152 set aside 3 wei more at p = 1.2.)
        let slack = U256::from(1) + strategy_value(&self.world, U256::from(3));
        self.check(funded <= assets + slack, || format!("a request worth {assets} set aside {funded} (slack {slack})"));
        let delay_ok = if root.is_zero() { claimable_at == now } else { claimable_at >= now + DELAY };
        self.check(delay_ok, || format!("request {id} is claimable at {claimable_at}, requested at {now}"));
        // Once the token was rebased, the reserve index may have fallen: the
        // units booked for `from_idle` may then be worth a wei less.
        let idle_floor = if self.ghost.token_rebased { from_idle.saturating_sub(U256::from(1)) } else { from_idle };
        self.ghost.lrt_requests.push(LrtRequest {
            id,
            holder,
            shares,
            assets,
            from_idle,
            root,
            operator,
            scaled,
            claimable_at,
            idle_floor,
            rebased_steps: 0,
            from_idle_error: if root.is_zero() { U256::ZERO } else { moved },
        });
        true
    }

    pub(crate) fn lrt_claim(&mut self, holder: usize, pick: usize, early: bool) -> bool {
        let (who, now) = (LRT_HOLDERS[holder], self.world.timestamp());
        let mine: Vec<LrtRequest> = self.ghost.lrt_requests.iter().filter(|r| r.holder == holder).cloned().collect();
        let ready = mine.iter().take_while(|r| r.claimable_at <= now).count();
        let (count, allowed) = if early && ready < mine.len() {
            (ready + 1, false)
        } else if ready == 0 {
            (0, false)
        } else {
            (1 + pick % ready, true)
        };
        let shares = if count == 0 { U256::from(1) } else { mine[..count].iter().map(|r| r.shares).sum() };
        let owed: U256 = mine[..count].iter().map(|r| self.request_owed(r)).sum();
        let floor: U256 = mine[..count].iter().map(|r| self.request_floor(r)).sum();
        let (tokens, held) = (raw_balance(&self.world, who), balance(&self.world, LRT));
        self.clear_logs();
        match claim_as(&self.world, who, shares) {
            Ok(paid) => {
                let from_idle: U256 = mine[..count].iter().map(|r| r.from_idle).sum();
                self.ghost.lrt_returned += (balance(&self.world, LRT) + from_idle).saturating_sub(held);
                self.check(allowed, || format!("{who} claimed {shares} LRT of requests not all past their delay"));
                self.check(raw_balance(&self.world, who) == tokens + raw_of(&self.world, paid), || {
                    format!("a claim reported {paid} but paid another amount")
                });
                let withdrawn = self.world.events::<WithdrawalPaid>(DM);
                for r in &mine[..count] {
                    let got: U256 = withdrawn.iter().filter(|e| e.root == r.root).map(|e| e.shares).sum();
                    let most = self.request_shares(r);
                    self.check(got <= most, || {
                        format!("request {} escaped a slash in its delay: its withdrawal paid {got} shares, owed {most}", r.id)
                    });
                }
                // Each withdrawal completed within the claim may find the strategy's share a wei richer (rounding of the one before).
                // A withdrawal's tokens may arrive a wei or two above their value at a rebased factor.
                let drift = U256::from(count.saturating_sub(1)) + U256::from(count) * transfer_rounding(&self.world);
                self.check(paid <= owed + drift, || format!("a redemption paid {paid}, more than the {owed} owed after slashes"));
                self.check(paid + U256::from(count) >= floor, || {
                    format!("a redemption paid {paid}, less than the {floor} owed (at most {owed})")
                });
                let claimed: Vec<U256> = mine[..count].iter().map(|r| r.id).collect();
                self.ghost.lrt_requests.retain(|r| !claimed.contains(&r.id));
                true
            }
            Err(e) => {
                let paused = self.ghost.is_paused(DM_I, 2) || self.ghost.is_paused(SM_I, 1);
                self.check(!allowed || paused, || format!("{who}'s claimable redemptions were refused: {e:?}"));
                false
            }
        }
    }

    pub(crate) fn lrt_instant(&mut self, holder: usize, percent: u64, tight: bool) -> bool {
        let who = LRT_HOLDERS[holder];
        let shares = lrt_balance(&self.world, who) * U256::from(percent) / U256::from(100);
        let value = to_assets_now(&self.world, shares);
        // A flow's reconciliation may move the reserve index's rounding into the buffer first.
        let moved: U256 = self.ghost.lrt_requests.iter().map(|r| self.reserve_slack(r)).sum();
        let most = value + moved - bps_of(value, U256::from(LRT_INSTANT_BPS));
        let min = if tight { value } else { U256::ZERO };
        let tokens = raw_balance(&self.world, who);
        let call = IVault::instantRedeemCall { shares, receiver: who, owner: who, minAssets: min };
        match self.world.call(who, LRT, &call) {
            Ok(paid) => {
                let held = self.world.timestamp() < self.ghost.lrt_held_until;
                self.check(!held, || {
                    "an instant redemption went through while a slash request against the vault's stake was pending".into()
                });
                let fee: U256 = self.world.events::<IVault::InstantRedeem>(LRT).iter().map(|e| e.fee).sum();
                self.check(paid <= most, || {
                    format!("an instant redemption of LRT worth {value} paid {paid} (at most {most} after the fee)")
                });
                self.check(paid >= min, || format!("an instant redemption paid {paid} below the minimum {min}"));
                self.check(raw_balance(&self.world, who) == tokens + raw_of(&self.world, paid), || {
                    format!("an instant redemption reported {paid} but paid another amount")
                });
                self.ghost.windfall += fee;
                true
            }
            Err(e) => {
                let forced = self.ghost.lrt_forced.is_some() && e.is::<ForcedUndelegation>();
                let held = self.world.timestamp() < self.ghost.lrt_held_until && e.is::<SlashRequestPending>();
                let expected = forced
                    || held
                    || self.vault_change_blocked()
                    || e.is::<BufferInsufficient>()
                    || e.is::<DailyLimitExceeded>()
                    || e.is::<Slippage>()
                    || e.is::<ZeroAmount>();
                self.check(expected, || format!("an instant redemption was refused for another reason: {e:?}"));
                false
            }
        }
    }

    /// Whether refusal `e` of a vault flow is one it must wait out: a
    /// forced undelegation before its adoption, a due operator change the
    /// DelegationManager cannot complete yet, or a pause of the contracts
    /// under the vault.
    fn vault_waits(&self, e: &Revert) -> bool {
        let forced = self.ghost.lrt_forced.is_some() && e.is::<ForcedUndelegation>();
        forced || self.vault_change_blocked() || self.ghost.paused.iter().any(|p| *p != 0)
    }

    pub(crate) fn lrt_rebalance(&mut self) -> bool {
        let (idle, target, ..) = holdings(&self.world);
        // Its reconciliation may move the reserve index's rounding into the buffer first.
        let moved: U256 = self.ghost.lrt_requests.iter().map(|r| self.reserve_slack(r)).sum();
        let ok = self.world.call(CAROL, LRT, &IAdmin::rebalanceCall {}).is_ok();
        self.check(ok || self.ghost.lrt_forced.is_some() || self.vault_change_blocked(), || "a keeper's rebalance was refused".into());
        let after = holdings(&self.world).0;
        // A due change it completed as tokens joins the buffer (and stays
        // there if the operator cannot take a deposit either).
        let completed = self.vault_change_just_completed();
        // Restaking at a rebased factor may cost the buffer a wei or two of the transfer's rounding.
        let restaked = idle > target && after <= target + moved && after + transfer_rounding(&self.world) >= target;
        let kept = after >= idle && after <= idle + moved;
        self.check(completed || kept || restaked, || format!("a rebalance moved the buffer {idle} → {after} (target {target})"));
        ok
    }

    pub(crate) fn lrt_buffer_target(&mut self, tokens: u64) -> bool {
        let ok = self.world.call(MANAGER, LRT, &IAdmin::setBufferTargetCall { target: ether(tokens) }).is_ok();
        self.check(ok, || "the manager could not set the buffer target".into());
        ok
    }

    /// A keeper claims the vault's rewards from every operator's pool (they
    /// are in REWARD, so they go to the reward recipient, TREASURY).
    pub(crate) fn lrt_claim_rewards(&mut self) -> bool {
        let before = reward_balance(&self.world, TREASURY);
        let call = IAdmin::claimRewardsCall { operators: OPERATORS.to_vec(), rewardTokens: vec![REWARD] };
        let ok = self.world.call(CAROL, LRT, &call).is_ok();
        self.ghost.claimed += reward_balance(&self.world, TREASURY) - before;
        ok
    }

    pub(crate) fn reward(&mut self, bps: u64) -> bool {
        let amount = balance(&self.world, SM) * U256::from(bps) / U256::from(10_000);
        if amount.is_zero() {
            return false;
        }
        self.world.call(REWARDER, TOKEN, &IToken::transferCall { to: SM, value: amount }).expect("the rewarder is funded");
        self.ghost.windfall += amount;
        true
    }

    /// The most request `r` may pay now: its value at the request, or less
    /// if its withdrawal lost value to a slash during its delay (its idle
    /// part known up to the reserve index's rounding, once rebases moved it).
    pub(crate) fn request_owed(&self, r: &LrtRequest) -> U256 {
        r.assets.min(r.from_idle + r.from_idle_error + self.reserve_slack(r) + self.request_queued(r))
    }

    /// The least request `r` must pay now: as [`request_owed`](Self::request_owed),
    /// with its idle-funded part lowered by the asset's negative rebases since.
    pub(crate) fn request_floor(&self, r: &LrtRequest) -> U256 {
        r.assets.min(r.idle_floor.saturating_sub(self.reserve_slack(r)) + self.request_queued(r))
    }

    /// Wei the reserve index's rounding may move request `r`'s idle part
    /// (none until the token was rebased: the index stays 1 until a shortfall).
    pub(crate) fn reserve_slack(&self, r: &LrtRequest) -> U256 {
        if self.ghost.token_rebased {
            reserve_rounding(r.from_idle) + U256::from(r.rebased_steps)
        } else {
            U256::ZERO
        }
    }

    /// Value now of request `r`'s withdrawal, at the operator's magnitude at
    /// the end of its delay (or now, if sooner).
    pub(crate) fn request_queued(&self, r: &LrtRequest) -> U256 {
        strategy_value(&self.world, self.request_shares(r))
    }

    /// Strategy shares of request `r`'s withdrawal.
    pub(crate) fn request_shares(&self, r: &LrtRequest) -> U256 {
        let at = self.world.timestamp().min(r.claimable_at.saturating_sub(1));
        shares_at_magnitude(r.scaled, self.ghost.magnitude_at(r.operator, at))
    }

    /// After `action`: unless it is a slash or time passing, the rate did
    /// not fall beyond rounding once the performance fee it charged (the
    /// treasury's new LRT) is counted before it; and a holder's deposit or
    /// redemption moved what the other holders can redeem (after that fee)
    /// by no more than rounding (plus, for an instant redemption, its fee,
    /// which stays with them).
    pub(crate) fn check_rate(&mut self, action: &Action, before: &LrtSnapshot) {
        if action.may_lower_rate() {
            return;
        }
        let after = self.lrt_seen.clone();
        let fee = after.balances[TREASURY_I].saturating_sub(before.balances[TREASURY_I]);
        let charged = LrtSnapshot { supply: before.supply + fee, ..before.clone() };
        // Rounding: a few wei of total assets, or a few wei per 1e18 LRT. An
        // operator change the flow completed first rounds its value at the
        // supply before the flow, and a large deposit after it carries that
        // rate into its own LRT: in a vault of 204 LRT a wei is 0.5% of the
        // rate (seed 2's run 21), so a few wei of assets at that supply.
        let completion =
            if self.ghost.lrt_change_completed { rate(U256::from(RATE_SLACK), before.supply.max(U256::from(1))) } else { U256::ZERO };
        let floor = rate(after.total + U256::from(RATE_SLACK), after.supply).max(after.rate() + U256::from(RATE_SLACK)) + completion;
        let totals = format!("total {} → {}, supply {} → {}, fee {fee} LRT", before.total, after.total, before.supply, after.supply);
        self.check(floor >= charged.rate(), || format!("the LRT rate fell {} → {} ({totals})", charged.rate(), after.rate()));
        let Some(holder) = action.lrt_holder() else { return };
        let others = |snapshot: &LrtSnapshot| -> U256 {
            (0..LRT_HOLDERS.len()).filter(|&i| i != holder).map(|i| snapshot.to_assets(before.balances[i])).sum()
        };
        let (was, now) = (others(&charged), others(&after));
        // Rounding in the vault's favour: a few wei, plus what the virtual
        // offsets take from a flow into or out of a small (or much slashed)
        // vault; and gains that become the holders' at once: an instant
        // redemption's fee, and what a claimed request's withdrawal returned
        // above its value (it offsets a loss not yet absorbed, or vests).
        let flow = after.total.abs_diff(before.total);
        let smallest = before.supply.min(after.supply).min(before.total).min(after.total);
        let offset = flow * VIRTUAL_SHARES / (smallest + VIRTUAL_SHARES);
        // (And, once the asset was rebased, the reserve index's rounding a reconciliation moves into the buffer.)
        let moved: U256 = self.ghost.lrt_requests.iter().map(|r| self.reserve_slack(r)).sum();
        let gains = (after.windfall - before.windfall) + (after.returned - before.returned) + moved;
        let slack = U256::from(RATE_SLACK) + offset + gains;
        // Each other holder's redeemable is rounded down on its own: the sum
        // may read up to a wei lower per holder than the value it stands for.
        let floors = (0..LRT_HOLDERS.len()).filter(|&i| i != holder && !before.balances[i].is_zero()).count() as u64;
        self.check(now + U256::from(RATE_SLACK + floors) >= was || self.ghost.lrt_change_completed, || {
            format!("a holder's flow cut the others' redeemable {was} → {now}")
        });
        let restored = self.ghost.lrt_change_completed;
        self.check(now <= was + slack || restored, || {
            format!("a holder's flow raised the others' redeemable {was} → {now} (slack {slack}; {totals})")
        });
    }
}

/// LRT held by `who`.
pub(crate) fn lrt_balance(world: &World, who: Address) -> U256 {
    world.call(OWNER, LRT, &IVault::balanceOfCall { account: who }).expect("view")
}

/// Assets `shares` LRT are worth now.
pub(crate) fn to_assets_now(world: &World, shares: U256) -> U256 {
    world.call(OWNER, LRT, &IVault::convertToAssetsCall { shares }).expect("view")
}

/// The vault's holdings: idle buffer, buffer target, restaked value,
/// migrating value, unvested gains.
pub(crate) fn holdings(world: &World) -> (U256, U256, U256, U256, U256) {
    let h = world.call(OWNER, LRT, &IAdmin::holdingsCall {}).expect("view");
    (h._0, h._1, h._2, h._3, h._4)
}

/// Tokens `shares` strategy shares are worth now.
pub(crate) fn strategy_value(world: &World, shares: U256) -> U256 {
    if shares.is_zero() {
        return U256::ZERO;
    }
    world.call(OWNER, SM, &ISM::sharesToUnderlyingCall { token: TOKEN, shares }).expect("view")
}

/// `who` claims `shares` LRT of its oldest requests; returns the assets paid.
pub(crate) fn claim_as(world: &World, who: Address, shares: U256) -> Result<U256, Revert> {
    world.call(who, LRT, &IVault::redeemCall { shares, receiver: who, controller: who })
}
