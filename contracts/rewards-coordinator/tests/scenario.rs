//! The example: one staker with 32 tokens, three AVSs paying its
//! operator 2 %, 1.5 % and 1 % a year. With 0 % commission the staker
//! claims 4.5 % (1.44 tokens) minus rounding; with 10 % the operator gets a
//! tenth of it.

use alloy_primitives::U256;
use keel_fixtures::{rewards::*, *};

const YEAR: u64 = 365 * 86_400;

/// Runs the year; returns (staker's claim, operator's claim, submitted).
fn one_year(commission_bps: u64) -> (U256, U256, U256) {
    let world = setup_with_rewards();
    world.call(OPERATOR, RC, &IRC::setOperatorCommissionCall { bps: U256::from(commission_bps) }).unwrap();
    world.advance(8 * 86_400);
    deposit(&world, ALICE, ether(32)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let start = next_epoch(&world);
    let mut submitted = U256::ZERO;
    for (avs, permille) in [(AVS1, 20u64), (AVS2, 15), (AVS3, 10)] {
        let amount = ether(32) * U256::from(permille) / U256::from(1_000);
        submit(&world, avs, OPERATOR, amount, start, YEAR).unwrap();
        submitted += amount;
    }
    world.advance(start - world.timestamp() + YEAR);
    (claim(&world, ALICE, OPERATOR), claim(&world, OPERATOR, OPERATOR), submitted)
}

#[test]
fn thirty_two_tokens_three_avss_one_year() {
    let (staker, operator, submitted) = one_year(0);
    let loss = submitted - staker - operator;
    println!("0% commission: submitted {submitted} wei, staker claimed {staker} wei, operator {operator} wei, rounding loss {loss} wei");
    assert_eq!(submitted, U256::from(1_440_000_000_000_000_000u128));
    assert_eq!(operator, U256::ZERO);
    assert!(loss <= U256::from(3), "at most a wei per stream is lost");

    let (staker, operator, submitted) = one_year(1_000);
    let loss = submitted - staker - operator;
    println!("10% commission: staker claimed {staker} wei, operator {operator} wei, rounding loss {loss} wei");
    assert!(U256::from(144_000_000_000_000_000u128) - operator <= U256::from(3));
    assert!(U256::from(1_296_000_000_000_000_000u128) - staker <= U256::from(3));
    assert!(loss <= U256::from(3));
}
