//! Keel's invariant campaign.
//!
//! A stateful driver over the multi-contract test world
//! ([`keel_fixtures`]): random sequences of every user action across the
//! StrategyManager, DelegationManager, AVS registry, RewardsCoordinator and
//! the LRT vault ([`action::Action`]), by six stakers (two of them
//! operators), four LRT holders (two of whom also stake directly), the
//! vault's manager, a keeper and three AVSs (and a successor deployment
//! undelegated stakers may migrate to, [`migration`]), with the invariants of
//! [`invariants`] checked after every step and the rules of each action (who
//! may do it, when, how much) checked against an independent model
//! ([`ghost::Ghost`]) whenever it succeeds. Each episode ends by draining the
//! protocol ([`drain`]): every withdrawal and every LRT redemption must
//! complete and nobody may leave with more than they brought.
//!
//! The LRT vault is deployed delegated to [`keel_fixtures::OPERATOR`], so
//! the campaign's slashes of that operator reach it. Its actions: deposit,
//! requestRedeem, claim (early claims must be refused), instant redemption
//! (refused only for the buffer, the daily limit, slippage or a held slash
//! request), the keeper's rebalance, the manager's buffer target and
//! operator changes (and their completion), the operator undelegating the
//! vault and the manager adopting the withdrawal, the vault's operator
//! slashing itself to nothing through an AVS of its own during an operator
//! change (issue 18 F1), anyone reporting a slash request to hold instant
//! redemptions; rewards are paid to the strategy (an LST's yield) and
//! vest into the rate; the asset rebases up and down ([`rebase`]), moving
//! the strategy, the vault's idle buffer and its requests' reserve at once. After every step: Σ holders' redeemable ≤ the vault's
//! total assets; total assets plus what open requests may pay ≤ what it
//! holds; the rate falls only by slashes and time (fees counted first),
//! beyond a few wei of rounding; a holder's deposit or redemption moves what
//! the others can redeem only by rounding (and the gains it hands them); a
//! claim pays no more than its request's value after any slash during its
//! delay, share by share; no flow is frozen (a refused deposit or request
//! must have a reason the vault waits out: a pause, a forced undelegation
//! before its adoption, a due change the DelegationManager cannot complete
//! yet); no request is paid from the buffer while an operator change holds
//! the stake, and no instant redemption passes a held slash request (a
//! redemption bears the slash exposure of what it is paid from).
//!
//! Everything is deterministic: a run with base seed `s` starts with the
//! episode of seed `s` and draws each next episode's seed from the last
//! ([`next_episode_seed`]), so runs from different base seeds share no
//! episodes; [`run_episode`] with an episode's seed replays it exactly.

pub mod action;
pub mod actors;
mod admin;
mod alloc_delay;
pub mod appointees;
pub mod drain;
pub mod ghost;
pub mod invariants;
mod lrt;
mod lrt_operator;
mod migration;
pub mod privileged;
mod rebase;
pub mod reward_attacks;
pub mod rng;
mod slashing;
mod staking;

use action::Action;
use alloy_primitives::U256;
use ghost::Ghost;
use keel_fixtures::World;
use rng::Rng;

/// A broken invariant or rule.
#[derive(Clone, Debug)]
pub struct Violation {
    /// Seed of the episode (replay with [`run_episode`]).
    pub seed: u64,
    /// Step at which it was found (actions run before it, 0-based).
    pub step: u64,
    /// The action of that step (`None`: the final drain).
    pub action: Option<Action>,
    /// What was broken.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "seed {} step {}: {} ({:?})", self.seed, self.step, self.message, self.action)
    }
}

/// The outcome of one or more episodes.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Actions run.
    pub actions: u64,
    /// Actions that succeeded (the rest were refused by the contracts).
    pub succeeded: u64,
    /// Everything broken.
    pub violations: Vec<Violation>,
    /// Per kind of action: (run, succeeded).
    pub by_action: std::collections::BTreeMap<&'static str, (u64, u64)>,
}

impl Report {
    fn absorb(&mut self, other: Report) {
        self.actions += other.actions;
        self.succeeded += other.succeeded;
        self.violations.extend(other.violations);
        for (name, (run, ok)) in other.by_action {
            let entry = self.by_action.entry(name).or_default();
            entry.0 += run;
            entry.1 += ok;
        }
    }
}

/// One episode: a fresh world, its model, and what was found.
pub struct Campaign {
    world: World,
    ghost: Ghost,
    seed: u64,
    step: u64,
    action: Option<Action>,
    violations: Vec<Violation>,
    /// The vault as the last invariant check saw it.
    lrt_seen: lrt::LrtSnapshot,
    /// Appointable calls of operators and AVSs: (made, succeeded through a hot key).
    hot_key_calls: (u64, u64),
}

