//! The user actions a campaign draws from, and how they are drawn.

use crate::rng::Rng;

/// One user action. Indices pick actors, sets, conditions, requests and
/// withdrawals from the campaign's current lists (modulo their length).
#[derive(Clone, Debug)]
#[allow(missing_docs, reason = "each variant's doc says what its fields pick")]
pub enum Action {
    /// A depositor deposits `wei` tokens.
    Deposit { who: usize, wei: u128 },
    /// The signer's deposit, relayed by BOB; maybe expired, maybe replayed.
    DepositWithSignature { wei: u128, expired: bool, replay: bool },
    /// A depositor delegates to an operator (with its approver's signature if needed).
    Delegate { who: usize, operator: usize, replay: bool },
    /// A staker is undelegated, by itself or by its operator.
    Undelegate { who: usize, by_operator: bool },
    /// A staker moves to another operator.
    Redelegate { who: usize, operator: usize },
    /// A depositor queues `percent` of its deposit shares.
    Queue { who: usize, percent: u64 },
    /// A depositor completes one of its queued withdrawals.
    Complete { who: usize, pick: usize, as_tokens: bool },
    /// An AVS registers (if needed) and creates a set with one condition.
    CreateSet { avs: usize, cap_percent: u64, veto: bool, redistribute: bool },
    /// The AVS of a set adds a condition to it.
    AddCondition { set: usize, cap_percent: u64, veto: bool, redistribute: bool },
    /// The AVS retires a condition.
    RetireCondition { condition: usize },
    /// The AVS hands a condition to the other slasher (effective after the delay).
    ChangeSlasher { condition: usize },
    /// An operator joins a set, accepting the conditions picked by `accept`'s bits.
    Join { operator: usize, set: usize, accept: u8 },
    /// An operator accepts one more condition.
    Accept { operator: usize, condition: usize },
    /// An operator leaves a set.
    Leave { operator: usize, set: usize },
    /// An operator sets its allocation delay.
    SetAllocationDelay { operator: usize, delay: u64 },
    /// An operator sets its allocation to a set to `percent` of its max magnitude.
    Allocate { operator: usize, set: usize, percent: u64 },
    /// `caller` (0 the condition's slasher, 1 its AVS, 2 the alternate slasher, 3 a staker) slashes.
    Slash { operator: usize, condition: usize, wad: WadPick, caller: u8 },
    /// As [`Action::Slash`], through a vetoable request.
    RequestSlash { operator: usize, condition: usize, wad: WadPick, caller: u8 },
    /// The resolver (or a staker) vetoes a request.
    Veto { request: usize, by_resolver: bool },
    /// Anyone executes a request, maybe with tampered entries; `wait`
    /// first lets its veto window pass if it has not.
    Execute { request: usize, tamper: bool, wait: bool },
    /// Anyone pays out the slashed shares owed to a recipient.
    ClearSlashed { recipient: usize },
    /// An AVS pays rewards to an operator's pool (at once or streamed).
    Submit { avs: usize, operator: usize, wei: u128, start_epochs: u64, duration_epochs: u64 },
    /// Someone claims its rewards from an operator's pool.
    Claim { earner: usize, operator: usize },
    /// An operator sets its commission.
    Commission { operator: usize, bps: u64 },
    /// The owner (a pauser) pauses one flag of one contract.
    Pause { contract: usize, bit: u8 },
    /// The owner (the unpauser) clears one flag.
    Unpause { contract: usize, bit: u8 },
    /// Someone without the role calls a privileged function.
    Unauthorized { call: usize, caller: usize },
    /// An LRT holder deposits `wei` tokens into the vault.
    LrtDeposit { holder: usize, wei: u128 },
    /// An LRT holder requests redemption of `percent` of its LRT.
    LrtRequest { holder: usize, percent: u64 },
    /// An LRT holder claims its oldest requests: `pick` chooses how many of
    /// the claimable ones; `early` adds the first one still in its delay.
    LrtClaim { holder: usize, pick: usize, early: bool },
    /// An LRT holder redeems `percent` of its LRT from the buffer at once;
    /// `tight` asks for the value before the fee (slippage).
    LrtInstant { holder: usize, percent: u64, tight: bool },
    /// A keeper restakes the vault's idle assets above its buffer target.
    LrtRebalance,
    /// The vault's manager sets its buffer target to `tokens` tokens.
    LrtBufferTarget { tokens: u64 },
    /// The vault's manager moves its stake to OPERATOR again (through the
    /// queue) or to no operator (`none`).
    LrtSetRestakingOperator { none: bool },
    /// Anyone completes the vault's operator change after the delay.
    LrtCompleteMigration,
    /// The vault's operator undelegates it (its stake goes to the queue).
    LrtForceOut,
    /// The vault's manager adopts the forced withdrawal (or a made-up one).
    LrtAdopt,
    /// The vault's manager moves it to the rogue operator, which slashes
    /// itself to nothing through a set of AVS `avs` (cap 100%, no veto)
    /// while the change is in the queue: issue 18 F1's attack.
    LrtRogueOperator { avs: usize },
    /// Anyone reports a slash request to hold the vault's instant redemptions.
    LrtHoldInstant { request: usize },
    /// Anyone claims the vault's rewards from the operators' pools.
    LrtClaimRewards,
    /// The strategy earns `bps` of its balance (the LST's yield, paid in).
    Reward { bps: u64 },
    /// An operator accepts (or stops accepting) one of the extra reward tokens.
    AcceptToken { operator: usize, token: usize, accepted: bool },
    /// A stranger or an AVS pays `wei` of an extra reward token to a pool.
    DustSubmit { payer: usize, operator: usize, token: usize, wei: u64, at_once: bool },
    /// A staker stakes just before an AVS's payment at once and queues its exit right after.
    Snipe { who: usize, operator: usize, wei: u128, avs: usize },
    /// A reward stream is stopped by its AVS or by a stranger.
    StopStream { pick: usize, by_avs: bool },
    /// The reward token rebases to `percent` % of its unrebased balances.
    RewardRebase { percent: u64 },
    /// The strategy token (the LRT's asset) rebases by `percent` % of its
    /// current factor: an LST's loss or reward, reaching the strategy, the
    /// vault's idle buffer and its open requests' reserve alike.
    TokenRebase { percent: u64 },
    /// Time passes.
    Advance { seconds: u64 },
    /// The owner sets the DelegationManager's withdrawal delay to a
    /// candidate (`pick`: below the floor, lower, the same, higher, the
    /// ceiling, above it): only raises within the bounds go through.
    SetWithdrawalDelay { pick: usize },
    /// The owner sets the StrategyManager's slash escrow delay to a
    /// candidate (`pick`: below the floor, the floor, the default, 14 days,
    /// the ceiling, above it): slashes from then on wait it out.
    SetSlashEscrowDelay { pick: usize },
    /// The owner sets the registry's deallocation delay to a candidate
    /// (`pick`: below the floor, the floor, 7 or 14 days).
    SetDeallocationDelay { pick: usize },
    /// An operator queues a deallocation of its whole allocation to a
    /// vetoable condition's set, `percent` of the deallocation delay passes,
    /// the slasher requests a slash there (which must reach it), the AVS
    /// maybe retires the condition (`interfere` 1) or replaces the slasher
    /// (2), and the request is executed after its veto window.
    DeallocateThenRequest { operator: usize, condition: usize, percent: u64, interfere: u8 },
    /// A slasher slashes (or requests) again under an incident's evidence.
    RepeatIncident { pick: usize, request: bool },
    /// A depositor moves its whole deposit to the successor deployment
    /// (refused while it is delegated).
    Migrate { who: usize },
}

