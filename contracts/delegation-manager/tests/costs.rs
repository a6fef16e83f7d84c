//! Storage slots written per operation across all contracts (each is an
//! SSTORE on chain; the reentrancy guard's 1→2→1 counts once), printed as a
//! table and bounded at today's figures, so a change that writes more fails.

use keel_fixtures::*;

#[test]
fn storage_writes_per_operation() {
    let world = setup();
    let mut costs = costs::SlotCosts::new(&world);
    costs.measure("first deposit (undelegated)", 7, || {
        deposit(&world, ALICE, ether(10)).unwrap();
    });
    costs.measure("delegateTo (1 strategy)", 4, || delegate(&world, ALICE, OPERATOR).unwrap());
    costs.measure("repeat deposit (delegated)", 7, || {
        deposit(&world, ALICE, ether(5)).unwrap();
    });
    let root = std::cell::Cell::new(Default::default());
    costs.measure("queueWithdrawal (1 strategy)", 8, || root.set(queue(&world, ALICE, ether(5)).unwrap()));
    costs.measure("slashOperatorShares", 3, || {
        slash_to(&world, OPERATOR, wad_percent(90)).unwrap();
    });
    world.advance(DELAY);
    costs.measure("completeQueuedWithdrawal (tokens)", 6, || complete(&world, ALICE, root.get(), true).unwrap());
    costs.measure("undelegate (1 strategy)", 10, || {
        world.call(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    });
    costs.print("slots written per operation (all contracts, incl. token balances)");
}
