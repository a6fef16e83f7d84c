//! Random allocations, slashes and time on the deployed registry: magnitudes
//! never rise, allocations never exceed the max magnitude (nor does their
//! sum), the registry and the DelegationManager agree on the magnitude, no
//! slash takes more than the condition's cap, and a slash of one set leaves
//! every other set's slashable stake unchanged (unique stake).

use alloy_primitives::{Address, U256};
use keel_fixtures::registry::*;
use keel_fixtures::*;
use proptest::prelude::*;

const SETS: u64 = 3;
const CAP_PERCENT: u64 = 30;

#[derive(Debug, Clone)]
enum Step {
    Allocate(u64, u64),
    Slash(u64, u64),
    Advance(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..SETS, 0..=100u64).prop_map(|(s, p)| Step::Allocate(s, p)),
        2 => (0..SETS, 1..=40u64).prop_map(|(s, p)| Step::Slash(s, p)),
        2 => (0..=DEALLOCATION_DELAY).prop_map(Step::Advance),
    ]
}

/// Slashable stake of OPERATOR in ORACLE's set `s`: shares × allocation / max magnitude.
fn stake(world: &World, s: u64) -> U256 {
    let (max, _, _) = magnitudes(world, OPERATOR);
    if max == 0 {
        return U256::ZERO;
    }
    operator_shares(world, OPERATOR) * U256::from(allocation(world, OPERATOR, ORACLE, s).0) / U256::from(max)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn magnitudes_only_fall_and_slashes_respect_the_cap(steps in proptest::collection::vec(step(), 1..25)) {
        let world = setup_with_registry();
        deposit(&world, ALICE, ether(100)).unwrap();
        delegate(&world, ALICE, OPERATOR).unwrap();
        let conditions: Vec<u64> = (0..SETS).map(|s| {
            create_set(&world, ORACLE, s);
            let c = add_condition(&world, ORACLE, s, wad_percent(CAP_PERCENT), 0, Address::ZERO);
            join(&world, OPERATOR, ORACLE, s, vec![c]).unwrap();
            c
        }).collect();
        for step in steps {
            let (max_before, _, _) = magnitudes(&world, OPERATOR);
            match step {
                Step::Allocate(s, p) => {
                    let _ = allocate(&world, OPERATOR, ORACLE, s, (p as u128 * max_before as u128 / 100) as u64);
                }
                Step::Slash(s, p) => {
                    let stakes_before: Vec<U256> = (0..SETS).map(|t| stake(&world, t)).collect();
                    let before = allocation(&world, OPERATOR, ORACLE, s).0;
                    let result = slash(&world, ORACLE, OPERATOR, conditions[s as usize], wad_percent(p));
                    prop_assert_eq!(result.is_ok(), p <= CAP_PERCENT && before > 0, "slash of {}% of {}: {:?}", p, before, result);
                    let taken = before - allocation(&world, OPERATOR, ORACLE, s).0;
                    prop_assert!(taken as u128 * 100 <= before as u128 * CAP_PERCENT as u128 + 100, "took {} of {}", taken, before);
                    for t in (0..SETS).filter(|&t| t != s) {
                        let (was, now) = (stakes_before[t as usize], stake(&world, t));
                        prop_assert!(was.abs_diff(now) <= U256::from(2), "set {} stake {} -> {}", t, was, now);
                    }
                }
                Step::Advance(dt) => world.advance(dt),
            }
            let (max, encumbered, _) = magnitudes(&world, OPERATOR);
            prop_assert!(max <= max_before, "max magnitude rose");
            prop_assert!(encumbered <= max);
            prop_assert_eq!(magnitude(&world, OPERATOR), U256::from(max));
            let mut total = 0u64;
            for s in 0..SETS {
                let (current, target, _) = allocation(&world, OPERATOR, ORACLE, s);
                prop_assert!(current <= max && target <= max);
                total += current.max(target);
            }
            prop_assert!(total <= max, "allocations {} exceed the max {}", total, max);
        }
    }
}