impl Action {
    /// The action's kind, for statistics.
    pub fn name(&self) -> &'static str {
        use Action::*;
        match self {
            Deposit { .. } => "deposit",
            DepositWithSignature { .. } => "deposit with signature",
            Delegate { .. } => "delegate",
            Undelegate { .. } => "undelegate",
            Redelegate { .. } => "redelegate",
            Queue { .. } => "queue",
            Complete { .. } => "complete",
            CreateSet { .. } => "create set",
            AddCondition { .. } => "add condition",
            RetireCondition { .. } => "retire condition",
            ChangeSlasher { .. } => "change slasher",
            Join { .. } => "join set",
            Accept { .. } => "accept condition",
            Leave { .. } => "leave set",
            SetAllocationDelay { .. } => "set allocation delay",
            Allocate { .. } => "allocate",
            Slash { .. } => "slash",
            RequestSlash { .. } => "request slash",
            Veto { .. } => "veto",
            Execute { .. } => "execute slash",
            ClearSlashed { .. } => "clear slashed",
            Submit { .. } => "submit rewards",
            Claim { .. } => "claim",
            Commission { .. } => "commission",
            Pause { .. } => "pause",
            Unpause { .. } => "unpause",
            Unauthorized { .. } => "unauthorized call",
            LrtDeposit { .. } => "lrt deposit",
            LrtRequest { .. } => "lrt request redeem",
            LrtClaim { .. } => "lrt claim",
            LrtInstant { .. } => "lrt instant redeem",
            LrtRebalance => "lrt rebalance",
            LrtBufferTarget { .. } => "lrt buffer target",
            LrtSetRestakingOperator { .. } => "lrt set restaking operator",
            LrtCompleteMigration => "lrt complete migration",
            LrtForceOut => "lrt forced undelegation",
            LrtAdopt => "lrt adopt withdrawal",
            LrtRogueOperator { .. } => "lrt operator slashes itself",
            LrtHoldInstant { .. } => "lrt hold instant redemptions",
            LrtClaimRewards => "lrt claim rewards",
            Reward { .. } => "strategy reward",
            AcceptToken { .. } => "accept reward token",
            DustSubmit { .. } => "dust reward submission",
            Snipe { .. } => "stake around a payment at once",
            StopStream { .. } => "stop reward stream",
            RewardRebase { .. } => "reward token rebase",
            TokenRebase { .. } => "strategy token rebase",
            Advance { .. } => "advance time",
            SetWithdrawalDelay { .. } => "set withdrawal delay",
            SetDeallocationDelay { .. } => "set deallocation delay",
            SetSlashEscrowDelay { .. } => "set slash escrow delay",
            DeallocateThenRequest { .. } => "deallocate then request",
            RepeatIncident { .. } => "repeat incident",
            Migrate { .. } => "migrate to successor",
        }
    }
}