impl Campaign {
    /// A fresh world for the episode with `seed`.
    pub fn new(seed: u64) -> Self {
        let world = actors::world();
        let lrt_seen = lrt::LrtSnapshot::of(&world, U256::ZERO, U256::ZERO);
        let ghost = Ghost {
            withdrawal_delay: keel_fixtures::DELAY,
            deallocation_delay: keel_fixtures::registry::DEALLOCATION_DELAY,
            slash_escrow_delay: keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY,
            longest_slash_escrow_delay: keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY,
            ..Ghost::default()
        };
        let mut campaign = Self { world, ghost, seed, step: 0, action: None, violations: Vec::new(), lrt_seen, hot_key_calls: (0, 0) };
        campaign.record_magnitudes();
        campaign.note_setup_delays();
        if !seed.is_multiple_of(3) {
            campaign.open_slashable_position();
        }
        campaign
    }

    /// Forgets the world's logs, first counting the strategy's flows in them
    /// into [`Ghost::strategy_dust`](ghost::Ghost): each may leave the
    /// incumbents less than a share's worth, allowed as `⌊2p⌋ + 1` wei (p: tokens
    /// per share now; above p even if the price moved within the step).
    fn clear_logs(&mut self) {
        use keel_fixtures::{
            sm::IStrategyManager::{Deposit, SharesWithdrawn, SlashedSharesCleared, StakeMigrated},
            strategies::SUCCESSOR,
            SM,
        };
        let flows = [SM, SUCCESSOR]
            .into_iter()
            .map(|at| {
                self.world.events::<Deposit>(at).len()
                    + self.world.events::<SharesWithdrawn>(at).len()
                    + self.world.events::<SlashedSharesCleared>(at).len()
                    + self.world.events::<StakeMigrated>(at).len()
            })
            .sum::<usize>();
        if flows > 0 {
            let each = lrt::strategy_value(&self.world, U256::from(2)) + U256::from(1);
            self.ghost.strategy_dust += each * U256::from(flows);
        }
        self.world.clear_logs();
    }

    /// Records a violation unless `holds`.
    fn check(&mut self, holds: bool, message: impl FnOnce() -> String) {
        if !holds {
            self.violations.push(Violation { seed: self.seed, step: self.step, action: self.action.clone(), message: message() });
        }
    }

    /// Runs `action`, checks its rules and every invariant; returns whether it succeeded.
    pub fn step(&mut self, action: Action) -> bool {
        self.action = Some(action.clone());
        let before = self.lrt_seen.clone();
        let ok = self.apply(&action);
        if self.ghost.token_rebased {
            self.ghost.lrt_requests.iter_mut().for_each(|r| r.rebased_steps += 1);
            self.ghost.token_dust += U256::from(4) * rebase::transfer_rounding(&self.world);
        }
        self.note_completed_migration();
        self.clear_logs();
        self.check_invariants();
        self.check_rate(&action, &before);
        self.step += 1;
        ok
    }

