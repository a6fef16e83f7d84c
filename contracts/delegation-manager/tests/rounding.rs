//! Worst-case rounding loss of a staker across slashes and a withdrawal.
//!
//! The operator is slashed a few times, then one staker deposits and
//! delegates, the operator is slashed again a random number of times by
//! random fractions, and the staker withdraws everything. The exact value of
//! the withdrawal is `deposit × final magnitude / magnitude at delegation`;
//! the staker must never receive more, and loses at most a wei per rounding
//! plus the deposit scaling factor's precision (1e-18 of the amount).
//! Run with `--nocapture` to see the largest loss found.

use alloy_primitives::U256;
use keel_fixtures::*;
use proptest::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Largest loss seen across cases, in wei.
static WORST_LOSS: AtomicU64 = AtomicU64::new(0);

/// Slashes OPERATOR by `bps` basis points of its current magnitude.
fn slash_by(world: &World, bps: u64) {
    let current = magnitude(world, OPERATOR);
    slash_to(world, OPERATOR, current - current * U256::from(bps) / U256::from(10_000)).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn withdrawal_after_slashes_loses_at_most_a_few_wei(
        amount in 1u128..=1_000_000_000_000_000_000_000,
        earlier in proptest::collection::vec(1u64..=9_000, 0..3),
        slashes in proptest::collection::vec(1u64..=9_999, 0..6),
        queue_first in any::<bool>(),
    ) {
        let world = setup();
        for bps in &earlier {
            slash_by(&world, *bps);
        }
        let at_delegation = magnitude(&world, OPERATOR);
        let amount = U256::from(amount);
        let start = balance(&world, ALICE);
        deposit(&world, ALICE, amount).unwrap();
        delegate(&world, ALICE, OPERATOR).unwrap();
        let shares = world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker: ALICE, token: TOKEN }).unwrap();
        let root = if queue_first { Some(queue(&world, ALICE, shares).unwrap()) } else { None };
        for bps in &slashes {
            slash_by(&world, *bps);
        }
        let root = match root {
            Some(root) => root,
            None => queue(&world, ALICE, shares).unwrap(),
        };
        world.advance(DELAY);
        complete(&world, ALICE, root, true).unwrap();
        let received = balance(&world, ALICE) + amount - start;
        let exact = amount * magnitude(&world, OPERATOR) / at_delegation;
        prop_assert!(received <= exact, "received {} > exact {}", received, exact);
        // One wei per rounding of a slash or a conversion, plus the precision
        // of the deposit scaling factor (1e-18 of the amount).
        let bound = U256::from(earlier.len() + slashes.len() + 2) + amount / U256::from(10u64.pow(18));
        let loss = exact - received;
        prop_assert!(loss <= bound, "lost {} wei (bound {}) after {} + {} slashes", loss, bound, earlier.len(), slashes.len());
        let loss = loss.to::<u64>();
        if WORST_LOSS.fetch_max(loss, Ordering::Relaxed) < loss {
            eprintln!("largest rounding loss so far: {loss} wei ({} + {} slashes, amount {amount})", earlier.len(), slashes.len());
        }
    }
}
