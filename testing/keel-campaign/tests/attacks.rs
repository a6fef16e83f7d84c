//! The attack catalogue's entries that no contract's own tests cover (see
//! SECURITY.md for the whole catalogue and where each entry is tested). Each
//! test stages the attack and shows it fails, or costs the attacker more
//! than it gains.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use keel_campaign::{actors, privileged::privileged_calls};
use keel_fixtures::{registry::*, rewards::*, *};

/// Makes every transfer of `token` call `target` with `call` (zero target: off).
fn hook(world: &World, token: Address, target: Address, call: Vec<u8>) {
    world.call(OWNER, token, &IToken::setTransferHookCall { target, data: call.into() }).unwrap();
}

fn deposit_shares(world: &World, staker: Address) -> U256 {
    world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token: TOKEN }).unwrap()
}

#[test]
fn reentrancy_signed_deposit_cannot_deposit_twice() {
    let world = actors::world();
    let expiry = U256::from(world.timestamp() + 3_600);
    let signature = actors::deposit_signature(&world, ether(5), U256::ZERO, expiry);
    let call = ISM::depositIntoStrategyWithSignatureCall { staker: actors::signer(), token: TOKEN, amount: ether(5), expiry, signature };
    hook(&world, TOKEN, SM, call.abi_encode());
    for deny_reentry in [true, false] {
        world.set_deny_reentry(deny_reentry);
        assert!(world.call(BOB, SM, &call).unwrap_err().is::<ISM::TokenTransferFailed>(), "deny_reentry={deny_reentry}");
        assert_eq!(deposit_shares(&world, actors::signer()), U256::ZERO);
        assert_eq!(balance(&world, SM), U256::ZERO);
    }
    hook(&world, TOKEN, Address::ZERO, Vec::new());
    world.call(BOB, SM, &call).unwrap();
    assert_eq!(deposit_shares(&world, actors::signer()), ether(5), "without the hook it goes through once");
}

#[test]
fn reentrancy_through_withdrawal_completion_pays_once() {
    // The token itself is the staker: each payout to it re-enters the completion.
    let world = setup();
    fund(&world, TOKEN, ether(10));
    deposit(&world, TOKEN, ether(10)).unwrap();
    let root = queue(&world, TOKEN, ether(10)).unwrap();
    world.advance(DELAY);
    hook(&world, TOKEN, DM, IDM::completeQueuedWithdrawalCall { root, receiveAsTokens: true }.abi_encode());
    for deny_reentry in [true, false] {
        world.set_deny_reentry(deny_reentry);
        assert!(complete(&world, TOKEN, root, true).is_err(), "deny_reentry={deny_reentry}");
        assert_eq!(balance(&world, TOKEN), U256::ZERO);
        assert!(world.call(OWNER, DM, &IDM::queuedWithdrawalCall { root }).unwrap()._3, "still pending");
    }
    hook(&world, TOKEN, Address::ZERO, Vec::new());
    complete(&world, TOKEN, root, true).unwrap();
    assert_eq!(balance(&world, TOKEN), ether(10));
    assert!(complete(&world, TOKEN, root, true).unwrap_err().is::<IDM::WithdrawalNotQueued>());
}

/// ALICE's 100 tokens delegated to OPERATOR, half slashed to the burn address.
/// ALICE's 100 delegated to OPERATOR, slashed by half, the slashed shares' escrow over.
fn slashed_world() -> World {
    let world = setup();
    deposit(&world, ALICE, ether(100)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    world
}

fn pending_slashed(world: &World) -> U256 {
    world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap()._0
}

#[test]
fn reentrancy_through_clearing_slashed_shares_pays_once() {
    let world = slashed_world();
    let clear = ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO };
    hook(&world, TOKEN, SM, clear.abi_encode());
    for deny_reentry in [true, false] {
        world.set_deny_reentry(deny_reentry);
        assert!(world.call(CAROL, SM, &clear).unwrap_err().is::<ISM::TokenTransferFailed>(), "deny_reentry={deny_reentry}");
        assert_eq!((pending_slashed(&world), balance(&world, BURN)), (ether(50), U256::ZERO));
    }
    hook(&world, TOKEN, Address::ZERO, Vec::new());
    assert_eq!(world.call(CAROL, SM, &clear).unwrap(), ether(50));
    assert!(world.call(CAROL, SM, &clear).unwrap_err().is::<ISM::ZeroAmount>());
    assert_eq!(balance(&world, BURN), ether(50));
}

