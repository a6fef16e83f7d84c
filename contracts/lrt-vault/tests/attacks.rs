//! Re-entrancy attacks on the vault through a token whose every transfer
//! calls back into it (an ERC-777-like hook): on deposit, on a claim and on
//! an instant redemption. The token contract itself plays the attacker, so
//! the re-entering call comes from an account that really holds tokens,
//! LRT or a claimable request. Each attack must fail with nothing counted
//! twice, and the vault must work normally once the hook is gone.
//!
//! Each entry point is re-entered twice: into itself (whose own transfer
//! would recurse) and into `requestRedeem`, which moves no tokens, so only
//! the vault's guard stops it from pricing LRT mid-update.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;

/// The attacker: the hooked token's own address.
const ATTACKER: Address = TOKEN;

/// Makes every token transfer call the vault with `call` (empty: hook off).
fn hook(world: &World, call: Vec<u8>) {
    let target = if call.is_empty() { Address::ZERO } else { VAULT };
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target, data: call.into() }).unwrap();
}

/// [`setup_vault`] with ALICE's 100 tokens in and the attacker funded (100
/// tokens, approving the vault) holding 10 LRT.
fn armed_world() -> World {
    let world = setup_vault();
    world.call(OWNER, TOKEN, &IToken::mintCall { to: ATTACKER, value: ether(100) }).unwrap();
    world.call(ATTACKER, TOKEN, &IToken::approveCall { spender: VAULT, value: U256::MAX }).unwrap();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    vault_deposit(&world, ATTACKER, ether(10)).unwrap();
    world
}

/// The cross-function re-entry: a redemption request for 5 of the attacker's LRT.
fn request_call() -> Vec<u8> {
    IVault::requestRedeemCall { shares: ether(5), controller: ATTACKER, owner: ATTACKER }.abi_encode()
}

/// What an attack could change: (attacker's LRT, attacker's tokens, supply, total assets, rate).
fn snapshot(world: &World) -> (U256, U256, U256, U256, U256) {
    let supply = world.call(OWNER, VAULT, &IVault::totalSupplyCall {}).unwrap();
    (lrt_balance(world, ATTACKER), balance(world, ATTACKER), supply, total_assets(world), rate(world))
}

#[test]
fn reentering_deposit_from_the_deposit_transfer_mints_nothing() {
    let world = armed_world();
    let before = snapshot(&world);
    for call in [IVault::depositCall { assets: ether(10), receiver: ATTACKER }.abi_encode(), request_call()] {
        hook(&world, call);
        for deny_reentry in [true, false] {
            world.set_deny_reentry(deny_reentry);
            let err = vault_deposit(&world, ATTACKER, ether(10)).unwrap_err();
            assert!(err.is::<TransferFailed>(), "deny_reentry={deny_reentry}");
            assert_eq!(snapshot(&world), before, "deny_reentry={deny_reentry}");
        }
    }
    world.set_deny_reentry(false);
    // Control: a hook that only reads the vault lets the deposit through, so
    // the refusal above is the guard's, not the hook's.
    hook(&world, IVault::getRateCall {}.abi_encode());
    assert_eq!(vault_deposit(&world, ATTACKER, ether(10)).unwrap(), ether(10));
    hook(&world, Vec::new());
    assert_eq!(vault_deposit(&world, ATTACKER, ether(10)).unwrap(), ether(10));
    assert_eq!(lrt_balance(&world, ATTACKER), ether(30), "each deposit counted once");
    assert_eq!((total_assets(&world), rate(&world)), (ether(130), ether(1)));
}

#[test]
fn reentering_a_claim_pays_the_request_once() {
    let world = armed_world();
    vault_deposit(&world, ATTACKER, ether(10)).unwrap();
    let id = request(&world, ATTACKER, ether(10)).unwrap();
    world.advance(DELAY);
    let before = snapshot(&world);
    let reentries = [
        IVault::redeemCall { shares: ether(10), receiver: ATTACKER, controller: ATTACKER }.abi_encode(),
        IVault::depositCall { assets: ether(10), receiver: ATTACKER }.abi_encode(),
        request_call(),
    ];
    for call in reentries {
        hook(&world, call);
        for deny_reentry in [true, false] {
            world.set_deny_reentry(deny_reentry);
            assert!(claim(&world, ATTACKER, ether(10)).is_err(), "deny_reentry={deny_reentry}");
            assert_eq!(snapshot(&world), before);
            assert_eq!(
                world.call(OWNER, VAULT, &IAdmin::claimableRedeemRequestCall { requestId: id, controller: ATTACKER }).unwrap(),
                ether(10)
            );
        }
    }
    world.set_deny_reentry(true);
    hook(&world, Vec::new());
    assert_eq!(claim(&world, ATTACKER, ether(10)).unwrap(), ether(10));
    assert_eq!(balance(&world, ATTACKER), ether(90), "paid once");
    assert!(claim(&world, ATTACKER, ether(10)).unwrap_err().is::<RequestNotClaimable>());
    assert_eq!(lrt_balance(&world, ATTACKER), ether(10));
    assert_eq!((total_assets(&world), rate(&world)), (ether(110), ether(1)));
}

#[test]
fn reentering_an_instant_redemption_pays_once() {
    let world = armed_world();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(50) }).unwrap();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(100), vestingPeriod: U256::ZERO })
        .unwrap();
    vault_deposit(&world, ATTACKER, ether(20)).unwrap();
    let redeem = IVault::instantRedeemCall { shares: ether(5), receiver: ATTACKER, owner: ATTACKER, minAssets: U256::ZERO };
    let before = snapshot(&world);
    for call in [redeem.abi_encode(), request_call()] {
        hook(&world, call);
        for deny_reentry in [true, false] {
            world.set_deny_reentry(deny_reentry);
            assert!(world.call(ATTACKER, VAULT, &redeem).unwrap_err().is::<TransferFailed>(), "deny_reentry={deny_reentry}");
            assert_eq!(snapshot(&world), before);
        }
    }
    world.set_deny_reentry(true);
    hook(&world, Vec::new());
    assert_eq!(world.call(ATTACKER, VAULT, &redeem).unwrap(), ether(5));
    assert_eq!((lrt_balance(&world, ATTACKER), balance(&world, ATTACKER)), (ether(25), ether(75)));
    assert_eq!((total_assets(&world), rate(&world)), (ether(125), ether(1)));
}