    fn apply(&mut self, action: &Action) -> bool {
        use Action::*;
        match *action {
            Deposit { who, wei } => self.deposit(who, wei),
            DepositWithSignature { wei, expired, replay } => self.deposit_with_signature(wei, expired, replay),
            Delegate { who, operator, replay } => self.delegate(who, operator, replay),
            Undelegate { who, by_operator } => self.undelegate(who, by_operator),
            Redelegate { who, operator } => self.redelegate(who, operator),
            Queue { who, percent } => self.queue(who, percent),
            Complete { who, pick, as_tokens } => self.complete(who, pick, as_tokens),
            CreateSet { avs, cap_percent, veto, redistribute } => self.create_set(avs, cap_percent, veto, redistribute),
            AddCondition { set, cap_percent, veto, redistribute } => self.add_condition(set, cap_percent, veto, redistribute),
            RetireCondition { condition } => self.retire_condition(condition),
            ChangeSlasher { condition } => self.change_slasher(condition),
            Join { operator, set, accept } => self.join(operator, set, accept),
            Accept { operator, condition } => self.accept(operator, condition),
            Leave { operator, set } => self.leave(operator, set),
            SetAllocationDelay { operator, delay } => self.set_allocation_delay(operator, delay),
            Allocate { operator, set, percent } => self.allocate(operator, set, percent),
            Slash { operator, condition, wad, caller } => self.slash(operator, condition, wad, caller, false),
            RequestSlash { operator, condition, wad, caller } => self.slash(operator, condition, wad, caller, true),
            Veto { request, by_resolver } => self.veto(request, by_resolver),
            Execute { request, tamper, wait } => self.execute(request, tamper, wait),
            ClearSlashed { recipient } => self.clear_slashed(recipient),
            Submit { avs, operator, wei, start_epochs, duration_epochs } => self.submit(avs, operator, wei, start_epochs, duration_epochs),
            Claim { earner, operator } => self.claim(earner, operator),
            Commission { operator, bps } => self.commission(operator, bps),
            Pause { contract, bit } => self.pause(contract, bit),
            Unpause { contract, bit } => self.unpause(contract, bit),
            Unauthorized { call, caller } => self.unauthorized(call, caller),
            LrtDeposit { holder, wei } => self.lrt_deposit(holder, wei),
            LrtRequest { holder, percent } => self.lrt_request(holder, percent),
            LrtClaim { holder, pick, early } => self.lrt_claim(holder, pick, early),
            LrtInstant { holder, percent, tight } => self.lrt_instant(holder, percent, tight),
            LrtRebalance => self.lrt_rebalance(),
            LrtBufferTarget { tokens } => self.lrt_buffer_target(tokens),
            LrtSetRestakingOperator { none } => self.lrt_set_restaking_operator(none),
            LrtCompleteMigration => self.lrt_complete_migration(),
            LrtForceOut => self.lrt_force_out(),
            LrtAdopt => self.lrt_adopt(),
            LrtRogueOperator { avs } => self.lrt_rogue_operator(avs),
            LrtHoldInstant { request } => self.lrt_hold_instant(request),
            LrtClaimRewards => self.lrt_claim_rewards(),
            Reward { bps } => self.reward(bps),
            AcceptToken { operator, token, accepted } => self.accept_token(operator, token, accepted),
            DustSubmit { payer, operator, token, wei, at_once } => self.dust_submit(payer, operator, token, wei, at_once),
            Snipe { who, operator, wei, avs } => self.snipe(who, operator, wei, avs),
            StopStream { pick, by_avs } => self.stop_stream(pick, by_avs),
            RewardRebase { percent } => self.rebase_reward(percent),
            TokenRebase { percent } => self.rebase_token(percent),
            Advance { seconds } => {
                self.world.advance(seconds);
                true
            }
            SetWithdrawalDelay { pick } => self.set_withdrawal_delay(pick),
            SetDeallocationDelay { pick } => self.set_deallocation_delay(pick),
            SetSlashEscrowDelay { pick } => self.set_slash_escrow_delay(pick),
            DeallocateThenRequest { operator, condition, percent, interfere } => {
                self.deallocate_then_request(operator, condition, percent, interfere)
            }
            RepeatIncident { pick, request } => self.repeat_incident(pick, request),
            Migrate { who } => self.migrate(who),
        }
    }
}

/// Runs the episode with `seed` for `actions` actions, then drains it
/// (with `KEEL_CAMPAIGN_TRACE` set, prints each action and its outcome).
pub fn run_episode(seed: u64, actions: u64) -> Report {
    let mut rng = Rng::new(seed);
    let mut campaign = Campaign::new(seed);
    let mut report = Report::default();
    let trace = std::env::var_os("KEEL_CAMPAIGN_TRACE").is_some();
    for step in 0..actions {
        let action = action::draw(&mut rng);
        let entry = report.by_action.entry(action.name()).or_default();
        entry.0 += 1;
        report.actions += 1;
        let printed = trace.then(|| format!("{step:>4} {action:?}"));
        let ok = campaign.step(action);
        if let Some(line) = printed {
            eprintln!("{line} → {}", if ok { "ok" } else { "refused" });
        }
        if ok {
            entry.1 += 1;
            report.succeeded += 1;
        }
    }
    campaign.action = None;
    campaign.drain();
    let (made, through_hot_keys) = campaign.hot_key_calls;
    report.by_action.insert("operator or AVS call through a hot key", (made / 2, through_hot_keys));
    report.violations = campaign.violations;
    report
}

/// The seed of the episode after the one with `seed`. (Episode seeds used
/// to be `base + e`, so runs from bases 1 and 2 repeated all but one episode.)
pub fn next_episode_seed(seed: u64) -> u64 {
    Rng::new(seed).next_u64()
}

/// Runs `actions` actions in episodes of `episode` actions, the first with
/// seed `seed`, each next one with [`next_episode_seed`] of the last; calls
/// `progress` after each episode.
pub fn run(seed: u64, actions: u64, episode: u64, mut progress: impl FnMut(&Report)) -> Report {
    let mut report = Report::default();
    let mut episode_seed = seed;
    while report.actions < actions {
        let n = episode.min(actions - report.actions);
        report.absorb(run_episode(episode_seed, n));
        progress(&report);
        episode_seed = next_episode_seed(episode_seed);
    }
    report
}
