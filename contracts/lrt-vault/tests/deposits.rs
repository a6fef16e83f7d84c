//! Deposits, mints, restaking, the cap, slippage, pausing and roles.

use alloy_primitives::{Address, U256};
use keel_components::access::{CurrentlyPaused, Unauthorized};
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;

/// A privileged call made as the given account.
type CallAs<'a> = dyn Fn(Address) -> Result<(), Revert> + 'a;

fn idle(world: &World) -> U256 {
    world.call(OWNER, VAULT, &IAdmin::holdingsCall {}).unwrap()._0
}

#[test]
fn first_deposit_is_one_to_one_and_restaked_with_the_operator() {
    let world = setup_vault();
    assert_eq!(vault_deposit(&world, ALICE, ether(10)).unwrap(), ether(10));
    assert_eq!(lrt_balance(&world, ALICE), ether(10));
    assert_eq!(total_assets(&world), ether(10));
    assert_eq!(rate(&world), ether(1));
    assert_eq!(withdrawable(&world, VAULT), ether(10));
    assert_eq!(operator_shares(&world, OPERATOR), ether(10));
    assert_eq!(idle(&world), U256::ZERO);
    let ev = &world.events::<Deposit>(VAULT)[0];
    assert_eq!((ev.sender, ev.owner, ev.assets, ev.shares), (ALICE, ALICE, ether(10), ether(10)));
    assert_eq!(world.events::<Restaked>(VAULT)[0].assets, ether(10));
}

#[test]
fn the_buffer_target_stays_idle() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(3) }).unwrap();
    vault_deposit(&world, ALICE, ether(2)).unwrap();
    assert_eq!(idle(&world), ether(2));
    vault_deposit(&world, BOB, ether(5)).unwrap();
    assert_eq!(idle(&world), ether(3));
    assert_eq!(withdrawable(&world, VAULT), ether(4));
    assert_eq!(total_assets(&world), ether(7));
    assert_eq!(lrt_balance(&world, BOB), ether(5));
}

#[test]
fn mint_and_previews_agree() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    assert_eq!(world.call(BOB, VAULT, &IVault::previewDepositCall { assets: ether(4) }).unwrap(), ether(4));
    assert_eq!(world.call(BOB, VAULT, &IVault::previewMintCall { shares: ether(4) }).unwrap(), ether(4));
    assert_eq!(world.call(BOB, VAULT, &IVault::mintCall { shares: ether(4), receiver: CAROL }).unwrap(), ether(4));
    assert_eq!(lrt_balance(&world, CAROL), ether(4));
    assert_eq!(balance(&world, BOB), ether(996));
    assert_eq!(world.call(BOB, VAULT, &IVault::convertToSharesCall { assets: ether(1) }).unwrap(), ether(1));
    assert_eq!(world.call(BOB, VAULT, &IVault::maxDepositCall { receiver: BOB }).unwrap(), U256::MAX - ether(14));
}

#[test]
fn deposit_cap_and_slippage_are_enforced() {
    let world = setup_vault();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: ether(15), dailyInstantLimit: U256::ZERO, vestingPeriod: U256::ZERO })
        .unwrap();
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    assert_eq!(world.call(BOB, VAULT, &IVault::maxDepositCall { receiver: BOB }).unwrap(), ether(5));
    assert_eq!(world.call(BOB, VAULT, &IVault::maxMintCall { receiver: BOB }).unwrap(), ether(5));
    let err = world.expect_revert(BOB, VAULT, &IVault::depositCall { assets: ether(6), receiver: BOB });
    assert_eq!(err.decode::<DepositCapExceeded>().unwrap().cap, ether(15));
    let call = IVault::depositWithMinSharesCall { assets: ether(5), receiver: BOB, minShares: ether(5) + U256::from(1) };
    assert_eq!(world.expect_revert(BOB, VAULT, &call).decode::<Slippage>().unwrap().got, ether(5));
    let call = IVault::depositWithMinSharesCall { minShares: ether(5), ..call };
    assert_eq!(world.call(BOB, VAULT, &call).unwrap(), ether(5));
    assert!(world.expect_revert(BOB, VAULT, &IVault::depositCall { assets: U256::ZERO, receiver: BOB }).is::<ZeroAmount>());
}

