//! What the campaign remembers independently of the contracts: the facts
//! each invariant is checked against.

use alloy_primitives::{Address, B256, U256};
use keel_math::slashing::WAD;
use std::collections::HashSet;

/// An operator set created by an AVS.
#[derive(Clone, Debug)]
pub struct Set {
    /// The AVS.
    pub avs: Address,
    /// Its id within the AVS.
    pub id: u64,
}

/// A slashing condition as the AVS published it.
#[derive(Clone, Debug)]
pub struct Condition {
    /// Registry id.
    pub id: u64,
    /// Index of its set in [`Ghost::sets`].
    pub set: usize,
    /// Cap (1e18 = all).
    pub cap: u64,
    /// Veto window in seconds (0: immediate slashes).
    pub veto: u64,
    /// The slasher in effect before `pending` takes over.
    pub slasher: Address,
    /// A slasher change and when it takes effect.
    pub pending: Option<(Address, u64)>,
    /// Retired conditions slash no more.
    pub retired: bool,
    /// Its slashes pay the redistribution recipient (else they burn).
    pub redistributes: bool,
}

impl Condition {
    /// The slasher in effect at `now`.
    pub fn slasher_at(&self, now: u64) -> Address {
        match self.pending {
            Some((next, at)) if now >= at => next,
            _ => self.slasher,
        }
    }
}

/// A queued withdrawal not completed yet.
#[derive(Clone, Debug)]
pub struct Withdrawal {
    /// Index of the staker in the depositors.
    pub who: usize,
    /// Its root.
    pub root: B256,
    /// The operator it was queued from (zero: none).
    pub operator: Address,
    /// When it becomes completable.
    pub completable_at: u64,
    /// Its scaled shares (worth `scaled × magnitude / 1e18`).
    pub scaled: U256,
}

/// An LRT redemption request not claimed yet.
#[derive(Clone, Debug)]
pub struct LrtRequest {
    /// Vault request id.
    pub id: U256,
    /// Index of its controller (and owner) in the LRT holders.
    pub holder: usize,
    /// LRT burned.
    pub shares: U256,
    /// Their value at the request: the most the claim may pay.
    pub assets: U256,
    /// Part the vault took from its idle buffer at the request.
    pub from_idle: U256,
    /// The DelegationManager withdrawal paying the rest (zero: none).
    pub root: B256,
    /// The operator that withdrawal was queued under.
    pub operator: Address,
    /// Its scaled shares.
    pub scaled: U256,
    /// When the vault lets it be claimed.
    pub claimable_at: u64,
    /// The least its idle-funded part may still pay: `from_idle`, lowered
    /// by the ratio of every negative rebase of the asset since the request.
    pub idle_floor: U256,
    /// Steps it was open for once the asset was rebased: each may cost its
    /// reserve a wei (a reconciliation rounds the reserve's share of a
    /// shortfall down, and transfers at a rebased factor leave a wei short).
    pub rebased_steps: u64,
    /// How far below the vault's booking `from_idle` may be: it is measured
    /// through the views, and the request's own reconciliation may move the
    /// reserve index's rounding on every open unit into the buffer first
    /// (zero when it was not measured).
    pub from_idle_error: U256,
}

/// A withdrawal of the vault's whole stake: an operator change, or a forced
/// undelegation by its operator.
#[derive(Clone, Debug)]
pub struct VaultWithdrawal {
    /// Its root.
    pub root: B256,
    /// The operator it was queued under.
    pub operator: Address,
    /// Its scaled shares.
    pub scaled: U256,
    /// When it becomes completable.
    pub completable_at: u64,
}

impl VaultWithdrawal {
    /// Its strategy shares at `now`, at the operator's magnitude at the end of its delay (or now, if sooner).
    pub fn shares(&self, ghost: &Ghost, now: u64) -> U256 {
        keel_math::slashing::shares_at_magnitude(
            self.scaled,
            ghost.magnitude_at(self.operator, now.min(self.completable_at.saturating_sub(1))),
        )
    }
}

/// A vetoable slash request.
#[derive(Clone, Debug)]
pub struct Request {
    /// Registry id.
    pub id: u64,
    /// The operator.
    pub operator: Address,
    /// Index in [`Ghost::conditions`].
    pub condition: usize,
    /// The wad requested.
    pub wad: u64,
    /// When it was requested.
    pub at: u64,
    /// Vetoed or executed.
    pub closed: bool,
    /// The slasher who made it.
    pub slasher: Address,
    /// The allocation slashable at the request.
    pub allocated: u64,
    /// The operator's max magnitude at the request.
    pub max: u64,
}

/// A slash or request made: (operator, condition id, evidence hash).
pub type Incident = (Address, u64, B256);

