//! The vault against the text of ERC-4626, ERC-7540 (asynchronous
//! redemption, operators), ERC-7575 and ERC-165: each test names the rule.

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use keel_fixtures::{lrt::*, *};
use keel_lrt::standards::{ERC165_ID, ERC7540_OPERATOR_ID, ERC7540_REDEEM_ID, ERC7575_ID};
use keel_lrt_vault::errors::*;

/// One day, the vault's default vesting period.
const DAY: u64 = 86_400;

fn funded() -> World {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    vault_deposit(&world, BOB, ether(30)).unwrap();
    world
}

fn view<C: SolCall>(world: &World, call: C) -> C::Return {
    world.call(OWNER, VAULT, &call).unwrap()
}

fn approve_operator(world: &World, controller: Address, operator: Address, approved: bool) {
    assert!(world.call(controller, VAULT, &IVault::setOperatorCall { operator, approved }).unwrap());
}

fn xor(selectors: &[[u8; 4]]) -> [u8; 4] {
    selectors.iter().fold([0; 4], |acc, s| core::array::from_fn(|i| acc[i] ^ s[i]))
}

/// ERC-165: an interface id is the XOR of its functions' selectors; the
/// constants equal the ids computed from the vault's own ABI and the values
/// ERC-7540 lists, and `supportsInterface` answers true for them only.
#[test]
fn interface_ids_are_the_xor_of_their_selectors() {
    use IVault::*;
    assert_eq!(xor(&[supportsInterfaceCall::SELECTOR]), ERC165_ID);
    assert_eq!(xor(&[isOperatorCall::SELECTOR, setOperatorCall::SELECTOR]), ERC7540_OPERATOR_ID);
    let redeem = [requestRedeemCall::SELECTOR, IAdmin::pendingRedeemRequestCall::SELECTOR, IAdmin::claimableRedeemRequestCall::SELECTOR];
    assert_eq!(xor(&redeem), ERC7540_REDEEM_ID);
    let erc7575 = [
        assetCall::SELECTOR,
        shareCall::SELECTOR,
        convertToSharesCall::SELECTOR,
        convertToAssetsCall::SELECTOR,
        totalAssetsCall::SELECTOR,
        maxDepositCall::SELECTOR,
        maxMintCall::SELECTOR,
        maxWithdrawCall::SELECTOR,
        maxRedeemCall::SELECTOR,
        previewDepositCall::SELECTOR,
        previewMintCall::SELECTOR,
        previewWithdrawCall::SELECTOR,
        previewRedeemCall::SELECTOR,
        depositCall::SELECTOR,
        mintCall::SELECTOR,
        withdrawCall::SELECTOR,
        redeemCall::SELECTOR,
    ];
    assert_eq!(xor(&erc7575), ERC7575_ID);
    assert_eq!(
        [ERC165_ID, ERC7540_OPERATOR_ID, ERC7540_REDEEM_ID, ERC7575_ID].map(u32::from_be_bytes),
        [0x01ffc9a7, 0xe3bc4e65, 0x620ee8e4, 0x2f0a18c5],
        "the values ERC-7540 lists"
    );
    let world = setup_vault();
    let supports = |id: [u8; 4]| view(&world, supportsInterfaceCall { interfaceId: FixedBytes(id) });
    for id in [ERC165_ID, ERC7540_OPERATOR_ID, ERC7540_REDEEM_ID, ERC7575_ID] {
        assert!(supports(id));
    }
    // ERC-165: 0xffffffff MUST be false; so is asynchronous deposit (ERC-7540's 0xce3bbe50).
    for id in [[0xff; 4], [0xce, 0x3b, 0xbe, 0x50], [0; 4]] {
        assert!(!supports(id));
    }
    assert_eq!(view(&world, shareCall {}), VAULT, "ERC-7575: the vault is its own share token");
}