#[test]
fn pausing_stops_deposits_and_only_the_unpauser_resumes() {
    let world = setup_vault();
    world.call(OWNER, VAULT, &vault::IAccessControl::pauseCall { bits: U256::from(1) }).unwrap();
    assert_eq!(
        world
            .expect_revert(ALICE, VAULT, &IVault::depositCall { assets: ether(1), receiver: ALICE })
            .decode::<CurrentlyPaused>()
            .unwrap()
            .flag,
        0
    );
    assert_eq!(world.call(ALICE, VAULT, &IVault::maxDepositCall { receiver: ALICE }).unwrap(), U256::ZERO);
    assert!(world.expect_revert(ALICE, VAULT, &vault::IAccessControl::unpauseCall { bits: U256::from(1) }).is::<Unauthorized>());
    world.call(OWNER, VAULT, &vault::IAccessControl::unpauseCall { bits: U256::from(1) }).unwrap();
    vault_deposit(&world, ALICE, ether(1)).unwrap();
}

#[test]
fn roles_guard_every_setting() {
    let world = setup_vault();
    let owner_only: Vec<Box<CallAs>> = vec![
        Box::new(|who| world.call(who, VAULT, &IAdmin::setManagerCall { manager: BOB }).map(|_| ())),
        Box::new(|who| world.call(who, VAULT, &IAdmin::setTreasuryCall { treasury: BOB }).map(|_| ())),
        Box::new(|who| {
            world.call(who, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(1), instantBps: U256::from(1) }).map(|_| ())
        }),
        Box::new(|who| {
            world
                .call(
                    who,
                    VAULT,
                    &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: U256::ZERO, vestingPeriod: U256::ZERO },
                )
                .map(|_| ())
        }),
    ];
    for call in &owner_only {
        assert!(call(MANAGER).unwrap_err().is::<Unauthorized>());
        call(OWNER).unwrap();
    }
    let world = setup_vault();
    assert!(world.expect_revert(OWNER, VAULT, &IAdmin::setBufferTargetCall { target: U256::from(1) }).is::<Unauthorized>());
    assert!(world.expect_revert(OWNER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR2 }).is::<Unauthorized>());
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: U256::from(1) }).unwrap();
    let settings = world.call(OWNER, VAULT, &IAdmin::settingsCall {}).unwrap();
    assert_eq!((settings._0, settings._1), (MANAGER, TREASURY));
    assert_eq!(world.call(OWNER, VAULT, &vault::IAccessControl::ownerCall {}).unwrap(), OWNER);
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: VAULT }).unwrap(), OPERATOR);
}

#[test]
fn limits_are_kept_exactly_below_2_128_and_as_none_above() {
    let world = setup_vault();
    let settings = world.call(OWNER, VAULT, &IAdmin::settingsCall {}).unwrap();
    assert_eq!(settings._4, U256::MAX, "no cap at first");
    let limits = |cap| IAdmin::setLimitsCall { depositCap: cap, dailyInstantLimit: U256::ZERO, vestingPeriod: U256::ZERO };
    let below = (U256::from(1) << 128) - U256::from(2);
    world.call(OWNER, VAULT, &limits(below)).unwrap();
    assert_eq!(world.call(OWNER, VAULT, &IAdmin::settingsCall {}).unwrap()._4, below);
    world.call(OWNER, VAULT, &limits(U256::from(1) << 200)).unwrap();
    assert_eq!(world.call(OWNER, VAULT, &IAdmin::settingsCall {}).unwrap()._4, U256::MAX, "above 2^128 - 2: no cap");
    let caps: Vec<U256> = world.events::<LimitsSet>(VAULT).iter().map(|ev| ev.depositCap).collect();
    assert_eq!(caps, vec![below, U256::MAX], "each event reports the cap as kept");
    assert!(world.call(ALICE, VAULT, &IVault::maxDepositCall { receiver: ALICE }).unwrap() > U256::from(1) << 255);
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: U256::from(1) << 130 }).unwrap();
    vault_deposit(&world, ALICE, ether(5)).unwrap();
    assert_eq!(withdrawable(&world, VAULT), U256::ZERO, "a target past 2^128 keeps everything idle");
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(2) }).unwrap();
    vault_deposit(&world, ALICE, ether(1)).unwrap();
    assert_eq!(withdrawable(&world, VAULT), ether(4), "an exact target restakes the rest");
}