impl Action {
    /// Whether the action may lower the LRT rate: slashes (also an
    /// operator's of itself), a negative rebase of the asset, time (a slash
    /// request executing, vesting ending) and a forced undelegation (the
    /// vault's stake leaves its books until the manager adopts it, and
    /// every flow is refused meanwhile); fees are told apart by the
    /// treasury's LRT, so every other action keeps the rate.
    pub fn may_lower_rate(&self) -> bool {
        matches!(
            self,
            Action::Slash { .. }
                | Action::Execute { .. }
                | Action::Advance { .. }
                | Action::LrtForceOut
                | Action::LrtRogueOperator { .. }
                | Action::DeallocateThenRequest { .. }
        ) || matches!(self, Action::TokenRebase { percent } if *percent < 100)
    }

    /// The LRT holder whose deposit or redemption this is.
    pub fn lrt_holder(&self) -> Option<usize> {
        match *self {
            Action::LrtDeposit { holder, .. }
            | Action::LrtRequest { holder, .. }
            | Action::LrtClaim { holder, .. }
            | Action::LrtInstant { holder, .. } => Some(holder),
            _ => None,
        }
    }
}

/// How a slash's wad relates to its condition's cap.
#[derive(Clone, Copy, Debug)]
pub enum WadPick {
    /// The cap itself.
    Cap,
    /// One wei above the cap.
    AboveCap,
    /// `percent` of the cap (1..=100).
    Part(u64),
}

