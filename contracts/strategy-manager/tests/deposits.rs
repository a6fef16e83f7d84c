//! Deposits: shares, caps, whitelist, fees, rebases, donation attack, signatures, pausing.

use alloy_primitives::{Address, Bytes, B256, U256};
use k256::ecdsa::SigningKey;
use keel_components::access::{CurrentlyPaused, Unauthorized};
use keel_fixtures::{strategies::*, *};
use keel_math::eip712::{deposit_struct_hash, permit_struct_hash, typed_data_digest};
use keel_strategy_manager::errors::*;

#[test]
fn first_deposit_mints_one_share_per_token_and_lists_the_strategy() {
    let world = setup_strategy_manager();
    let minted = deposit(&world, ALICE, ether(10)).unwrap();
    assert_eq!(minted, ether(10));
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), ether(10));
    assert_eq!(token_balance(&world, TOKEN, SM), ether(10));
    assert_eq!(token_balance(&world, TOKEN, ALICE), ether(990));
    assert_eq!(world.call(ALICE, SM, &ISM::getStakerStrategyListCall { staker: ALICE }).unwrap(), vec![TOKEN]);
    let events = world.events::<Deposit>(SM);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].staker, events[0].token, events[0].amount, events[0].shares), (ALICE, TOKEN, ether(10), ether(10)));
}

#[test]
fn bad_deposits_are_refused_by_name() {
    let world = setup_strategy_manager();
    assert!(deposit(&world, ALICE, U256::ZERO).unwrap_err().is::<ZeroAmount>());
    let unknown = Address::repeat_byte(0x77);
    let err = world.expect_revert(ALICE, SM, &ISM::depositIntoStrategyCall { token: unknown, amount: ether(1) });
    assert_eq!(err.decode::<StrategyNotWhitelisted>().unwrap().token, unknown);

    world.call(OWNER, SM, &ISM::setStrategyWhitelistedCall { token: TOKEN, whitelisted: false }).unwrap();
    assert!(deposit(&world, ALICE, ether(1)).unwrap_err().is::<StrategyNotWhitelisted>());
    world.call(OWNER, SM, &ISM::setStrategyWhitelistedCall { token: TOKEN, whitelisted: true }).unwrap();

    world.call(OWNER, SM, &ISM::setDepositCapCall { token: TOKEN, cap: ether(5) }).unwrap();
    let err = deposit(&world, ALICE, ether(6)).unwrap_err().decode::<DepositCapExceeded>().unwrap();
    assert_eq!((err.cap, err.balanceAfter), (ether(5), ether(6)));
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), U256::ZERO, "a refused deposit leaves no trace");
    assert_eq!(token_balance(&world, TOKEN, ALICE), ether(1_000));
    deposit(&world, ALICE, ether(5)).unwrap();

    let err = world.expect_revert(OWNER, SM, &ISM::addStrategyCall { token: TOKEN, cap: U256::MAX });
    assert!(err.is::<StrategyAlreadyExists>());
}

#[test]
fn caps_below_the_240_bit_bound_read_back_exactly_and_larger_ones_mean_none() {
    let world = setup_strategy_manager();
    let cap_of = |world: &World| world.call(OWNER, SM, &ISM::strategyInfoCall { token: TOKEN }).unwrap()._3;
    let largest = keel_strategy_manager::NO_CAP - U256::from(1);
    world.call(OWNER, SM, &ISM::setDepositCapCall { token: TOKEN, cap: largest }).unwrap();
    assert_eq!(cap_of(&world), largest);
    for none in [keel_strategy_manager::NO_CAP, U256::MAX - U256::from(1), U256::MAX] {
        world.call(OWNER, SM, &ISM::setDepositCapCall { token: TOKEN, cap: none }).unwrap();
        assert_eq!(cap_of(&world), U256::MAX);
    }
    world.call(OWNER, SM, &ISM::setDepositCapCall { token: TOKEN, cap: U256::ZERO }).unwrap();
    assert_eq!(cap_of(&world), U256::ZERO);
    assert!(deposit(&world, ALICE, ether(1)).unwrap_err().is::<DepositCapExceeded>());
}

