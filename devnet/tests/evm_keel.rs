//! Keel's Stylus contracts with Solidity neighbours: a Solidity ERC-20 as a
//! strategy token (Stylus → EVM: deposit, withdraw, slash and burn move it),
//! and a Solidity AVS service manager that registers, publishes a slashing
//! condition and slashes through Keel's registry (EVM → Stylus), with
//! reverts crossing the boundary both ways.

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol_data, SolCall, SolError, SolValue};
use common::solidity::{IServiceManager as IService, ISolidityToken as IToken};
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
const WEEK: u64 = 7 * 86_400;
/// The AVS registry's allocation configuration delay: its floor, 17.5 days.
const CONFIG_DELAY: u64 = 1_512_000;
const WAD: u64 = 1_000_000_000_000_000_000;
const BURN_ADDRESS: Address = Address::new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad]);

/// Keel's three core Stylus contracts around a Solidity strategy token.
struct Net {
    chain: Chain,
    token: Address,
    sm: Address,
    dm: Address,
    registry: Address,
}

impl Net {
    fn new() -> Self {
        let mut chain = Chain::new(CHAIN_ID);
        for who in [OWNER, ALICE, BOB, OPERATOR] {
            chain.set_balance(who, ether(100));
        }
        let token =
            deploy_solidity(&mut chain, OWNER, "SolidityToken", &("Wrapped stETH".to_string(), "wstETH".to_string()).abi_encode_params());
        let sm = deploy(&mut chain, &contract_wasm("keel-strategy-manager"), constructor_calldata::<(sol_data::Address,)>(&(OWNER,)));
        type DmArgs = (sol_data::Address, sol_data::Address, sol_data::Uint<256>);
        let dm =
            deploy(&mut chain, &contract_wasm("keel-delegation-manager"), constructor_calldata::<DmArgs>(&(OWNER, sm, U256::from(WEEK))));
        type RegArgs = (sol_data::Address, sol_data::Address, sol_data::Uint<64>, sol_data::Uint<64>, sol_data::Uint<64>);
        let registry = deploy(
            &mut chain,
            &contract_wasm("keel-avs-registry"),
            constructor_calldata::<RegArgs>(&(OWNER, dm, CONFIG_DELAY, WEEK, 86_400)),
        );
        send_ok(&mut chain, OWNER, sm, &ISM::addStrategyCall { token, cap: U256::MAX });
        send_ok(&mut chain, OWNER, sm, &ISM::setDelegationManagerCall { delegationManager: dm });
        send_ok(&mut chain, OWNER, dm, &IDM::setSlasherCall { slasher: registry });
        send_ok(&mut chain, OWNER, token, &IToken::mintCall { to: ALICE, value: ether(100) });
        send_ok(&mut chain, ALICE, token, &IToken::approveCall { spender: sm, value: U256::MAX });
        Self { chain, token, sm, dm, registry }
    }

    fn balance(&mut self, who: Address) -> U256 {
        let token = self.token;
        view(&mut self.chain, token, &IToken::balanceOfCall { account: who })
    }

    fn deposit(&mut self, who: Address, amount: U256) -> keel_devnet::Receipt {
        let (sm, token) = (self.sm, self.token);
        send(&mut self.chain, who, sm, &ISM::depositIntoStrategyCall { token, amount })
    }
}

#[test]
fn a_solidity_erc20_is_a_strategy_token_for_deposit_and_withdrawal() {
    let mut net = Net::new();
    let (sm, dm, token) = (net.sm, net.dm, net.token);
    let deposit = net.deposit(ALICE, ether(40));
    assert!(deposit.status, "{}", deposit.output);
    assert_eq!((net.balance(ALICE), net.balance(sm)), (ether(60), ether(40)));
    assert_eq!(view(&mut net.chain, sm, &ISM::stakerDepositSharesCall { staker: ALICE, token }), ether(40));
    assert!(deposit.logs.iter().any(|log| log.address == token), "the Solidity token's Transfer is in the receipt");

    // BOB never approved: the token's revert makes the StrategyManager revert with its own error.
    send_ok(&mut net.chain, OWNER, token, &IToken::mintCall { to: BOB, value: ether(1) });
    let refused = net.deposit(BOB, ether(1));
    assert!(!refused.status);
    assert_eq!(sm::IStrategyManager::TokenTransferFailed::abi_decode(&refused.output).unwrap().token, token);
    assert_eq!(net.balance(BOB), ether(1), "nothing moved");

    let queue = IDM::queueWithdrawalCall { tokens: vec![token], depositShares: vec![ether(10)] };
    let root = send_ok(&mut net.chain, ALICE, dm, &queue);
    net.chain.advance_time(WEEK);
    let complete = send(&mut net.chain, ALICE, dm, &IDM::completeQueuedWithdrawalCall { root, receiveAsTokens: true });
    assert!(complete.status, "{}", complete.output);
    assert_eq!((net.balance(ALICE), net.balance(sm)), (ether(70), ether(30)));
    eprintln!(
        "gas with a Solidity strategy token (receipt, incl. 21,000): deposit {} · completeQueuedWithdrawal {}",
        deposit.gas_used, complete.gas_used
    );
}