/// Draws the next action.
pub fn draw(rng: &mut Rng) -> Action {
    let who = rng.index(6);
    let operator = rng.index(2);
    let pick = rng.index(64);
    let holder = rng.index(crate::actors::LRT_DEPOSITORS);
    match rng.below(148) {
        0..=11 => Action::Deposit { who, wei: amount(rng) },
        12..=14 => Action::DepositWithSignature { wei: amount(rng), expired: rng.chance(20), replay: rng.chance(20) },
        15..=20 => Action::Delegate { who, operator, replay: rng.chance(20) },
        21..=23 => Action::Undelegate { who, by_operator: rng.chance(30) },
        24..=25 => Action::Redelegate { who, operator },
        26..=33 => Action::Queue { who, percent: 1 + rng.below(100) },
        34..=41 => Action::Complete { who, pick, as_tokens: rng.chance(70) },
        42..=43 => Action::CreateSet { avs: rng.index(3), cap_percent: cap(rng), veto: rng.chance(40), redistribute: rng.chance(40) },
        44 => Action::AddCondition { set: pick, cap_percent: cap(rng), veto: rng.chance(40), redistribute: rng.chance(40) },
        45 => Action::RetireCondition { condition: pick },
        46 => Action::ChangeSlasher { condition: pick },
        47..=50 => Action::Join { operator, set: pick, accept: rng.below(256) as u8 },
        51..=52 => Action::Accept { operator, condition: pick },
        53 => Action::Leave { operator, set: pick },
        54 => Action::SetAllocationDelay { operator, delay: [0, 3_600, 86_400, 20 * 86_400][rng.index(4)] },
        55..=60 => Action::Allocate { operator, set: pick, percent: rng.below(101) },
        61..=65 => Action::Slash { operator, condition: pick, wad: wad(rng), caller: slash_caller(rng) },
        66..=68 => Action::RequestSlash { operator, condition: pick, wad: wad(rng), caller: slash_caller(rng) },
        69 => Action::Veto { request: pick, by_resolver: rng.chance(80) },
        70..=72 => Action::Execute { request: pick, tamper: rng.chance(15), wait: rng.chance(50) },
        73..=74 => Action::ClearSlashed { recipient: rng.index(2) },
        75..=79 => Action::Submit {
            avs: rng.index(3),
            operator,
            wei: amount(rng),
            start_epochs: rng.below(4),
            duration_epochs: [0, 24, 48, 120][rng.index(4)],
        },
        80..=84 => Action::Claim { earner: who, operator },
        85 => Action::Commission { operator, bps: rng.below(10_001) },
        86..=87 => Action::Pause { contract: rng.index(4), bit: rng.below(3) as u8 },
        88..=89 => Action::Unpause { contract: rng.index(4), bit: rng.below(3) as u8 },
        90..=92 => Action::Unauthorized { call: pick, caller: who },
        93..=99 => Action::Advance { seconds: seconds(rng) },
        100..=104 => Action::LrtDeposit { holder, wei: amount(rng) },
        105..=108 => Action::LrtRequest { holder, percent: 1 + rng.below(100) },
        109..=111 => Action::LrtClaim { holder, pick, early: rng.chance(15) },
        112..=113 => Action::LrtInstant { holder, percent: 1 + rng.below(100), tight: rng.chance(10) },
        114 => Action::LrtRebalance,
        115 => Action::LrtBufferTarget { tokens: [0, 1, 20, 100, 500][rng.index(5)] },
        116..=117 => Action::Reward { bps: 1 + rng.below(100) },
        118..=119 => Action::LrtSetRestakingOperator { none: rng.chance(30) },
        120 => Action::LrtCompleteMigration,
        121 => Action::LrtForceOut,
        122 => Action::LrtRogueOperator { avs: rng.index(3) },
        123..=124 => Action::LrtHoldInstant { request: pick },
        125 => Action::LrtAdopt,
        126 => Action::SetWithdrawalDelay { pick: rng.index(6) },
        127 => Action::SetDeallocationDelay { pick: rng.index(4) },
        128..=129 => {
            Action::DeallocateThenRequest { operator, condition: pick, percent: 50 + rng.below(50), interfere: rng.below(4) as u8 }
        }
        130 => Action::RepeatIncident { pick, request: rng.chance(50) },
        131..=132 => Action::AcceptToken { operator, token: rng.index(8), accepted: rng.chance(80) },
        133..=135 => {
            Action::DustSubmit { payer: rng.index(5), operator, token: rng.index(8), wei: 1 + rng.below(1_000), at_once: rng.chance(50) }
        }
        136..=137 => Action::Snipe { who, operator, wei: amount(rng), avs: rng.index(3) },
        138..=139 => Action::StopStream { pick, by_avs: rng.chance(50) },
        140..=141 => Action::LrtClaimRewards,
        145..=146 => Action::Migrate { who },
        147 => Action::SetSlashEscrowDelay { pick: rng.index(6) },
        143..=144 => Action::TokenRebase { percent: [90, 97, 99, 101, 103, 110][rng.index(6)] },
        _ => Action::RewardRebase { percent: [50, 90, 100, 110, 200][rng.index(5)] },
    }
}

/// Mostly whole tokens, sometimes dust (rounding attacks), sometimes a lot.
fn amount(rng: &mut Rng) -> u128 {
    match rng.below(10) {
        0 => 1 + rng.below(1_000) as u128,
        1 => (1 + rng.below(400) as u128) * 10u128.pow(18),
        _ => (1 + rng.below(50) as u128) * 10u128.pow(18) + rng.below(1_000_000) as u128,
    }
}

fn cap(rng: &mut Rng) -> u64 {
    [1, 5, 10, 30, 50, 100][rng.index(6)]
}

fn wad(rng: &mut Rng) -> WadPick {
    match rng.below(6) {
        0 => WadPick::Cap,
        1 => WadPick::AboveCap,
        _ => WadPick::Part(1 + rng.below(100)),
    }
}

fn slash_caller(rng: &mut Rng) -> u8 {
    match rng.below(10) {
        0..=6 => 0,
        7 => 1,
        8 => 2,
        _ => 3,
    }
}

fn seconds(rng: &mut Rng) -> u64 {
    match rng.below(6) {
        0..=2 => 1 + rng.below(600),
        3 => 3_600 + rng.below(86_400),
        4 => 86_400 * (1 + rng.below(3)),
        _ => keel_fixtures::DELAY + rng.below(3_600),
    }
}
