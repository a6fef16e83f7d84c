//! Property tests: random deposits, donations and rebases never let holders
//! claim more than the strategy holds, and a deposit never gains on the way out.

use alloy_primitives::U256;
use keel_fixtures::{strategies::*, *};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Deposit { bob: bool, amount: u64 },
    Donate(u64),
    Rebase(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (any::<bool>(), 1u64..=1_000_000_000_000).prop_map(|(bob, amount)| Step::Deposit { bob, amount }),
        (1u64..=1_000_000_000_000).prop_map(Step::Donate),
        (500_000_000_000_000_000u64..=1_500_000_000_000_000_000).prop_map(Step::Rebase),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn holders_never_claim_more_than_the_strategy_holds(steps in proptest::collection::vec(step(), 1..12)) {
        let world = setup_strategy_manager();
        let mut deposited = [U256::ZERO; 2];
        for step in steps {
            match step {
                Step::Deposit { bob, amount } => {
                    let who = if bob { BOB } else { ALICE };
                    if deposit(&world, who, U256::from(amount)).is_ok() {
                        deposited[bob as usize] += U256::from(amount);
                    }
                }
                Step::Donate(amount) => {
                    let _ = world.call(OWNER, TOKEN, &IToken::mintCall { to: SM, value: U256::from(amount) });
                }
                Step::Rebase(factor) => {
                    world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: U256::from(factor) }).unwrap();
                }
            }
            let held = token_balance(&world, TOKEN, SM);
            let claims: U256 = [ALICE, BOB]
                .iter()
                .map(|who| world.call(OWNER, SM, &ISM::sharesToUnderlyingCall { token: TOKEN, shares: deposit_shares(&world, *who, TOKEN) }).unwrap())
                .fold(U256::ZERO, |a, b| a + b);
            prop_assert!(claims <= held, "claims {} exceed held {}", claims, held);
        }
    }

    #[test]
    fn deposit_then_immediate_exit_never_gains(first in 1u64..=u64::MAX / 4, donation in 0u64..=u64::MAX / 4, amount in 1u64..=u64::MAX / 4) {
        let world = setup_strategy_manager();
        fund_token(&world, TOKEN, ALICE, U256::from(u64::MAX));
        let _ = deposit(&world, BOB, U256::from(first));
        if donation > 0 {
            world.call(OWNER, TOKEN, &IToken::mintCall { to: SM, value: U256::from(donation) }).unwrap();
        }
        if let Ok(minted) = deposit(&world, ALICE, U256::from(amount)) {
            let value = world.call(ALICE, SM, &ISM::sharesToUnderlyingCall { token: TOKEN, shares: minted }).unwrap();
            prop_assert!(value <= U256::from(amount));
        }
    }
}