#[test]
fn reentrancy_through_reward_submission_is_refused() {
    // The reward token is also an AVS whose own submission works on its own.
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    world.call(OWNER, REWARD, &IToken::mintCall { to: REWARD, value: ether(10) }).unwrap();
    world.call(REWARD, REWARD, &IToken::approveCall { spender: RC, value: U256::MAX }).unwrap();
    let inner = IRC::submitRewardsCall {
        operators: vec![OPERATOR],
        amounts: vec![ether(1)],
        strategy: TOKEN,
        rewardToken: REWARD,
        start: 0,
        duration: 0,
    };
    world.call(REWARD, RC, &inner).unwrap();
    hook(&world, REWARD, RC, inner.abi_encode());
    let held = reward_balance(&world, RC);
    for deny_reentry in [true, false] {
        world.set_deny_reentry(deny_reentry);
        assert!(
            submit(&world, AVS1, OPERATOR, ether(5), 0, 0).unwrap_err().is::<IRC::TokenTransferFailed>(),
            "deny_reentry={deny_reentry}"
        );
        assert_eq!(reward_balance(&world, RC), held);
    }
}

#[test]
fn reentrancy_through_a_reward_claim_pays_once() {
    // ALICE lets the reward token claim for her: only the guard stops the re-entry.
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    submit(&world, AVS1, OPERATOR, ether(100), 0, 0).unwrap();
    world.advance(SPREAD);
    world.call(ALICE, RC, &IRC::setClaimerCall { claimer: REWARD }).unwrap();
    let call =
        IRC::claimCall { earner: ALICE, operators: vec![OPERATOR], strategies: vec![TOKEN], rewardTokens: vec![REWARD], recipient: ALICE };
    hook(&world, REWARD, RC, call.abi_encode());
    for deny_reentry in [true, false] {
        world.set_deny_reentry(deny_reentry);
        assert!(world.call(ALICE, RC, &call).is_err(), "deny_reentry={deny_reentry}");
        assert_eq!(reward_balance(&world, ALICE), U256::ZERO);
    }
    hook(&world, REWARD, Address::ZERO, Vec::new());
    let paid = world.call(ALICE, RC, &call).unwrap()[0];
    assert!(paid > ether(80) && reward_balance(&world, ALICE) == paid, "paid {paid} once");
}

/// ALICE's 100 tokens delegated to OPERATOR, fully allocated to ORACLE's
/// set 0 under a 50% condition paying `recipient` (zero: burn).
fn allocated_world(recipient: Address) -> (World, u64) {
    let world = setup_with_registry();
    deposit(&world, ALICE, ether(100)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    create_set(&world, ORACLE, 0);
    let condition = add_condition(&world, ORACLE, 0, wad_percent(50), 0, recipient);
    join(&world, OPERATOR, ORACLE, 0, vec![condition]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 0, percent(100)).unwrap();
    world.advance(1);
    (world, condition)
}

/// Attack 19 (SECURITY.md): a third-party AVS names the same redistribution
/// recipient and slashes its own operator by a few wei every day, hoping to
/// push back the release of what ORACLE's slash owes that recipient. Each
/// AVS's slashes go into a record of its own, so ORACLE's payout is due at
/// its own release, whatever BRIDGE does.
#[test]
fn a_third_party_avs_cannot_hold_a_redistribution_payout() {
    let (world, condition) = allocated_world(VICTIMS);
    register(&world, OPERATOR2, Address::ZERO);
    fund(&world, OPERATOR2, ether(1));
    deposit(&world, OPERATOR2, ether(1)).unwrap();
    create_set(&world, BRIDGE, 0);
    let griefing = add_condition(&world, BRIDGE, 0, wad_percent(100), 0, VICTIMS);
    join(&world, OPERATOR2, BRIDGE, 0, vec![griefing]).unwrap();
    ready_operators(&world, &[OPERATOR2]);
    allocate(&world, OPERATOR2, BRIDGE, 0, percent(100)).unwrap();
    world.advance(1);
    slash(&world, ORACLE, OPERATOR, condition, wad_percent(50)).unwrap();
    let due = world.timestamp() + keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY;
    while world.timestamp() < due {
        world.advance(86_400 / 2);
        slash(&world, BRIDGE, OPERATOR2, griefing, U256::from(1_000)).unwrap();
    }
    let pay = |avs| world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: VICTIMS, avs });
    assert_eq!(pay(ORACLE).unwrap(), ether(50), "ORACLE's slash is paid at its own release");
    assert!(pay(BRIDGE).is_err(), "BRIDGE's own last slash is still in escrow");
}