#[test]
fn fee_on_transfer_tokens_are_credited_what_arrived() {
    let world = setup_strategy_manager();
    world.call(OWNER, TOKEN, &IToken::setTransferFeeCall { bps: U256::from(100) }).unwrap();
    let minted = deposit(&world, ALICE, ether(100)).unwrap();
    assert_eq!(token_balance(&world, TOKEN, SM), ether(99));
    assert_eq!(minted, ether(99));
}

#[test]
fn rebasing_yield_accrues_to_shareholders() {
    let world = setup_strategy_manager();
    deposit(&world, ALICE, ether(32)).unwrap();
    world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: U256::from(1_035_000_000_000_000_000u64) }).unwrap();
    let value = world.call(ALICE, SM, &ISM::sharesToUnderlyingCall { token: TOKEN, shares: ether(32) }).unwrap();
    let expected = U256::from(33_120_000_000_000_000_000u128);
    assert!(value <= expected && expected - value < U256::from(2_000), "{value}");
    // A later depositor buys in at the new price (the virtual offsets move it by wei).
    let minted = deposit(&world, BOB, U256::from(1_035_000_000_000_000_000u64)).unwrap();
    assert!(minted.abs_diff(ether(1)) < U256::from(2_000), "{minted}");
}

#[test]
fn donation_attack_costs_the_attacker() {
    let world = setup_strategy_manager();
    deposit(&world, BOB, U256::from(1)).unwrap();
    world.call(BOB, TOKEN, &IToken::transferCall { to: SM, value: ether(100) }).unwrap();
    let victim = deposit(&world, ALICE, ether(100)).unwrap();
    assert!(victim > U256::ZERO);
    let bob_value = world.call(BOB, SM, &ISM::sharesToUnderlyingCall { token: TOKEN, shares: U256::from(1) }).unwrap();
    let alice_value = world.call(ALICE, SM, &ISM::sharesToUnderlyingCall { token: TOKEN, shares: victim }).unwrap();
    assert!(bob_value < ether(1), "attacker keeps {bob_value} of a 100-token donation");
    assert!(alice_value > ether(99), "victim keeps {alice_value}");
}

#[test]
fn dust_deposit_minting_no_shares_is_refused() {
    let world = setup_strategy_manager();
    deposit(&world, BOB, U256::from(1)).unwrap();
    world.call(BOB, TOKEN, &IToken::transferCall { to: SM, value: ether(100) }).unwrap();
    let err = deposit(&world, ALICE, U256::from(1_000)).unwrap_err();
    assert!(err.is::<ZeroSharesMinted>());
}

#[test]
fn pausers_pause_and_only_the_unpauser_unpauses() {
    let world = setup_strategy_manager();
    assert!(world.expect_revert(ALICE, SM, &SmAccess::pauseCall { bits: U256::from(1) }).is::<Unauthorized>());
    world.call(OWNER, SM, &SmAccess::setPauserCall { account: BOB, allowed: true }).unwrap();
    world.call(BOB, SM, &SmAccess::pauseCall { bits: U256::from(1) }).unwrap();
    let err = deposit(&world, ALICE, ether(1)).unwrap_err().decode::<CurrentlyPaused>().unwrap();
    assert_eq!(err.flag, 0);
    assert!(world.expect_revert(BOB, SM, &SmAccess::unpauseCall { bits: U256::from(1) }).is::<Unauthorized>());
    world.call(OWNER, SM, &SmAccess::unpauseCall { bits: U256::from(1) }).unwrap();
    deposit(&world, ALICE, ether(1)).unwrap();
}

#[test]
fn ownership_moves_in_two_steps() {
    let world = setup_strategy_manager();
    assert!(world.expect_revert(ALICE, SM, &SmAccess::transferOwnershipCall { newOwner: ALICE }).is::<Unauthorized>());
    world.call(OWNER, SM, &SmAccess::transferOwnershipCall { newOwner: ALICE }).unwrap();
    assert_eq!(world.call(OWNER, SM, &SmAccess::ownerCall {}).unwrap(), OWNER);
    assert!(world.expect_revert(BOB, SM, &SmAccess::acceptOwnershipCall {}).is::<Unauthorized>());
    world.call(ALICE, SM, &SmAccess::acceptOwnershipCall {}).unwrap();
    assert_eq!(world.call(OWNER, SM, &SmAccess::ownerCall {}).unwrap(), ALICE);
    assert!(world.expect_revert(OWNER, SM, &ISM::addStrategyCall { token: ALICE, cap: U256::MAX }).is::<Unauthorized>());
}

