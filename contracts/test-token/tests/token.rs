//! The test token's ERC-20, permit, rebase, fee and hook behaviour.

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{sol_data, SolCall, SolError};
use k256::ecdsa::SigningKey;
use keel_components::access::Unauthorized;
use keel_math::eip712::{permit_struct_hash, typed_data_digest};
use keel_test_token::errors::*;
use keel_testhost::{constructor_calldata, World};

mod abi {
    alloy_sol_types::sol!("../../abi/TestToken.sol");
}
use abi::ITestToken as IToken;

/// The token constructor's argument types.
type Ctor = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);

const OWNER: Address = address!("00000000000000000000000000000000000000a1");
const ALICE: Address = address!("00000000000000000000000000000000000000a2");
const BOB: Address = address!("00000000000000000000000000000000000000a3");
const TOKEN: Address = address!("0000000000000000000000000000000000007000");
const OTHER: Address = address!("0000000000000000000000000000000000007001");

fn deploy(world: &World, at: Address, name: &str) {
    let data = constructor_calldata::<Ctor>(&(name.into(), "kstETH".into(), 18, OWNER));
    world.deploy(at, keel_test_token::dispatch, OWNER, Some(data)).unwrap();
}

fn setup() -> World {
    let world = World::new();
    deploy(&world, TOKEN, "Keel Staked Ether");
    world.call(OWNER, TOKEN, &IToken::mintCall { to: ALICE, value: U256::from(1_000) }).unwrap();
    world
}

fn balance(world: &World, who: Address) -> U256 {
    world.call(OWNER, TOKEN, &IToken::balanceOfCall { account: who }).unwrap()
}

#[test]
fn metadata_and_mint() {
    let world = setup();
    assert_eq!(world.call(OWNER, TOKEN, &IToken::nameCall {}).unwrap(), "Keel Staked Ether");
    assert_eq!(world.call(OWNER, TOKEN, &IToken::symbolCall {}).unwrap(), "kstETH");
    assert_eq!(world.call(OWNER, TOKEN, &IToken::decimalsCall {}).unwrap(), 18);
    assert_eq!(world.call(OWNER, TOKEN, &IToken::totalSupplyCall {}).unwrap(), U256::from(1_000));
    let err = world.expect_revert(ALICE, TOKEN, &IToken::mintCall { to: ALICE, value: U256::from(1) });
    assert_eq!(err.decode::<Unauthorized>().unwrap().caller, ALICE);
    let data = constructor_calldata::<Ctor>(&("x".repeat(32), "X".into(), 18, OWNER));
    let err = world.deploy(OTHER, keel_test_token::dispatch, OWNER, Some(data)).unwrap_err();
    assert!(err.is::<NameTooLong>());
}

#[test]
fn transfers_and_allowances() {
    let world = setup();
    world.call(ALICE, TOKEN, &IToken::transferCall { to: BOB, value: U256::from(300) }).unwrap();
    assert_eq!((balance(&world, ALICE), balance(&world, BOB)), (U256::from(700), U256::from(300)));
    let err = world.expect_revert(BOB, TOKEN, &IToken::transferCall { to: ALICE, value: U256::from(301) });
    assert_eq!(err.decode::<InsufficientBalance>().unwrap().have, U256::from(300));

    world.call(ALICE, TOKEN, &IToken::approveCall { spender: BOB, value: U256::from(50) }).unwrap();
    world.call(BOB, TOKEN, &IToken::transferFromCall { from: ALICE, to: BOB, value: U256::from(20) }).unwrap();
    assert_eq!(world.call(BOB, TOKEN, &IToken::allowanceCall { owner: ALICE, spender: BOB }).unwrap(), U256::from(30));
    let err = world.expect_revert(BOB, TOKEN, &IToken::transferFromCall { from: ALICE, to: BOB, value: U256::from(31) });
    assert_eq!(err.decode::<InsufficientAllowance>().unwrap().have, U256::from(30));
    assert_eq!(world.events::<Transfer>(TOKEN).len(), 3, "mint + two transfers");
    let transfer = &world.events::<Transfer>(TOKEN)[1];
    assert_eq!((transfer.from, transfer.to, transfer.value), (ALICE, BOB, U256::from(300)));
    let approval = &world.events::<Approval>(TOKEN)[0];
    assert_eq!((approval.owner, approval.spender, approval.value), (ALICE, BOB, U256::from(50)));
}

