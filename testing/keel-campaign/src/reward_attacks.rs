//! The reward actions that reach issue 18's F4 and F5 and issue 24's L-2
//! and L-3: operators accepting extra reward tokens, strangers paying dust
//! in them, payments at once sandwiched by a staker's entry and exit,
//! streams stopped by their AVS or by anyone, and the reward token rebasing.

use crate::{actors::*, Campaign};
use alloy_primitives::{Address, U256};
use keel_fixtures::{rewards::*, *};

/// Whitelisted reward tokens besides [`REWARD`], which no operator accepts at first.
pub const DUST_TOKENS: [Address; 8] = {
    let mut tokens = [Address::ZERO; 8];
    let mut i = 0;
    while i < 8 {
        let mut bytes = [0u8; 20];
        bytes[18] = 0x72;
        bytes[19] = i as u8;
        tokens[i] = Address::new(bytes);
        i += 1;
    }
    tokens
};

/// Strangers to every pool who hold dust tokens (not AVSs).
pub const DUST_PAYERS: [Address; 2] = [ALICE, CAROL];

/// Deploys the [`DUST_TOKENS`] (whitelisted, accepted by no operator) and
/// funds the AVSs and [`DUST_PAYERS`] with them.
pub fn deploy_dust_tokens(world: &World) {
    for token in DUST_TOKENS {
        deploy_reward_token(world, token);
        for operator in OPERATORS {
            world.call(operator, RC, &IRC::acceptRewardTokenCall { token, accepted: false }).expect("operator revokes");
        }
        for payer in DUST_PAYERS {
            world.call(OWNER, token, &IToken::mintCall { to: payer, value: ether(1_000) }).expect("mint");
            world.call(payer, token, &IToken::approveCall { spender: RC, value: U256::MAX }).expect("approve");
        }
    }
}

impl Campaign {
    pub(crate) fn accept_token(&mut self, operator: usize, token: usize, accepted: bool) -> bool {
        let token = DUST_TOKENS[token % DUST_TOKENS.len()];
        let ok = self.act_on(RC, OPERATORS[operator], &IRC::acceptRewardTokenCall { token, accepted }).is_ok();
        if ok && accepted {
            self.ghost.ever_accepted.insert((OPERATORS[operator], token));
        }
        ok
    }

    /// `payer` (a stranger, or an AVS) pays `wei` of a dust token to an operator's pool.
    pub(crate) fn dust_submit(&mut self, payer: usize, operator: usize, token: usize, wei: u64, at_once: bool) -> bool {
        let (token, operator) = (DUST_TOKENS[token % DUST_TOKENS.len()], OPERATORS[operator]);
        let payer = [DUST_PAYERS[0], DUST_PAYERS[1], AVSS[0], AVSS[1], AVSS[2]][payer % 5];
        let (start, duration) = if at_once { (0, 0) } else { (next_epoch(&self.world), DAY) };
        let call = IRC::submitRewardsCall {
            operators: vec![operator],
            amounts: vec![U256::from(wei)],
            strategy: TOKEN,
            rewardToken: token,
            start,
            duration,
        };
        let ok = self.world.call(payer, RC, &call).is_ok();
        self.check(!ok || self.ghost.ever_accepted.contains(&(operator, token)), || {
            format!("{payer} added {token}, never accepted by {operator}, to its pool")
        });
        ok
    }

    /// `who` stakes `wei` with `operator` just before a payment at once and
    /// queues all its shares right after, in the same block: it must earn
    /// nothing of the payment.
    pub(crate) fn snipe(&mut self, who: usize, operator: usize, wei: u128, avs: usize) -> bool {
        let staker = depositors()[who];
        let earned_before = self.reward_position(staker);
        let entered = self.deposit(who, wei) && (self.delegated_to(staker) == OPERATORS[operator] || self.delegate(who, operator, false));
        if !entered || !self.submit(avs, operator, wei, 0, 0) {
            return false;
        }
        let left = self.queue(who, 100);
        let earned_after = self.reward_position(staker);
        // The views price booked units at held / owed, which a submission
        // raises by its rounding (after a rebase, or once claims left
        // fractions of a wei behind): a few wei over three views.
        let slack = U256::from(8u8);
        self.check(earned_after <= earned_before + slack, || {
            format!("{staker} earned {earned_before} → {earned_after} from a payment at once it was staked for no time")
        });
        left
    }

    /// Claimable plus pending [`REWARD`] of `earner` in both pools.
    fn reward_position(&self, earner: Address) -> U256 {
        let mut total = self.world.call(OWNER, RC, &IRC::claimableCall { earner, rewardToken: REWARD }).expect("view");
        for operator in OPERATORS {
            total += self
                .world
                .call(OWNER, RC, &IRC::pendingRewardsCall { earner, operator, strategy: TOKEN, rewardToken: REWARD })
                .expect("view");
        }
        total
    }

    /// Records the streams a successful submission created (from its events).
    pub(crate) fn record_streams(&mut self) {
        for e in self.world.events::<IRC::RewardsSubmitted>(RC) {
            if e.token == REWARD && self.ghost.streams.len() < 64 && !self.ghost.streams.iter().any(|s| s.id == e.id) {
                self.ghost.streams.push(stop_stream_call(&e));
            }
        }
    }

    /// The stream `pick` is stopped by its AVS or by a stranger: a stranger
    /// only once the operator's magnitude is zero; the refund goes to the AVS.
    pub(crate) fn stop_stream(&mut self, pick: usize, by_avs: bool) -> bool {
        if self.ghost.streams.is_empty() {
            return false;
        }
        let call = self.ghost.streams[pick % self.ghost.streams.len()].clone();
        let caller = if by_avs { call.avs } else { BOB };
        let worthless = magnitude(&self.world, call.operator).is_zero();
        let before = reward_balance(&self.world, call.avs);
        match self.world.call(caller, RC, &call) {
            Ok(refund) => {
                self.check(by_avs || worthless, || format!("a stranger stopped stream {} of a pool still worth something", call.id));
                self.check(call.end > self.world.timestamp(), || format!("stream {} was stopped after its end", call.id));
                let received = reward_balance(&self.world, call.avs) - before;
                self.check(received.abs_diff(refund) <= U256::from(1u8), || format!("a stop reported {refund} but refunded {received}"));
                self.ghost.refunded += received;
                self.ghost.streams.retain(|s| s.id != call.id);
                true
            }
            Err(_) => false,
        }
    }

    /// The reward token rebases to `percent` % of its unrebased balances.
    pub(crate) fn rebase_reward(&mut self, percent: u64) -> bool {
        let ok = self.world.call(OWNER, REWARD, &IToken::rebaseCall { factorWad: wad_percent(percent) }).is_ok();
        self.ghost.reward_rebased |= ok && percent != 100;
        ok
    }
}
