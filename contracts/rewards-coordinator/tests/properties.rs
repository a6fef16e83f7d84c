//! Property tests on the deployed protocol: payouts never exceed
//! submissions, late joiners earn nothing of the past, and a slash changes
//! no one's rewards (it lowers every staker of a pool by the same fraction).

use alloy_primitives::{Address, U256};
use keel_fixtures::{rewards::*, *};
use proptest::prelude::*;

const STAKERS: [Address; 3] = [ALICE, BOB, CAROL];

#[derive(Clone, Debug)]
enum Action {
    Deposit(usize, u64),
    Queue(usize, u8),
    Submit(u64, u64, u64),
    Slash(u8),
    Advance(u64),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0..3usize, 1..100u64).prop_map(|(s, a)| Action::Deposit(s, a)),
        (0..3usize, 1..=100u8).prop_map(|(s, p)| Action::Queue(s, p)),
        (1..1_000_000u64, 0..48u64, 0..200u64).prop_map(|(a, s, d)| Action::Submit(a, s, d)),
        (50..99u8).prop_map(Action::Slash),
        (1..100u64).prop_map(Action::Advance),
    ]
}

/// Runs `actions`; returns (received by the coordinator, claimed by everyone).
fn run(actions: &[Action]) -> (U256, U256) {
    let world = setup_with_rewards();
    for staker in STAKERS {
        deposit(&world, staker, ether(10)).unwrap();
        delegate(&world, staker, OPERATOR).unwrap();
    }
    let mut submitted = U256::ZERO;
    for action in actions {
        match *action {
            Action::Deposit(s, amount) => {
                let _ = deposit(&world, STAKERS[s], ether(amount));
            }
            Action::Queue(s, percent) => {
                let shares = world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker: STAKERS[s], token: TOKEN }).unwrap();
                let amount = shares * U256::from(percent) / U256::from(100);
                if !amount.is_zero() {
                    queue(&world, STAKERS[s], amount).unwrap();
                }
            }
            Action::Submit(amount, start, duration) => {
                // Zero is a payment at once; any other duration is at least a day.
                let duration = if duration == 0 { 0 } else { duration + 23 };
                let start = if duration == 0 { 0 } else { next_epoch(&world) + start * EPOCH };
                let amount = U256::from(amount) * U256::from(1_000_000_007u64);
                submitted += submit(&world, AVS1, OPERATOR, amount, start, duration * EPOCH).unwrap();
            }
            Action::Slash(percent) => {
                let _ = slash_to(&world, OPERATOR, magnitude(&world, OPERATOR) * U256::from(percent) / U256::from(100));
            }
            Action::Advance(seconds) => world.advance(seconds * 1_000),
        }
    }
    world.advance(300 * 86_400);
    let claimed = STAKERS.iter().chain([&OPERATOR]).map(|who| claim(&world, *who, OPERATOR)).fold(U256::ZERO, |a, b| a + b);
    assert_eq!(reward_balance(&world, RC) + claimed, submitted);
    (submitted, claimed)
}

/// (ALICE's, BOB's) claims after a stream over which BOB joins at `join`
/// epochs, with a slash at `slash` epochs (to `magnitude` %, 100: none).
fn join_and_slash(a: u64, b: u64, epochs: u64, join: u64, slash: u64, magnitude: u8) -> (U256, U256) {
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(a)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let start = next_epoch(&world);
    submit(&world, AVS1, OPERATOR, ether(1_000), start, epochs * EPOCH).unwrap();
    world.advance(start - world.timestamp());
    let mut at = 0;
    let mut events = [(join, 0u8), (slash, 1u8)];
    events.sort();
    for (when, what) in events {
        world.advance((when - at) * EPOCH);
        at = when;
        if what == 0 {
            deposit(&world, BOB, ether(b)).unwrap();
            delegate(&world, BOB, OPERATOR).unwrap();
        } else if magnitude < 100 {
            slash_to(&world, OPERATOR, wad_percent(magnitude as u64)).unwrap();
        }
    }
    world.advance(epochs * EPOCH + 3_600);
    (claim(&world, ALICE, OPERATOR), claim(&world, BOB, OPERATOR))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Σ claimed ≤ Σ submitted, and the difference (rounding) stays tiny.
    #[test]
    fn claims_never_exceed_submissions(actions in proptest::collection::vec(action(), 1..14)) {
        let (submitted, claimed) = run(&actions);
        prop_assert!(claimed <= submitted);
        prop_assert!(submitted - claimed <= U256::from(4 + actions.len()), "lost {} wei", submitted - claimed);
    }

    /// A staker who joins after a stream ended gets nothing of it; one who
    /// joins midway gets at most its share of the rest.
    #[test]
    fn late_joiners_earn_nothing_of_the_past(a in 1..100u64, b in 1..100u64, epochs in 24..124u64, join in 0..250u64) {
        let (alice, bob) = join_and_slash(a, b, epochs, join, 0, 100);
        let stakers = ether(900);
        if join >= epochs {
            prop_assert_eq!(bob, U256::ZERO);
            prop_assert!(stakers - alice <= U256::from(2));
        } else {
            let rest = stakers * U256::from(epochs - join) / U256::from(epochs);
            prop_assert!(bob <= rest * U256::from(b) / U256::from(a + b) + U256::from(1));
            prop_assert!(alice + U256::from(2) >= stakers - rest);
        }
    }

    /// A slash changes no staker's rewards, accrued or future: the claims
    /// are the same as without it. (A staker who deposits *after* a slash
    /// gets more scaled shares per token, as its tokens are worth more of
    /// the slashed pool; that is the pool changing, not the slash.)
    #[test]
    fn a_slash_changes_no_ones_rewards(a in 1..100u64, b in 1..100u64, epochs in 24..74u64, join in 0..50u64, later in 0..50u64, magnitude in 1..100u8) {
        let slash = join + later;
        prop_assert_eq!(join_and_slash(a, b, epochs, join, slash, magnitude), join_and_slash(a, b, epochs, join, slash, 100));
    }
}