#[test]
fn fees_are_capped() {
    let world = setup_vault();
    let err = world.expect_revert(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(2_001), instantBps: U256::ZERO });
    assert_eq!(err.decode::<FeeAboveCap>().unwrap().cap, U256::from(2_000));
    let err = world.expect_revert(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::from(251) });
    assert_eq!(err.decode::<FeeAboveCap>().unwrap().cap, U256::from(250));
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(2_000), instantBps: U256::from(250) }).unwrap();
    let long = IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: U256::ZERO, vestingPeriod: U256::from(30 * 86_400 + 1) };
    assert_eq!(world.expect_revert(OWNER, VAULT, &long).decode::<VestingTooLong>().unwrap().cap, U256::from(30 * 86_400));
    let ev = &world.events::<FeesSet>(VAULT)[0];
    assert_eq!((ev.performanceBps, ev.instantBps), (U256::from(2_000), U256::from(250)));
    let settings = world.call(OWNER, VAULT, &IAdmin::settingsCall {}).unwrap();
    assert_eq!((settings._2, settings._3), (U256::from(2_000), U256::from(250)));
}

#[test]
fn a_fee_on_transfer_deposit_mints_for_what_arrived() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    world.call(OWNER, TOKEN, &IToken::setTransferFeeCall { bps: U256::from(100) }).unwrap();
    let minted = vault_deposit(&world, BOB, ether(10)).unwrap();
    assert!(minted <= ether(10) * U256::from(99) / U256::from(100) * U256::from(99) / U256::from(100) + U256::from(1), "{minted}");
    assert!(rate(&world) >= ether(1));
}

/// Found by the invariant campaign (seed 1022): a deposit was credited with
/// what the vault's holdings grew by after restaking, so a wei by which the
/// deposit's own rounding in the strategy re-priced the vault's other stake
/// (here an operator change in the queue) went to the depositor, whose LRT
/// were then worth more than it paid; now it is credited at most what
/// arrived. Dust deposits into a strategy whose share price is not a whole
/// number look for such a case.
#[test]
fn a_deposit_never_mints_lrt_worth_more_than_it_brought() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR }).unwrap();
    // BOB's stake and a donation give the strategy a share price of about 1.03.
    deposit(&world, BOB, ether(7)).unwrap();
    world.call(BOB, TOKEN, &IToken::transferCall { to: SM, value: U256::from(3_700_000_000_000_000_001u128) }).unwrap();
    for wei in 100..200u64 {
        let assets = U256::from(wei);
        let minted = vault_deposit(&world, CAROL, assets).unwrap();
        let worth = to_assets(&world, minted);
        assert!(worth <= assets, "a deposit of {assets} minted LRT worth {worth}");
    }
}

/// Campaign seed 377: the last holder left by instant redemption and its
/// fee stayed in the vault, so a dust supply faced real assets. Deposits
/// were minted at the pro-rata rate (`total / supply`) while holders are
/// valued at the lower offset rate (`(total + 1000) / (supply + 1000)`), so
/// each depositor paid the spread, up to `1000 / (supply + 1000)` of its
/// deposit. Here MALLORY deposits 1 token, redeems all but 1 wei of LRT at
/// once and leaves 0.025 tokens of fee behind: ALICE's 100 tokens then
/// minted 4,000 LRT wei worth 80 (20 lost for MALLORY's 0.025). Deposits
/// now mint at the offset rate: ALICE keeps her 100, less a wei of LRT.
#[test]
fn a_dust_supply_left_behind_an_instant_redemption_costs_the_next_depositor_nothing() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(1_000) }).unwrap();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::from(250) }).unwrap();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(1_000), vestingPeriod: U256::ZERO })
        .unwrap();
    vault_deposit(&world, MALLORY, ether(1)).unwrap();
    let all_but_one = ether(1) - U256::from(1);
    world
        .call(MALLORY, VAULT, &IVault::instantRedeemCall { shares: all_but_one, receiver: MALLORY, owner: MALLORY, minAssets: U256::ZERO })
        .unwrap();
    let left = total_assets(&world);
    assert!(left > ether(1) / U256::from(50), "the fee stayed: {left}");
    let minted = vault_deposit(&world, ALICE, ether(100)).unwrap();
    let worth = to_assets(&world, minted);
    // One LRT wei is worth about (left + 1000) / 1001 tokens wei: the most rounding may cost.
    let wei_of_lrt = (left + U256::from(1_000)) / U256::from(1_001) + U256::from(1);
    assert!(worth <= ether(100) && ether(100) - worth <= wei_of_lrt, "100 tokens minted LRT worth {worth}");
}