#[test]
fn front_running_a_slash_with_a_deallocation_does_not_escape_it() {
    let (world, condition) = allocated_world(Address::ZERO);
    // The operator sees the slash coming: deallocates and leaves the set.
    allocate(&world, OPERATOR, ORACLE, 0, 0).unwrap();
    world.call(OPERATOR, REGISTRY, &IReg::deregisterFromOperatorSetsCall { avs: ORACLE, setIds: vec![0] }).unwrap();
    world.advance(DEALLOCATION_DELAY - 1);
    slash(&world, ORACLE, OPERATOR, condition, wad_percent(50)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(50), "the whole allocation was still slashable");
    assert_eq!(withdrawable(&world, ALICE), ether(50));
}

#[test]
fn a_deposit_signature_is_bound_to_its_contract() {
    // A second StrategyManager with the same owner and token (the campaign
    // world's successor deployment): a signature made for the first is
    // refused by the second, and the other way round.
    let world = actors::world();
    let twin = strategies::SUCCESSOR;
    world.call(BOB, TOKEN, &IToken::approveCall { spender: twin, value: U256::MAX }).unwrap();
    let expiry = U256::from(world.timestamp() + 3_600);
    let signature = actors::deposit_signature(&world, ether(1), U256::ZERO, expiry);
    let call = ISM::depositIntoStrategyWithSignatureCall { staker: actors::signer(), token: TOKEN, amount: ether(1), expiry, signature };
    assert!(world.call(BOB, twin, &call).unwrap_err().is::<ISM::InvalidSignature>());
    world.call(BOB, SM, &call).unwrap();
    assert!(world.call(BOB, SM, &call).unwrap_err().is::<ISM::InvalidSignature>(), "and only once");
}

#[test]
fn rounding_drain_by_tiny_deposits_and_withdrawals_gains_nothing() {
    // After a slash to an awkward magnitude, BOB cycles 1–7 wei deposits
    // through the queue 200 times; neither he nor anyone else gains.
    let world = setup();
    for who in [ALICE, BOB] {
        deposit(&world, who, ether(100)).unwrap();
        delegate(&world, who, OPERATOR).unwrap();
    }
    slash_to(&world, OPERATOR, U256::from(333_333_333_333_333_333u64)).unwrap();
    let (bob_before, alice_value) = (balance(&world, BOB), withdrawable(&world, ALICE));
    let bob_value = withdrawable(&world, BOB);
    let mut roots = Vec::new();
    for i in 0..200u64 {
        let before = deposit_shares(&world, BOB);
        if deposit(&world, BOB, U256::from(1 + i % 7)).is_ok() {
            roots.push(queue(&world, BOB, deposit_shares(&world, BOB) - before).unwrap());
        }
    }
    assert!(roots.len() > 100, "the dust deposits went through ({})", roots.len());
    world.advance(DELAY);
    for root in roots {
        let _ = complete(&world, BOB, root, true);
    }
    assert!(balance(&world, BOB) <= bob_before, "BOB gained {} wei", balance(&world, BOB) - bob_before);
    assert!(withdrawable(&world, BOB) <= bob_value);
    assert!(withdrawable(&world, ALICE) >= alice_value, "ALICE lost to BOB's rounding");
}