#[test]
fn rebase_scales_every_balance() {
    let world = setup();
    world.call(ALICE, TOKEN, &IToken::transferCall { to: BOB, value: U256::from(200) }).unwrap();
    world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: U256::from(1_500_000_000_000_000_000u64) }).unwrap();
    assert_eq!((balance(&world, ALICE), balance(&world, BOB)), (U256::from(1_200), U256::from(300)));
    assert_eq!(world.call(OWNER, TOKEN, &IToken::totalSupplyCall {}).unwrap(), U256::from(1_500));
    assert_eq!(world.events::<Rebased>(TOKEN)[0].factorWad, U256::from(1_500_000_000_000_000_000u64));
    let err = world.expect_revert(OWNER, TOKEN, &IToken::rebaseCall { factorWad: U256::ZERO });
    assert!(err.is::<InvalidRebaseFactor>());
    // The factor is stored in 80 bits: the largest fits, one more is refused.
    let max = keel_test_token::MAX_REBASE_FACTOR;
    world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: max }).unwrap();
    assert_eq!(world.call(OWNER, TOKEN, &IToken::rebaseFactorCall {}).unwrap(), max);
    let err = world.expect_revert(OWNER, TOKEN, &IToken::rebaseCall { factorWad: max + U256::from(1) });
    assert!(err.is::<InvalidRebaseFactor>());
}

#[test]
fn transfer_fee_is_burned() {
    let world = setup();
    world.call(OWNER, TOKEN, &IToken::setTransferFeeCall { bps: U256::from(250) }).unwrap();
    world.call(ALICE, TOKEN, &IToken::transferCall { to: BOB, value: U256::from(400) }).unwrap();
    assert_eq!(balance(&world, BOB), U256::from(390));
    assert_eq!(world.events::<TransferFeeSet>(TOKEN)[0].bps, U256::from(250));
    assert_eq!(world.call(OWNER, TOKEN, &IToken::totalSupplyCall {}).unwrap(), U256::from(990));
    let err = world.expect_revert(OWNER, TOKEN, &IToken::setTransferFeeCall { bps: U256::from(10_001) });
    assert!(err.is::<FeeTooHigh>());
}

#[test]
fn transfer_hook_runs_and_its_failure_reverts_the_transfer() {
    let world = setup();
    deploy(&world, OTHER, "Other");
    // The hook mints on the other token; the token is not its owner, so the hook fails.
    let data = IToken::mintCall { to: BOB, value: U256::from(1) }.abi_encode();
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: OTHER, data: data.into() }).unwrap();
    let err = world.expect_revert(ALICE, TOKEN, &IToken::transferCall { to: BOB, value: U256::from(1) });
    let failed = err.decode::<keel_components::calls::CallFailed>().unwrap();
    assert_eq!(failed.callee, OTHER);
    let reason = failed.reason;
    assert_eq!(&reason[..4], &Unauthorized::SELECTOR);
    assert_eq!(balance(&world, BOB), U256::ZERO, "the transfer was rolled back");
    // A hook that succeeds lets transfers through.
    let data = IToken::balanceOfCall { account: BOB }.abi_encode();
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: OTHER, data: data.into() }).unwrap();
    world.call(ALICE, TOKEN, &IToken::transferCall { to: BOB, value: U256::from(1) }).unwrap();
    assert_eq!(balance(&world, BOB), U256::from(1));
    let hook = world.events::<TransferHookSet>(TOKEN).pop().unwrap();
    assert_eq!((hook.target, hook.data.len()), (OTHER, 36));
}

#[test]
fn permit_approves_once_before_its_deadline() {
    let world = setup();
    let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let owner = Address::from_public_key(key.verifying_key());
    let deadline = U256::from(world.timestamp() + 60);
    let domain = world.call(OWNER, TOKEN, &IToken::DOMAIN_SEPARATORCall {}).unwrap();
    let digest = typed_data_digest(domain, permit_struct_hash(owner, BOB, U256::from(9), U256::ZERO, deadline));
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let (r, s) = (B256::from_slice(&sig.r().to_bytes()), B256::from_slice(&sig.s().to_bytes()));
    let call = IToken::permitCall { owner, spender: BOB, value: U256::from(9), deadline, v: 27 + recid.to_byte(), r, s };

    world.call(ALICE, TOKEN, &call).unwrap();
    assert_eq!(world.call(BOB, TOKEN, &IToken::allowanceCall { owner, spender: BOB }).unwrap(), U256::from(9));
    assert_eq!(world.call(BOB, TOKEN, &IToken::noncesCall { owner }).unwrap(), U256::from(1));
    assert!(world.expect_revert(ALICE, TOKEN, &call).is::<InvalidPermitSignature>());

    world.advance(61);
    let err = world.expect_revert(ALICE, TOKEN, &call);
    assert_eq!(err.decode::<PermitExpired>().unwrap().deadline, deadline);
}
