//! Gas of the AVS registry's real WASM on the devnet, wired to the real
//! DelegationManager and StrategyManager: a slash costs the same with 1 and
//! 100 delegated stakers (up to a few gas of arithmetic on larger numbers;
//! the native tests show the storage writes equal with 1,000).

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol_data, SolCall};
use common::*;
use keel_devnet::Chain;

/// The DelegationManager's published ABI.
mod dm {
    alloy_sol_types::sol!("../abi/DelegationManager.sol");
}

/// The AVS registry's published ABI.
#[allow(clippy::too_many_arguments)]
mod reg {
    alloy_sol_types::sol!("../abi/AvsRegistry.sol");
}

use dm::IDelegationManager as IDM;
use reg::IAvsRegistry as IReg;

const OPERATOR: Address = Address::repeat_byte(0xb1);
const AVS: Address = Address::repeat_byte(0xd1);
const WEEK: u64 = 7 * 86_400;
/// The AVS registry's allocation configuration delay: its floor, 17.5 days.
const CONFIG_DELAY: u64 = 1_512_000;

/// Gas of the registry's calls, with `stakers` delegated stakers.
struct Costs {
    register: u64,
    allocate: u64,
    slash: u64,
    request: u64,
    execute: u64,
}

fn run(stakers: u64) -> Costs {
    let mut keel = Keel::new();
    let (token, sm) = (keel.token, keel.sm);
    let chain: &mut Chain = &mut keel.chain;
    type DmArgs = (sol_data::Address, sol_data::Address, sol_data::Uint<256>);
    let dm = deploy(chain, &contract_wasm("keel-delegation-manager"), constructor_calldata::<DmArgs>(&(OWNER, sm, U256::from(WEEK))));
    type RegArgs = (sol_data::Address, sol_data::Address, sol_data::Uint<64>, sol_data::Uint<64>, sol_data::Uint<64>);
    let registry =
        deploy(chain, &contract_wasm("keel-avs-registry"), constructor_calldata::<RegArgs>(&(OWNER, dm, CONFIG_DELAY, WEEK, 86_400)));
    for who in [OPERATOR, AVS] {
        chain.set_balance(who, ether(1));
    }
    send_ok(chain, OWNER, sm, &ISM::setDelegationManagerCall { delegationManager: dm });
    send_ok(chain, OWNER, dm, &IDM::setSlasherCall { slasher: registry });
    send_ok(chain, OPERATOR, dm, &IDM::registerAsOperatorCall { delegationApprover: Address::ZERO, metadataURI: String::new() });
    for i in 0..stakers {
        let who = Address::from_word(U256::from(0x1_0000 + i).into());
        chain.set_balance(who, ether(1));
        send_ok(chain, OWNER, token, &IToken::mintCall { to: who, value: ether(1) });
        send_ok(chain, who, token, &IToken::approveCall { spender: sm, value: U256::MAX });
        send_ok(chain, who, sm, &ISM::depositIntoStrategyCall { token, amount: ether(1) });
        let delegate = IDM::delegateToCall {
            operator: OPERATOR,
            approverExpiry: U256::ZERO,
            approverSignature: Default::default(),
            approverSalt: B256::ZERO,
        };
        send_ok(chain, who, dm, &delegate);
    }
    send_ok(chain, AVS, registry, &IReg::registerAVSCall { metadataURI: "https://avs.example".into() });
    send_ok(chain, AVS, registry, &IReg::createOperatorSetCall { setId: 1, strategies: vec![token] });
    let condition = |veto: u64, resolver: Address| IReg::addSlashingConditionCall {
        setId: 1,
        maxSlashWad: 10u64.pow(18),
        slasher: AVS,
        vetoWindow: veto,
        resolver,
        redistributionRecipient: Address::ZERO,
        descriptionURI: "ipfs://condition".into(),
        evidenceSchemaHash: B256::ZERO,
    };
    let instant = send_ok(chain, AVS, registry, &condition(0, Address::ZERO));
    let vetoable = send_ok(chain, AVS, registry, &condition(3_600, OWNER));
    send_ok(chain, OPERATOR, registry, &IReg::setAllocationDelayCall { delay: 0 });
    chain.advance_time(CONFIG_DELAY);
    let join = IReg::registerForOperatorSetsCall { avs: AVS, setIds: vec![1], acceptedConditionIds: vec![instant, vetoable] };
    let register = send(chain, OPERATOR, registry, &join);
    let allocate = send(
        chain,
        OPERATOR,
        registry,
        &IReg::modifyAllocationsCall { avs: AVS, setId: 1, strategies: vec![token], magnitudes: vec![10u64.pow(18)] },
    );
    chain.advance_time(12);
    let wads = vec![10u64.pow(17)];
    let slash =
        IReg::slashCall { operator: OPERATOR, conditionId: instant, strategies: vec![token], wads: wads.clone(), evidenceHash: B256::ZERO };
    let slash = send(chain, AVS, registry, &slash);
    let request = IReg::requestSlashCall {
        operator: OPERATOR,
        conditionId: vetoable,
        strategies: vec![token],
        wads: wads.clone(),
        evidenceHash: B256::ZERO,
    };
    let request = send(chain, AVS, registry, &request);
    let id = IReg::requestSlashCall::abi_decode_returns(&request.output).unwrap();
    chain.advance_time(3_600);
    let execute = send(chain, OWNER, registry, &IReg::executeSlashCall { slashId: id, strategies: vec![token], wads });
    for receipt in [&register, &allocate, &slash, &request, &execute] {
        assert!(receipt.status, "reverted with {}", receipt.output);
    }
    let (shares, magnitude) = {
        let r = view(chain, dm, &IDM::operatorStakeCall { operator: OPERATOR, token });
        (r._0, r._1)
    };
    assert_eq!(magnitude, U256::from(81) * U256::from(10u64.pow(16)));
    assert_eq!(shares, ether(stakers) * U256::from(81) / U256::from(100));
    Costs {
        register: register.gas_used,
        allocate: allocate.gas_used,
        slash: slash.gas_used,
        request: request.gas_used,
        execute: execute.gas_used,
    }
}

#[test]
fn a_slash_costs_the_same_gas_with_1_and_100_stakers() {
    let (one, many) = (run(1), run(100));
    eprintln!(
        "registry gas (receipt, incl. 21,000): registerForOperatorSets {} · modifyAllocations {} · slash {} (1 staker) / {} (100 stakers) · requestSlash {} · executeSlash {} / {}",
        one.register, one.allocate, one.slash, many.slash, one.request, one.execute, many.execute
    );
    for (a, b) in [(one.slash, many.slash), (one.execute, many.execute)] {
        assert!(a.abs_diff(b) * 1_000 <= a, "{a} vs {b} gas");
    }
    // nitro's meter, programs not cached (measured: 276,993 · 165,135 · 109,115).
    assert!(one.slash < 300_000 && one.register < 180_000 && one.allocate < 120_000, "cost regressions");
}