/// ERC-7540: previewRedeem and previewWithdraw MUST revert for all callers and inputs.
#[test]
fn the_async_previews_revert_for_every_input() {
    let world = funded();
    for (who, amount) in [(ALICE, U256::ZERO), (BOB, ether(1)), (CAROL, U256::MAX)] {
        assert!(world.expect_revert(who, VAULT, &IVault::previewRedeemCall { shares: amount }).is::<AsyncRedemption>());
        assert!(world.expect_revert(who, VAULT, &IVault::previewWithdrawCall { assets: amount }).is::<AsyncRedemption>());
    }
}

/// ERC-4626: maxDeposit/maxMint MUST return 0 while deposits are disabled
/// (even temporarily) and MUST NOT exceed what deposit/mint accept.
#[test]
fn max_deposit_and_mint_are_zero_while_deposits_are_refused() {
    let world = funded();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: ether(50), dailyInstantLimit: U256::ZERO, vestingPeriod: U256::from(DAY) })
        .unwrap();
    assert_eq!(view(&world, IVault::maxDepositCall { receiver: CAROL }), ether(10));
    assert_eq!(view(&world, IVault::maxMintCall { receiver: CAROL }), ether(10));
    assert_eq!(vault_deposit(&world, CAROL, ether(10)).unwrap(), ether(10), "maxDeposit is accepted");
    assert_eq!(view(&world, IVault::maxDepositCall { receiver: CAROL }), U256::ZERO);
    assert!(vault_deposit(&world, CAROL, U256::from(1)).unwrap_err().is::<DepositCapExceeded>());

    let world = funded();
    world.call(OWNER, VAULT, &vault::IAccessControl::pauseCall { bits: U256::from(1) }).unwrap();
    assert_eq!(view(&world, IVault::maxDepositCall { receiver: CAROL }), U256::ZERO, "paused");
    assert_eq!(view(&world, IVault::maxMintCall { receiver: CAROL }), U256::ZERO);

    // The vault's operator undelegated it: every deposit reverts until the manager adopts the withdrawal.
    let world = funded();
    world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    assert!(vault_deposit(&world, CAROL, ether(1)).unwrap_err().is::<ForcedUndelegation>());
    assert_eq!(view(&world, IVault::maxDepositCall { receiver: CAROL }), U256::ZERO, "forced undelegation");
    assert_eq!(view(&world, IVault::maxMintCall { receiver: CAROL }), U256::ZERO);
}

/// A world whose next checkpoint mints a performance fee: 20% fee, a 10%
/// gain on 40 booked and fully vested.
fn fee_pending() -> World {
    let world = funded();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(2_000), instantBps: U256::ZERO }).unwrap();
    reward(&world, 10);
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    world.advance(DAY);
    world
}

/// ERC-4626: previewDeposit MUST return as close to and no more than the
/// shares deposit mints in the same transaction, "inclusive of deposit
/// fees": the performance fee the deposit's checkpoint mints first lowers
/// the rate, so the deposit mints more LRT than `convertToShares` says; the
/// preview counts the fee (it gave the conversion's figure before).
#[test]
fn preview_deposit_is_exact_when_a_performance_fee_is_due() {
    let world = fee_pending();
    let preview = view(&world, IVault::previewDepositCall { assets: ether(11) });
    let converted = view(&world, IVault::convertToSharesCall { assets: ether(11) });
    assert!(preview > converted, "the fee lowers the rate first: {preview} vs {converted}");
    assert_eq!(vault_deposit(&world, CAROL, ether(11)).unwrap(), preview);
    assert!(!world.events::<FeeMinted>(VAULT).is_empty());
}

/// ERC-4626: previewMint MUST return as close to and no fewer than the
/// assets mint takes (rounded up); with a fee due it took the assets of
/// more LRT than asked before (its price left out the fee's dilution).
#[test]
fn preview_mint_is_exact_when_a_performance_fee_is_due() {
    let world = fee_pending();
    let preview = view(&world, IVault::previewMintCall { shares: ether(5) });
    let before = balance(&world, CAROL);
    assert_eq!(world.call(CAROL, VAULT, &IVault::mintCall { shares: ether(5), receiver: CAROL }).unwrap(), preview);
    // The test token rebases: a transfer moves its amount to within a wei.
    assert!((before - balance(&world, CAROL)).abs_diff(preview) <= U256::from(1));
    let minted = lrt_balance(&world, CAROL);
    assert!(minted >= ether(5) && minted - ether(5) <= U256::from(10), "the LRT asked for, to rounding: {minted}");
}

