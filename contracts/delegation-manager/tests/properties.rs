//! Random sequences of deposit / delegate / queue / complete / slash / time.
//!
//! After every step: the stakers' withdrawable shares add up to no more than
//! the operator's shares, and nobody has received more tokens than they put
//! in. At the end every queued withdrawal completes (nothing is stuck).

use alloy_primitives::{Address, B256, U256};
use keel_fixtures::*;
use proptest::prelude::*;

const STAKERS: [Address; 3] = [ALICE, BOB, CAROL];

#[derive(Debug, Clone)]
enum Step {
    Deposit(usize, u64),
    Delegate(usize),
    Queue(usize, u8),
    Complete(usize, bool),
    Slash(u64),
    Advance(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..3usize, 1u64..=50).prop_map(|(w, a)| Step::Deposit(w, a)),
        2 => (0..3usize).prop_map(Step::Delegate),
        2 => (0..3usize, 1u8..=100).prop_map(|(w, p)| Step::Queue(w, p)),
        2 => (0..3usize, any::<bool>()).prop_map(|(w, t)| Step::Complete(w, t)),
        1 => (1u64..=5_000).prop_map(Step::Slash),
        2 => (0u64..=DELAY).prop_map(Step::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn stake_accounting_holds_under_random_use(steps in proptest::collection::vec(step(), 1..30)) {
        let world = setup();
        let mut deposited = [U256::ZERO; 3];
        let mut queued: [Vec<B256>; 3] = Default::default();
        let start = [balance(&world, ALICE), balance(&world, BOB), balance(&world, CAROL)];
        for step in steps {
            match step {
                Step::Deposit(w, amount) => {
                    if deposit(&world, STAKERS[w], ether(amount)).is_ok() {
                        deposited[w] += ether(amount);
                    }
                }
                Step::Delegate(w) => {
                    let _ = delegate(&world, STAKERS[w], OPERATOR);
                }
                Step::Queue(w, percent) => {
                    let shares = world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker: STAKERS[w], token: TOKEN }).unwrap();
                    let amount = shares * U256::from(percent) / U256::from(100);
                    if let Ok(root) = queue(&world, STAKERS[w], amount) {
                        queued[w].push(root);
                    }
                }
                Step::Complete(w, as_tokens) => {
                    if let Some(root) = queued[w].first().copied() {
                        if complete(&world, STAKERS[w], root, as_tokens).is_ok() {
                            queued[w].remove(0);
                        }
                    }
                }
                Step::Slash(bps) => {
                    let current = magnitude(&world, OPERATOR);
                    let new = current - current * U256::from(bps) / U256::from(10_000);
                    if new < current {
                        slash_to(&world, OPERATOR, new).unwrap();
                    }
                }
                Step::Advance(seconds) => world.advance(seconds),
            }
            let delegated: U256 = STAKERS
                .iter()
                .filter(|s| world.call(OWNER, DM, &IDM::delegatedToCall { staker: **s }).unwrap() == OPERATOR)
                .map(|s| withdrawable(&world, *s))
                .fold(U256::ZERO, |a, b| a + b);
            prop_assert!(delegated <= operator_shares(&world, OPERATOR), "stakers {} > operator {}", delegated, operator_shares(&world, OPERATOR));
            for w in 0..3 {
                let received = (balance(&world, STAKERS[w]) + deposited[w]).saturating_sub(start[w]);
                prop_assert!(received <= deposited[w], "staker {} received {} of {}", w, received, deposited[w]);
            }
        }
        world.advance(DELAY);
        for w in 0..3 {
            for root in &queued[w] {
                prop_assert!(complete(&world, STAKERS[w], *root, true).is_ok(), "withdrawal {} of staker {} is stuck", root, w);
            }
        }
    }
}
