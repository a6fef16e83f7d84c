//! The devnet's node behaviour as alloy sees it, with Keel's real WASM:
//! estimates used as gas limits, fees to the wei, revert errors, blocks and
//! transactions as signed, the "pending" tag, call overrides, and hundreds of
//! senders at once.

use alloy::{
    consensus::{Transaction as _, TxEnvelope},
    eips::{BlockNumberOrTag, Encodable2718},
    network::{EthereumWallet, TransactionBuilder},
    primitives::{address, keccak256, Address, Bytes, B256, U256},
    providers::{Provider, ProviderBuilder},
    rpc::types::{state::StateOverridesBuilder, BlockId, TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
    transports::RpcError,
};
use keel_cli::{
    bindings::{
        arbitrum::ArbWasm, delegation_manager::IDelegationManager::IDelegationManagerErrors, IAvsRegistry, IDelegationManager,
        IStrategyManager, ITestToken,
    },
    client::{dev_signer, Client},
    units::parse,
};
use keel_devnet::node::{spawn, NodeHandle};
use keel_e2e::{instant_condition, Net};

/// The devnet's base fee: 0.1 gwei.
const BASE_FEE: u128 = 100_000_000;
const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// Arbitrum's sequencer address, the devnet's coinbase.
const COINBASE: Address = address!("A4b000000000000000000073657175656e636572");

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

/// Sends `tx` from `client` with one gas less than the estimate (which must
/// fail) and then with exactly the estimate (which must succeed).
async fn send_with_the_estimate(client: &Client, tx: TransactionRequest, what: &str) -> TransactionReceipt {
    let tx = tx.from(client.from);
    let estimate = client.provider.estimate_gas(tx.clone()).await.unwrap();
    let short = client.provider.send_transaction(tx.clone().with_gas_limit(estimate - 1)).await.unwrap().get_receipt().await.unwrap();
    assert!(!short.status(), "{what}: one gas less than the estimate ({estimate}) fails");
    let exact = client.provider.send_transaction(tx.with_gas_limit(estimate)).await.unwrap().get_receipt().await.unwrap();
    assert!(exact.status(), "{what}: the estimate {estimate} as the limit succeeds");
    println!("{what}: estimate {estimate}, gas used {}", exact.gas_used);
    exact
}

#[tokio::test(flavor = "multi_thread")]
async fn deposit_delegate_and_slash_succeed_with_exactly_the_estimate() {
    let net = Net::start().await.unwrap();
    let (operator, staker, avs) =
        (net.account(2).await.unwrap(), net.account(1).await.unwrap(), net.registry(&net.account(3).await.unwrap()));
    net.keel(&operator).register_operator(Address::ZERO, String::new()).await.unwrap();
    net.keel(&net.owner).mint(net.token, staker.from, parse("10").unwrap()).await.unwrap();
    let token = ITestToken::new(net.token, staker.provider.clone());
    send_with_the_estimate(&staker, token.approve(net.sm, U256::MAX).into_transaction_request(), "approve").await;
    let sm = IStrategyManager::new(net.sm, staker.provider.clone());
    send_with_the_estimate(&staker, sm.depositIntoStrategy(net.token, parse("10").unwrap()).into_transaction_request(), "deposit").await;
    let dm = IDelegationManager::new(net.dm, staker.provider.clone());
    let delegate = dm.delegateTo(operator.from, U256::ZERO, Bytes::new(), B256::ZERO).into_transaction_request();
    send_with_the_estimate(&staker, delegate, "delegate").await;

    let registry = net.registry(&operator);
    registry.set_allocation_delay(0).await.unwrap();
    avs.register_avs("").await.unwrap();
    avs.create_set(1, vec![net.token]).await.unwrap();
    let condition = instant_condition(avs.client.from, 10u64.pow(17), keccak256("evidence"));
    let id = avs.add_condition(&condition).await.unwrap();
    net.owner.travel(net.allocation_configuration_delay()).await.unwrap();
    registry.opt_in(avs.client.from, vec![1], vec![id]).await.unwrap();
    registry.allocate(avs.client.from, 1, vec![net.token], vec![10u64.pow(17)]).await.unwrap();
    net.owner.travel(60).await.unwrap();
    let slasher = IAvsRegistry::new(net.registry, avs.client.provider.clone());
    let slash = slasher.slash(operator.from, id, vec![net.token], vec![10u64.pow(17)], B256::ZERO).into_transaction_request();
    let receipt = send_with_the_estimate(&avs.client, slash, "slash").await;
    assert!(!receipt.inner.logs().is_empty(), "the slash emitted its events");
}

/// A node without Keel, and dev account `index` connected to it.
async fn bare_node() -> (NodeHandle, Client) {
    let node = spawn(keel_devnet::node::Config { port: 0, ..Default::default() }).unwrap();
    let owner = Client::connect(&node.url(), dev_signer(0).unwrap()).await.unwrap();
    (node, owner)
}

/// A fresh account holding `amount`, funded by a transfer from `funder`.
async fn funded(funder: &Client, url: &str, amount: U256) -> Client {
    let signer = PrivateKeySigner::random();
    let fund = TransactionRequest::default().with_to(signer.address()).with_value(amount);
    assert!(funder.provider.send_transaction(fund).await.unwrap().get_receipt().await.unwrap().status());
    Client::connect(url, signer).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn fees_are_gas_used_times_the_effective_price_to_the_wei() {
    let (node, owner) = bare_node().await;
    let alice = funded(&owner, &node.url(), ether(1)).await;
    let coinbase_before = alice.provider.get_balance(COINBASE).await.unwrap();
    let sink = Address::repeat_byte(0x5e);
    let tipped = TransactionRequest::default()
        .with_to(sink)
        .with_value(U256::from(123))
        .with_input(Bytes::from_static(&[1, 2, 3, 0]))
        .with_max_priority_fee_per_gas(1_000_000_000)
        .with_max_fee_per_gas(5_000_000_000);
    let receipt = alice.provider.send_transaction(tipped).await.unwrap().get_receipt().await.unwrap();
    assert_eq!(receipt.effective_gas_price, BASE_FEE, "the tip is dropped, as on Arbitrum");
    let fee = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
    assert_eq!(alice.balance().await.unwrap(), ether(1) - fee - U256::from(123));
    assert_eq!(alice.provider.get_balance(COINBASE).await.unwrap() - coinbase_before, fee);
    assert_eq!(alice.provider.get_gas_price().await.unwrap(), BASE_FEE);
    let estimate = alice.provider.estimate_eip1559_fees().await.unwrap();
    assert!(estimate.max_fee_per_gas >= BASE_FEE, "{estimate:?}");
    let history = alice.provider.get_fee_history(4, BlockNumberOrTag::Latest, &[50.0]).await.unwrap();
    assert!(history.base_fee_per_gas.iter().all(|fee| *fee == BASE_FEE), "{history:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn reverts_reach_alloy_as_code_3_with_decodable_data() {
    let net = Net::start().await.unwrap();
    let staker = net.account(1).await.unwrap();
    let stranger = Address::repeat_byte(9);
    let delegate = IDelegationManager::new(net.dm, staker.provider.clone())
        .delegateTo(stranger, U256::ZERO, Bytes::new(), B256::ZERO)
        .into_transaction_request()
        .from(staker.from);
    let call = staker.provider.call(delegate.clone()).await.unwrap_err();
    let estimate = staker.provider.estimate_gas(delegate).await.unwrap_err();
    for error in [call, estimate] {
        let RpcError::ErrorResp(payload) = error else { panic!("not an error response: {error}") };
        assert_eq!((payload.code, payload.message.as_ref()), (3, "execution reverted"));
        let decoded = payload.as_decoded_interface_error::<IDelegationManagerErrors>();
        assert!(matches!(decoded, Some(IDelegationManagerErrors::OperatorNotRegistered(e)) if e.operator == stranger), "{payload:?}");
    }
    let arb_wasm = ArbWasm::new(ARB_WASM, staker.provider.clone());
    let again = arb_wasm.activateProgram(net.sm).value(ether(1)).from(staker.from);
    let error = again.call().await.unwrap_err();
    let alloy::contract::Error::TransportError(RpcError::ErrorResp(payload)) = &error else { panic!("not an error response: {error}") };
    assert_eq!((payload.code, payload.message.as_ref()), (3, "execution reverted: error ProgramUpToDate()"));
    assert!(matches!(error.as_decoded_interface_error::<ArbWasm::ArbWasmErrors>(), Some(ArbWasm::ArbWasmErrors::ProgramUpToDate(_))));
}

#[tokio::test(flavor = "multi_thread")]
async fn blocks_hold_the_transactions_exactly_as_signed_and_pending_reads_work() {
    let net = Net::start().await.unwrap();
    let alice = funded(&net.owner, &net.node.url(), ether(1)).await;
    let input = Bytes::from_static(&[0, 0xff, 0x80, 0, 0xc0, 7]);
    let tx = TransactionRequest::default().with_to(Address::repeat_byte(0x77)).with_value(U256::from(5)).with_input(input.clone());
    let receipt = alice.provider.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
    let number = receipt.block_number.unwrap();

    let block = alice.provider.get_block_by_number(number.into()).full().await.unwrap().unwrap();
    assert_eq!(block.header.base_fee_per_gas, Some(BASE_FEE as u64));
    assert!(block.header.timestamp > 0);
    let mined = &block.transactions.as_transactions().unwrap()[0];
    let envelope = mined.inner.inner();
    let TxEnvelope::Eip1559(signed) = envelope else { panic!("alloy sends EIP-1559 transactions: {envelope:?}") };
    let signer = signed.signature().recover_address_from_prehash(&signed.signature_hash()).unwrap();
    assert_eq!(signer, alice.from, "the signed fields recover the sender");
    assert_eq!(*envelope.tx_hash(), receipt.transaction_hash);
    assert_eq!(keccak256(envelope.encoded_2718()), receipt.transaction_hash, "re-encoding gives the hash");
    let by_hash = alice.provider.get_transaction_by_hash(receipt.transaction_hash).await.unwrap().unwrap();
    assert_eq!(by_hash.input(), &input);
    let hashes = alice.provider.get_block_by_hash(block.header.hash).await.unwrap().unwrap();
    assert_eq!(hashes.transactions.hashes().collect::<Vec<_>>(), vec![receipt.transaction_hash]);

    let pending = alice.provider.get_transaction_count(alice.from).pending().await.unwrap();
    assert_eq!((pending, alice.provider.get_transaction_count(alice.from).await.unwrap()), (1, 1));
    assert_eq!(alice.provider.get_balance(Address::repeat_byte(0x77)).block_id(BlockId::pending()).await.unwrap(), U256::from(5));
    let sm = IStrategyManager::new(net.sm, alice.provider.clone());
    let shares = sm.stakerDepositShares(alice.from, net.token).block(BlockId::pending());
    assert_eq!(shares.call().await.unwrap(), U256::ZERO);
}

#[tokio::test(flavor = "multi_thread")]
async fn call_overrides_replace_code_balance_nonce_and_storage() {
    let net = Net::start().await.unwrap();
    let poor = PrivateKeySigner::random().address();
    let elsewhere = Address::repeat_byte(0xe5);
    let sm_code = net.owner.provider.get_code_at(net.sm).await.unwrap();
    let moved = IStrategyManager::new(elsewhere, net.owner.provider.clone());
    let read = moved.stakerDepositShares(poor, net.token);
    assert!(read.call().await.is_err(), "no code at the address");
    let with_code = StateOverridesBuilder::default().with_code(elsewhere, sm_code).build();
    assert_eq!(read.call().overrides(with_code).await.unwrap(), U256::ZERO, "the strategy manager's code runs there");

    let rich = TransactionRequest::default().with_from(poor).with_to(elsewhere).with_value(ether(1));
    assert!(net.owner.provider.call(rich.clone()).await.is_err(), "insufficient funds");
    let funded = StateOverridesBuilder::default().with_balance(poor, ether(1)).with_nonce(poor, 9).build();
    net.owner.provider.call(rich).overrides(funded).await.unwrap();
    assert_eq!(net.owner.provider.get_balance(poor).await.unwrap(), U256::ZERO, "overrides last one call");

    net.keel(&net.owner).mint(net.token, poor, U256::from(777)).await.unwrap();
    let token = ITestToken::new(net.token, net.owner.provider.clone());
    let supply = token.totalSupply().call().await.unwrap();
    let mut supply_slot = None;
    for slot in 0u64..32 {
        if net.owner.provider.get_storage_at(net.token, U256::from(slot)).await.unwrap() == supply {
            supply_slot = Some(B256::from(U256::from(slot)));
            break;
        }
    }
    let slot = supply_slot.expect("the total supply sits in one of the first 32 slots");
    let diff = StateOverridesBuilder::default().with_state_diff(net.token, [(slot, B256::from(U256::from(42)))]).build();
    assert_eq!(token.totalSupply().call().overrides(diff.clone()).await.unwrap(), U256::from(42));
    assert_eq!(token.balanceOf(poor).call().overrides(diff).await.unwrap(), U256::from(777), "stateDiff keeps the other slots");
    let replaced = StateOverridesBuilder::default().with_state(net.token, [(slot, B256::from(U256::from(42)))]).build();
    assert_eq!(token.balanceOf(poor).call().overrides(replaced).await.unwrap(), U256::ZERO, "state replaces the whole storage");
    assert_eq!(token.totalSupply().call().await.unwrap(), supply);
}

/// How many accounts send at once.
const SENDERS: usize = 200;

#[tokio::test(flavor = "multi_thread")]
async fn hundreds_of_senders_at_once_race_neither_nonces_nor_balances() {
    let (node, owner) = bare_node().await;
    let sink = Address::repeat_byte(0x51);
    let start = owner.provider.get_block_number().await.unwrap();
    let signers: Vec<PrivateKeySigner> = (0..SENDERS).map(|_| PrivateKeySigner::random()).collect();
    let funding = ether(1);
    // Ten dev accounts fund twenty accounts each, the ten at once.
    let funders: Vec<_> = signers
        .chunks(SENDERS / 10)
        .enumerate()
        .map(|(index, chunk)| {
            let (url, recipients) = (node.url(), chunk.iter().map(|s| s.address()).collect::<Vec<_>>());
            tokio::spawn(async move {
                let funder = Client::connect(&url, dev_signer(index as u32).unwrap()).await.unwrap();
                for to in recipients {
                    let fund = TransactionRequest::default().with_to(to).with_value(funding);
                    assert!(funder.provider.send_transaction(fund).await.unwrap().get_receipt().await.unwrap().status());
                }
            })
        })
        .collect();
    for funder in funders {
        funder.await.unwrap();
    }
    let coinbase_before = owner.provider.get_balance(COINBASE).await.unwrap();
    let url = node.url();
    let tasks: Vec<_> = signers
        .into_iter()
        .enumerate()
        .map(|(i, signer)| {
            let url = url.clone();
            tokio::spawn(async move {
                let from = signer.address();
                let provider = ProviderBuilder::new().wallet(EthereumWallet::from(signer)).connect_http(url.parse().unwrap());
                let mut spent = U256::ZERO;
                for round in 0..2u64 {
                    let value = U256::from(i as u64 * 10 + round + 1);
                    let tx = TransactionRequest::default().with_to(sink).with_value(value);
                    let receipt = provider.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
                    assert!(receipt.status());
                    spent += U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price) + value;
                }
                (from, spent, provider.get_balance(from).await.unwrap())
            })
        })
        .collect();
    let mut paid = U256::ZERO;
    for task in tasks {
        let (from, spent, balance) = task.await.unwrap();
        assert_eq!(balance, funding - spent, "{from} paid exactly its transfers and fees");
        paid += spent;
    }
    let received = owner.provider.get_balance(sink).await.unwrap();
    let expected: U256 = (0..SENDERS as u64).flat_map(|i| (0..2u64).map(move |round| U256::from(i * 10 + round + 1))).sum();
    assert_eq!(received, expected, "every transfer arrived");
    let fees = owner.provider.get_balance(COINBASE).await.unwrap() - coinbase_before;
    assert_eq!(fees + received, paid, "the senders paid the transfers and the coinbase's fees, nothing else");
    let end = owner.provider.get_block_number().await.unwrap();
    assert_eq!(end - start, SENDERS as u64 * 3, "one block per transaction, none lost");
}