/// ERC-4626 rounding: previewDeposit rounds down (as convertToShares),
/// previewMint up (convertToAssets rounds down), so neither favours the caller.
#[test]
fn previews_round_against_the_caller() {
    let world = funded();
    reward(&world, 10);
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    world.advance(DAY);
    let odd = ether(3) + U256::from(1);
    assert_eq!(view(&world, IVault::previewDepositCall { assets: odd }), view(&world, IVault::convertToSharesCall { assets: odd }));
    let (up, down) = (view(&world, IVault::previewMintCall { shares: odd }), view(&world, IVault::convertToAssetsCall { shares: odd }));
    assert!(up > down && up - down <= U256::from(10), "rounded up (the larger of the offset and pro-rata prices): {up} vs {down}");
    let one_wei = view(&world, IVault::previewMintCall { shares: U256::from(1) });
    assert_eq!(one_wei, U256::from(2), "1 LRT wei at a rate above 1 costs 2 wei, rounded up");
}

/// ERC-7540: maxRedeem/maxWithdraw are what the controller can claim now
/// (its claimable requests, oldest first), zero while claims are paused.
#[test]
fn max_redeem_and_withdraw_are_the_claimable_requests() {
    let world = funded();
    let max = |who| (view(&world, IVault::maxRedeemCall { controller: who }), view(&world, IVault::maxWithdrawCall { controller: who }));
    request(&world, ALICE, ether(1)).unwrap();
    world.advance(3_600);
    request(&world, ALICE, ether(2)).unwrap();
    assert_eq!(max(ALICE), (U256::ZERO, U256::ZERO), "pending");
    world.advance(DELAY - 3_600);
    assert_eq!(max(ALICE), (ether(1), ether(1)), "only the first is claimable");
    world.advance(3_600);
    assert_eq!(max(ALICE), (ether(3), ether(3)));
    assert_eq!(max(BOB), (U256::ZERO, U256::ZERO), "per controller");
    world.call(OWNER, VAULT, &vault::IAccessControl::pauseCall { bits: U256::from(4) }).unwrap();
    assert_eq!(max(ALICE), (U256::ZERO, U256::ZERO), "claims paused");
    world.call(OWNER, VAULT, &vault::IAccessControl::unpauseCall { bits: U256::from(4) }).unwrap();
    assert_eq!(claim(&world, ALICE, ether(3)).unwrap(), ether(3));
    assert_eq!(max(ALICE), (U256::ZERO, U256::ZERO), "claimed");
}

/// ERC-7540's `withdraw` claims by assets: `maxWithdraw` is what it pays,
/// after a slash during the delay too; any other amount reverts whole.
#[test]
fn withdraw_claims_exactly_max_withdraw_after_a_slash() {
    let world = funded();
    request(&world, ALICE, ether(4)).unwrap();
    request(&world, ALICE, ether(2)).unwrap();
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    world.advance(DELAY);
    let assets = view(&world, IVault::maxWithdrawCall { controller: ALICE });
    assert!(assets >= ether(3) && assets - ether(3) <= U256::from(10), "half of the 6 requested: {assets}");
    // The first request pays about 2: 1 is not the payout of whole requests.
    let wrong = world.expect_revert(ALICE, VAULT, &IVault::withdrawCall { assets: ether(1), receiver: ALICE, controller: ALICE });
    assert_eq!(wrong.decode::<Slippage>().map(|e| e.bound), Some(ether(1)));
    let shares = world.call(ALICE, VAULT, &IVault::withdrawCall { assets, receiver: CAROL, controller: ALICE }).unwrap();
    assert_eq!(shares, ether(6), "withdraw returns the LRT of the requests claimed");
    assert_eq!(balance(&world, CAROL), ether(1_000) + assets, "paid exactly maxWithdraw");
    let ev = world.events::<Withdraw>(VAULT);
    assert_eq!((ev[0].sender, ev[0].receiver, ev[0].owner, ev[0].assets, ev[0].shares), (ALICE, CAROL, ALICE, assets, ether(6)));
    assert_eq!(view(&world, IVault::maxWithdrawCall { controller: ALICE }), U256::ZERO);
    let zero = world.expect_revert(ALICE, VAULT, &IVault::withdrawCall { assets: U256::ZERO, receiver: ALICE, controller: ALICE });
    assert!(zero.is::<ZeroAmount>());
}