/// The campaign's model of the protocol.
#[derive(Default)]
pub struct Ghost {
    /// Sets created, in order.
    pub sets: Vec<Set>,
    /// Conditions published, in order.
    pub conditions: Vec<Condition>,
    /// (operator, set index) → registered (u64::MAX) or slashable until.
    pub registrations: std::collections::HashMap<(Address, usize), u64>,
    /// (operator, condition id) accepted.
    pub accepted: HashSet<(Address, u64)>,
    /// Pending withdrawals.
    pub withdrawals: Vec<Withdrawal>,
    /// Slash requests.
    pub requests: Vec<Request>,
    /// Every slash and request made, by incident.
    pub incidents: Vec<Incident>,
    /// The DelegationManager's withdrawal delay.
    pub withdrawal_delay: u64,
    /// The registry's deallocation delay.
    pub deallocation_delay: u64,
    /// The StrategyManager's slash escrow delay.
    pub slash_escrow_delay: u64,
    /// The longest the slash escrow delay has been (a record's release was
    /// set with the delay of its last slash).
    pub longest_slash_escrow_delay: u64,
    /// Operators' allocation delays as announced.
    pub allocation_delays: std::collections::HashMap<Address, crate::alloc_delay::DelayRecord>,
    /// Per operator: (time, magnitude) after each slash, in order.
    pub magnitudes: std::collections::HashMap<Address, Vec<(u64, U256)>>,
    /// Last seen (DelegationManager magnitude, registry max magnitude) per operator.
    pub last_magnitudes: std::collections::HashMap<Address, (U256, u64)>,
    /// Paused flags per pausable contract.
    pub paused: [u8; 4],
    /// Reward tokens received by the coordinator.
    pub submitted: U256,
    /// Reward tokens paid to claimers.
    pub claimed: U256,
    /// Reward tokens refunded to AVSs by stopped streams.
    pub refunded: U256,
    /// Whether the reward token ever rebased (the coordinator then holds
    /// more or less than it received less what it paid).
    pub reward_rebased: bool,
    /// Whether the strategy token was rebased (its transfers then round,
    /// and the vault's reserve index may fall).
    pub token_rebased: bool,
    /// Wei the token's own rounding may have credited any one holder: a
    /// transfer at a rebased factor credits up to `transfer_rounding` above
    /// its value (see [`crate::rebase`]), a few transfers per step.
    pub token_dust: U256,
    /// Wei the strategy's rounding may have moved to the shares already in
    /// it: a deposit mints its shares rounded down (the depositor leaves less
    /// than a share's worth behind) and a withdrawal pays rounded down (less
    /// than a wei), and what is left raises every remaining share's value,
    /// queued withdrawals' shares included. Counted per flow, from the
    /// StrategyManager's events (see `Campaign::clear_logs`).
    pub strategy_dust: U256,
    /// (operator, dust token) pairs the operator accepted at some point.
    pub ever_accepted: HashSet<(Address, Address)>,
    /// Live [`keel_fixtures::rewards::REWARD`] streams as stop calls (at most 64).
    pub streams: Vec<keel_fixtures::rewards::IRC::stopStreamCall>,
    /// The signer's last deposit signature (for replays): amount, expiry, signature.
    pub last_signature: Option<(U256, U256, alloy_primitives::Bytes)>,
    /// OPERATOR2's approver's last approval: staker, salt, expiry, signature.
    pub last_approval: Option<(Address, B256, U256, alloy_primitives::Bytes)>,
    /// Counter for fresh approval salts.
    pub salts: u64,
    /// Tokens others paid in for the signer's signed deposits.
    pub relayed: U256,
    /// Open LRT redemption requests, oldest first.
    pub lrt_requests: Vec<LrtRequest>,
    /// What claimed requests' withdrawals returned to the vault above what
    /// the claims paid (gains after the requests, kept by the holders).
    pub lrt_returned: U256,
    /// The vault's operator change in the queue (adopted forced undelegations included).
    pub lrt_migration: Option<VaultWithdrawal>,
    /// The withdrawal the vault's operator forced on it, not adopted yet.
    pub lrt_forced: Option<VaultWithdrawal>,
    /// Whether this step's flow completed a due operator change first: its
    /// value, understated by the views after a late slash of the old
    /// operator, then comes back to the holders at once.
    pub lrt_change_completed: bool,
    /// Tokens anyone may have gained without bringing them: rewards sent to
    /// the strategy and instant-redemption fees left in the vault.
    pub windfall: U256,
    /// Until when a reported slash request holds the vault's instant redemptions.
    pub lrt_held_until: u64,
}

impl Ghost {
    /// `operator`'s magnitude at time `at` as recorded by the campaign.
    pub fn magnitude_at(&self, operator: Address, at: u64) -> U256 {
        if operator.is_zero() {
            return WAD;
        }
        self.magnitudes.get(&operator).and_then(|history| history.iter().rev().find(|(t, _)| *t <= at)).map_or(WAD, |(_, m)| *m)
    }

    /// Whether `operator` is slashable in set `set` at `now`.
    pub fn slashable(&self, operator: Address, set: usize, now: u64) -> bool {
        self.registrations.get(&(operator, set)).is_some_and(|until| now < *until)
    }

    /// Whether flag `bit` of pausable contract `contract` is set.
    pub fn is_paused(&self, contract: usize, bit: u8) -> bool {
        self.paused[contract] & (1 << bit) != 0
    }
}