#[test]
fn a_recipient_that_refuses_tokens_cannot_block_a_slash() {
    let (world, condition) = allocated_world(VICTIMS);
    // Every transfer of the token now fails (the hook calls an unknown function).
    hook(&world, TOKEN, SM, vec![0xde, 0xad, 0xbe, 0xef]);
    slash(&world, ORACLE, OPERATOR, condition, wad_percent(50)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(50), "the slash went through");
    let clear = ISM::clearSlashedSharesCall { token: TOKEN, recipient: VICTIMS, avs: ORACLE };
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    assert!(world.call(CAROL, SM, &clear).is_err());
    hook(&world, TOKEN, Address::ZERO, Vec::new());
    assert_eq!(world.call(CAROL, SM, &clear).unwrap(), ether(50), "paid once the recipient accepts");
}

#[test]
fn every_pausable_entry_point_refuses_while_paused() {
    let world = actors::world();
    for who in [ALICE, BOB] {
        deposit(&world, who, ether(10)).unwrap();
    }
    delegate(&world, ALICE, OPERATOR).unwrap();
    let (root, root2) = (queue(&world, ALICE, ether(1)).unwrap(), queue(&world, ALICE, ether(1)).unwrap());
    create_set(&world, ORACLE, 0);
    submit(&world, AVS1, OPERATOR, ether(10), 0, 0).unwrap();
    for recipient in [BURN, VICTIMS] {
        world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient, avs: ORACLE, shares: ether(1) }).unwrap();
    }
    world.advance(DELAY);
    let pay = |recipient| world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient, avs: ORACLE }).map(|_| ());
    type Entry<'a> = (Address, u8, &'a str, Box<dyn Fn() -> Result<(), Revert> + 'a>);
    let entries: Vec<Entry> = vec![
        (SM, 0, "deposit", Box::new(|| deposit(&world, BOB, ether(1)).map(|_| ()))),
        (SM, 1, "complete as tokens", Box::new(|| complete(&world, ALICE, root, true))),
        (SM, 1, "pay slashed shares", Box::new(|| pay(BURN))),
        (SM, 1, "migrate", Box::new(|| world.call(BOB, SM, &ISM::migrateCall { token: TOKEN }).map(|_| ()))),
        (SM, 2, "pay slashed shares (payouts flag)", Box::new(|| pay(VICTIMS))),
        (DM, 0, "delegate", Box::new(|| delegate(&world, BOB, OPERATOR))),
        (DM, 1, "queue", Box::new(|| queue(&world, ALICE, U256::from(1)).map(|_| ()))),
        (DM, 2, "complete", Box::new(|| complete(&world, ALICE, root2, false))),
        (REGISTRY, 0, "register for sets", Box::new(|| join(&world, OPERATOR, ORACLE, 0, vec![]))),
        (REGISTRY, 1, "allocate", Box::new(|| allocate(&world, OPERATOR, ORACLE, 0, percent(10)))),
        (RC, 0, "submit rewards", Box::new(|| submit(&world, AVS1, OPERATOR, ether(1), 0, 0).map(|_| ()))),
        (RC, 1, "claim", Box::new(|| world.call(BOB, RC, &IRC::setClaimerCall { claimer: BOB }).and_then(|_| claim_once(&world)))),
    ];
    for (contract, bit, name, run) in &entries {
        let bits = U256::from(1u64 << bit);
        world.call(OWNER, *contract, &DmAccess::pauseCall { bits }).unwrap();
        let refused = run().expect_err(name);
        // A pause of the StrategyManager reaches a DelegationManager call wrapped in CallFailed.
        let inner = refused.decode::<IDM::CallFailed>().map_or(refused.0.clone(), |e| e.reason.to_vec());
        assert!(Revert(inner).is::<IDM::CurrentlyPaused>(), "{name} refused with {refused:?}");
        world.call(OWNER, *contract, &DmAccess::unpauseCall { bits }).unwrap();
        run().unwrap_or_else(|e| panic!("{name} after unpausing: {e:?}"));
    }
}

/// OPERATOR claims its commission and share of its own pool.
fn claim_once(world: &World) -> Result<(), Revert> {
    let call = IRC::claimCall {
        earner: OPERATOR,
        operators: vec![OPERATOR],
        strategies: vec![TOKEN],
        rewardTokens: vec![REWARD],
        recipient: OPERATOR,
    };
    world.call(OPERATOR, RC, &call).map(|_| ())
}