#[test]
fn a_staker_holds_at_most_32_strategies() {
    let world = setup_strategy_manager();
    for i in 0..33u64 {
        let token = Address::from_word(B256::from(U256::from(0x9000 + i)));
        deploy_token(&world, token, "Test T", "T");
        world.call(OWNER, SM, &ISM::addStrategyCall { token, cap: U256::MAX }).unwrap();
        fund_token(&world, token, ALICE, ether(1));
        let result = world.call(ALICE, SM, &ISM::depositIntoStrategyCall { token, amount: ether(1) });
        if i < 32 {
            result.unwrap();
        } else {
            assert_eq!(result.unwrap_err().decode::<TooManyStrategies>().unwrap().max, U256::from(32));
        }
    }
}

fn signer() -> (SigningKey, Address) {
    let key = SigningKey::from_slice(&[0x42; 32]).unwrap();
    let address = Address::from_public_key(key.verifying_key());
    (key, address)
}

fn sign(key: &SigningKey, digest: B256) -> Bytes {
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut bytes = sig.to_bytes().to_vec();
    bytes.push(27 + recid.to_byte());
    bytes.into()
}

fn deposit_digest(world: &World, staker: Address, amount: U256, nonce: u64, expiry: U256) -> B256 {
    let domain = world.call(OWNER, SM, &ISM::domainSeparatorCall {}).unwrap();
    typed_data_digest(domain, deposit_struct_hash(staker, TOKEN, amount, U256::from(nonce), expiry))
}

#[test]
fn signed_deposits_credit_the_signer_once() {
    let world = setup_strategy_manager();
    let (key, staker) = signer();
    let expiry = U256::from(world.timestamp() + 3_600);
    let signature = sign(&key, deposit_digest(&world, staker, ether(3), 0, expiry));
    let call = ISM::depositIntoStrategyWithSignatureCall { staker, token: TOKEN, amount: ether(3), expiry, signature };

    world.call(BOB, SM, &call).unwrap();
    assert_eq!(deposit_shares(&world, staker, TOKEN), ether(3));
    assert_eq!(token_balance(&world, TOKEN, BOB), ether(997), "the caller pays");
    assert_eq!(world.call(BOB, SM, &ISM::noncesCall { staker }).unwrap(), U256::from(1));

    let replay = world.expect_revert(BOB, SM, &call);
    assert_eq!(replay.decode::<InvalidSignature>().unwrap().staker, staker);
}

#[test]
fn signed_deposits_refuse_expired_tampered_and_foreign_chain_signatures() {
    let world = setup_strategy_manager();
    let (key, staker) = signer();
    let expiry = U256::from(world.timestamp() + 10);
    let signature = sign(&key, deposit_digest(&world, staker, ether(3), 0, expiry));

    let tampered =
        ISM::depositIntoStrategyWithSignatureCall { staker, token: TOKEN, amount: ether(4), expiry, signature: signature.clone() };
    assert!(world.expect_revert(BOB, SM, &tampered).is::<InvalidSignature>());

    let other_signer =
        ISM::depositIntoStrategyWithSignatureCall { staker: ALICE, token: TOKEN, amount: ether(3), expiry, signature: signature.clone() };
    assert!(world.expect_revert(BOB, SM, &other_signer).is::<InvalidSignature>());

    world.set_chain_id(1);
    let call = ISM::depositIntoStrategyWithSignatureCall { staker, token: TOKEN, amount: ether(3), expiry, signature };
    assert!(world.expect_revert(BOB, SM, &call).is::<InvalidSignature>());
    world.set_chain_id(412_346);

    world.advance(11);
    assert_eq!(world.expect_revert(BOB, SM, &call).decode::<SignatureExpired>().unwrap().expiry, expiry);
    assert_eq!(deposit_shares(&world, staker, TOKEN), U256::ZERO);
}