#[test]
fn a_solidity_service_manager_slashes_through_keel() {
    let mut net = Net::new();
    let (sm, dm, registry, token) = (net.sm, net.dm, net.registry, net.token);
    let service = deploy_solidity(&mut net.chain, OWNER, "ServiceManager", &registry.abi_encode());
    let chain = &mut net.chain;

    let stranger = send(chain, ALICE, service, &IService::registerAVSCall { metadataURI: "x".into() });
    assert_eq!(IService::Unauthorized::abi_decode(&stranger.output).unwrap().caller, ALICE);
    send_ok(chain, OWNER, service, &IService::registerAVSCall { metadataURI: "https://avs.example".into() });
    assert!(view(chain, registry, &IReg::isAVSCall { avs: service }));
    // The registry's (Stylus) custom error comes back through the Solidity caller.
    let twice = send(chain, OWNER, service, &IService::registerAVSCall { metadataURI: "again".into() });
    assert!(!twice.status);
    assert_eq!(IReg::AVSAlreadyRegistered::abi_decode(&twice.output).unwrap().avs, service);

    send_ok(chain, OWNER, service, &IService::createOperatorSetCall { setId: 1, strategies: vec![token] });
    let publish = IService::publishSlashingConditionCall { setId: 1, maxSlashWad: WAD / 2, descriptionURI: "ipfs://double-sign".into() };
    let condition = send_ok(chain, OWNER, service, &publish);
    let published = view(chain, registry, &IReg::slashingConditionCall { conditionId: condition });
    assert_eq!(published._0, service, "the service manager is the condition's slasher");

    send_ok(chain, OPERATOR, dm, &IDM::registerAsOperatorCall { delegationApprover: Address::ZERO, metadataURI: String::new() });
    send_ok(chain, ALICE, sm, &ISM::depositIntoStrategyCall { token, amount: ether(40) });
    let delegate = IDM::delegateToCall {
        operator: OPERATOR,
        approverExpiry: U256::ZERO,
        approverSignature: Default::default(),
        approverSalt: B256::ZERO,
    };
    send_ok(chain, ALICE, dm, &delegate);
    send_ok(chain, OPERATOR, registry, &IReg::setAllocationDelayCall { delay: 0 });
    chain.advance_time(CONFIG_DELAY);
    send_ok(
        chain,
        OPERATOR,
        registry,
        &IReg::registerForOperatorSetsCall { avs: service, setIds: vec![1], acceptedConditionIds: vec![condition] },
    );
    let allocate = IReg::modifyAllocationsCall { avs: service, setId: 1, strategies: vec![token], magnitudes: vec![WAD] };
    send_ok(chain, OPERATOR, registry, &allocate);
    chain.advance_time(12);

    let slash = |wad: u64| IService::slashCall {
        operator: OPERATOR,
        conditionId: condition,
        strategies: vec![token],
        wads: vec![wad],
        evidenceHash: B256::repeat_byte(1),
    };
    let above_cap = send(chain, OWNER, service, &slash(WAD));
    let error = IReg::WadAboveCap::abi_decode(&above_cap.output).unwrap();
    assert_eq!((error.strategy, error.wad, error.cap), (token, WAD, WAD / 2));
    let slashed = send(chain, OWNER, service, &slash(WAD / 10));
    assert!(slashed.status, "{}", slashed.output);
    assert!(slashed.logs.iter().any(|log| log.address == registry) && slashed.logs.iter().any(|log| log.address == service));
    let stake = view(chain, dm, &IDM::operatorStakeCall { operator: OPERATOR, token });
    assert_eq!((stake._0, stake._1), (ether(36), U256::from(9 * WAD / 10)));

    // The burnt shares leave the StrategyManager as Solidity tokens, once their escrow is over.
    let early = send(chain, BOB, sm, &ISM::clearSlashedSharesCall { token, recipient: BURN_ADDRESS, avs: Address::ZERO });
    assert!(!early.status && ISM::SlashEscrowed::abi_decode(&early.output).is_ok(), "{}", early.output);
    let escrow = view(chain, sm, &ISM::slashEscrowDelayCall {});
    chain.advance_time(escrow);
    let clear = send(chain, BOB, sm, &ISM::clearSlashedSharesCall { token, recipient: BURN_ADDRESS, avs: Address::ZERO });
    assert_eq!(ISM::clearSlashedSharesCall::abi_decode_returns(&clear.output).unwrap(), ether(4));
    eprintln!(
        "gas (receipt, incl. 21,000): slash through the Solidity service manager {} · clearSlashedShares {}",
        slashed.gas_used, clear.gas_used
    );
    assert_eq!((net.balance(BURN_ADDRESS), net.balance(sm)), (ether(4), ether(36)));
}