#[test]
fn every_privileged_function_refuses_everyone_else() {
    let outsiders: Vec<Address> = actors::depositors().into_iter().chain([ORACLE, RESOLVER, actors::ALT_SLASHER]).collect();
    let world = actors::world();
    deposit(&world, ALICE, ether(1)).unwrap();
    for outsider in &outsiders {
        for p in privileged_calls(&world, *outsider) {
            let refused = world.call_raw(*outsider, p.contract, p.data.clone(), U256::ZERO);
            assert!(refused.is_err(), "{outsider} called {}", p.name);
        }
    }
    // Each call succeeds for its rightful caller, so the refusals are about the caller.
    let count = privileged_calls(&world, BOB).len();
    for i in 0..count {
        let world = actors::world();
        deposit(&world, ALICE, ether(1)).unwrap();
        let p = &privileged_calls(&world, BOB)[i];
        if let Some(rightful) = p.rightful {
            world.call_raw(rightful, p.contract, p.data.clone(), U256::ZERO).unwrap_or_else(|e| panic!("{} by {rightful}: {e:?}", p.name));
        }
    }
}

#[test]
fn a_delegation_approval_is_bound_to_its_chain_staker_and_salt() {
    let world = actors::world();
    let salt = alloy_primitives::B256::repeat_byte(7);
    let expiry = U256::from(world.timestamp() + 3_600);
    let signature = actors::approval_signature(&world, ALICE, salt, expiry);
    let delegate_with = |who: Address| {
        let call =
            IDM::delegateToCall { operator: OPERATOR2, approverExpiry: expiry, approverSignature: signature.clone(), approverSalt: salt };
        world.call(who, DM, &call).map(|_| ())
    };
    world.set_chain_id(1);
    assert!(delegate_with(ALICE).unwrap_err().is::<IDM::InvalidSignature>(), "another chain");
    world.set_chain_id(412_346);
    assert!(delegate_with(BOB).unwrap_err().is::<IDM::InvalidSignature>(), "another staker");
    delegate_with(ALICE).unwrap();
    world.call(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    assert!(delegate_with(ALICE).unwrap_err().is::<IDM::SaltAlreadySpent>(), "the same salt again");
    world.advance(3_601);
    let late = IDM::delegateToCall {
        operator: OPERATOR2,
        approverExpiry: expiry,
        approverSignature: signature.clone(),
        approverSalt: alloy_primitives::B256::ZERO,
    };
    assert!(world.call(ALICE, DM, &late).map(|_| ()).unwrap_err().is::<IDM::SignatureExpired>(), "expired");
}

#[test]
fn the_campaigns_delegation_approver_is_a_contract_wallet() {
    let world = actors::world();
    let expiry = U256::from(world.timestamp() + 600);
    let salt = alloy_primitives::B256::repeat_byte(7);
    let signature = actors::approval_signature(&world, ALICE, salt, expiry);
    let call = IDM::delegateToCall { operator: OPERATOR2, approverExpiry: expiry, approverSignature: signature, approverSalt: salt };
    world.call(ALICE, DM, &call).unwrap();
    assert!(
        world.call(OWNER, DM, &IDM::isSaltSpentCall { approver: actors::APPROVER_WALLET, salt }).unwrap(),
        "the wallet's salt was spent"
    );
    let mode = keel_testhost::IContractSigner::setModeCall { mode: keel_testhost::Mode::WrongValue as u8 };
    world.call(Address::from_private_key(&actors::approver_key()), actors::APPROVER_WALLET, &mode).unwrap();
    let salt = alloy_primitives::B256::repeat_byte(8);
    let signature = actors::approval_signature(&world, BOB, salt, expiry);
    let call = IDM::delegateToCall { operator: OPERATOR2, approverExpiry: expiry, approverSignature: signature, approverSalt: salt };
    assert!(world.expect_revert(BOB, DM, &call).is::<IDM::InvalidSignature>(), "the wallet, not the key, decides");
}