#[test]
fn reentrant_token_cannot_double_deposit() {
    use alloy_sol_types::SolCall;
    let world = setup_strategy_manager();
    let reenter = ISM::depositIntoStrategyCall { token: TOKEN, amount: ether(1) }.abi_encode();
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: SM, data: reenter.into() }).unwrap();
    for deny_reentry in [true, false] {
        world.set_deny_reentry(deny_reentry);
        let err = deposit(&world, ALICE, ether(5)).unwrap_err();
        assert!(err.is::<TokenTransferFailed>(), "deny_reentry={deny_reentry}");
        assert_eq!(deposit_shares(&world, ALICE, TOKEN), U256::ZERO);
        assert_eq!(token_balance(&world, TOKEN, SM), U256::ZERO);
    }
}

#[test]
fn delegation_manager_hook_is_called_and_its_refusal_bubbles_up() {
    let world = setup_strategy_manager();
    // A contract that does not implement the hook stands in for a refusing DelegationManager.
    world.call(OWNER, SM, &ISM::setDelegationManagerCall { delegationManager: TOKEN }).unwrap();
    // A staker that never delegated is not reported; once delegated, it is.
    deposit(&world, ALICE, ether(1)).unwrap();
    world.call(TOKEN, SM, &ISM::stakerDelegatedCall { staker: ALICE }).unwrap();
    let err = deposit(&world, ALICE, ether(1)).unwrap_err();
    assert_eq!(err.decode::<keel_components::calls::CallFailed>().unwrap().callee, TOKEN);
    assert!(world.expect_revert(OWNER, SM, &ISM::setDelegationManagerCall { delegationManager: DM }).is::<DelegationManagerAlreadySet>());
}

/// `signer`'s EIP-2612 permit letting the StrategyManager take `value` of the token.
fn permit(world: &World, key: &SigningKey, value: U256, deadline: U256) -> (u8, B256, B256) {
    let owner = Address::from_public_key(key.verifying_key());
    let domain = world.call(OWNER, TOKEN, &IToken::DOMAIN_SEPARATORCall {}).unwrap();
    let nonce = world.call(OWNER, TOKEN, &IToken::noncesCall { owner }).unwrap();
    let digest = typed_data_digest(domain, permit_struct_hash(owner, SM, value, nonce, deadline));
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    (27 + recid.to_byte(), B256::from_slice(&sig.r().to_bytes()), B256::from_slice(&sig.s().to_bytes()))
}

#[test]
fn a_permit_deposit_needs_no_approval_and_survives_a_front_run_permit() {
    let world = setup_strategy_manager();
    let (key, staker) = signer();
    world.call(OWNER, TOKEN, &IToken::mintCall { to: staker, value: ether(10) }).unwrap();
    let deadline = U256::from(world.timestamp() + 600);
    let (v, r, s) = permit(&world, &key, ether(4), deadline);
    let call = ISM::depositIntoStrategyWithPermitCall { token: TOKEN, amount: ether(4), deadline, v, r, s };
    assert_eq!(world.call(staker, SM, &call).unwrap(), ether(4));
    assert_eq!((deposit_shares(&world, staker, TOKEN), token_balance(&world, TOKEN, staker)), (ether(4), ether(6)));

    // Someone copies the next permit from the mempool and submits it first:
    // the deposit still goes through on the allowance it granted.
    let (v, r, s) = permit(&world, &key, ether(2), deadline);
    world.call(BOB, TOKEN, &IToken::permitCall { owner: staker, spender: SM, value: ether(2), deadline, v, r, s }).unwrap();
    let call = ISM::depositIntoStrategyWithPermitCall { token: TOKEN, amount: ether(2), deadline, v, r, s };
    assert_eq!(world.call(staker, SM, &call).unwrap(), ether(2));

    // A permit signed by someone else grants nothing: the transfer fails.
    let (v, r, s) = permit(&world, &SigningKey::from_slice(&[0x43; 32]).unwrap(), ether(1), deadline);
    let call = ISM::depositIntoStrategyWithPermitCall { token: TOKEN, amount: ether(1), deadline, v, r, s };
    assert!(world.expect_revert(staker, SM, &call).is::<TokenTransferFailed>());
    assert_eq!(deposit_shares(&world, staker, TOKEN), ether(6));
}