/// ERC-7540: setOperator MUST emit OperatorSet and return true; an operator
/// may request for the owner without an allowance and claim for the
/// controller to any receiver; others MUST be refused; a revoked operator is.
#[test]
fn an_operator_requests_and_claims_for_its_controller() {
    let world = funded();
    assert!(!view(&world, IVault::isOperatorCall { controller: ALICE, operator: CAROL }));
    approve_operator(&world, ALICE, CAROL, true);
    assert!(view(&world, IVault::isOperatorCall { controller: ALICE, operator: CAROL }));
    assert!(!view(&world, IVault::isOperatorCall { controller: CAROL, operator: ALICE }), "one way");
    let ev = &world.events::<OperatorSet>(VAULT)[0];
    assert_eq!((ev.controller, ev.operator, ev.approved), (ALICE, CAROL, true));

    let request = IVault::requestRedeemCall { shares: ether(4), controller: ALICE, owner: ALICE };
    assert!(world.expect_revert(BOB, VAULT, &request).is::<InsufficientAllowance>(), "not BOB's to request");
    world.call(CAROL, VAULT, &request).unwrap();
    assert_eq!(view(&world, IVault::allowanceCall { owner: ALICE, spender: CAROL }), U256::ZERO, "no allowance spent");
    assert_eq!(lrt_balance(&world, ALICE), ether(6));
    world.advance(DELAY);
    let by = |who| IVault::redeemCall { shares: ether(4), receiver: who, controller: ALICE };
    let stranger = world.expect_revert(BOB, VAULT, &by(BOB));
    assert_eq!(stranger.decode::<NotController>().map(|e| (e.caller, e.controller)), Some((BOB, ALICE)));
    assert_eq!(world.call(CAROL, VAULT, &by(MALLORY)).unwrap(), ether(4));
    assert_eq!(balance(&world, MALLORY), ether(1_004), "paid to the receiver the operator chose");
    assert_eq!(world.events::<Withdraw>(VAULT)[0].sender, CAROL);

    approve_operator(&world, ALICE, CAROL, false);
    assert!(world.expect_revert(CAROL, VAULT, &request).is::<InsufficientAllowance>(), "revoked");
    assert!(!world.events::<OperatorSet>(VAULT)[1].approved);
}

/// An operator acts in redemptions only: it cannot move the controller's LRT.
#[test]
fn an_operator_cannot_transfer_the_controllers_lrt() {
    let world = funded();
    approve_operator(&world, ALICE, CAROL, true);
    let transfer = IVault::transferFromCall { from: ALICE, to: CAROL, value: ether(1) };
    assert!(world.expect_revert(CAROL, VAULT, &transfer).is::<InsufficientAllowance>());
    // Instant redemption is a redemption: the operator may make it for ALICE.
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(100), vestingPeriod: U256::from(DAY) })
        .unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(100) }).unwrap();
    vault_deposit(&world, BOB, ether(10)).unwrap();
    let instant = IVault::instantRedeemCall { shares: ether(1), receiver: CAROL, owner: ALICE, minAssets: U256::ZERO };
    assert!(world.expect_revert(BOB, VAULT, &instant).is::<InsufficientAllowance>());
    assert_eq!(world.call(CAROL, VAULT, &instant).unwrap(), ether(1));
    assert_eq!(lrt_balance(&world, ALICE), ether(9));
}
