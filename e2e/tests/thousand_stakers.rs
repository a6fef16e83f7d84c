//! Slashing is O(1) in the number of delegators, shown over JSON-RPC with the
//! real WASM: the same slash costs the same gas with 1 and with 1,000
//! delegated stakers, and every one of them loses the same fraction.

use alloy::{
    primitives::{keccak256, Address, Bytes, U256},
    providers::Provider,
    signers::{local::PrivateKeySigner, SignerSync},
};
use keel_cli::{
    avs::Registry,
    bindings::{IDelegationManager, IStrategyManager, ITestToken},
    client::Client,
    units::parse,
};
use keel_e2e::{instant_condition, Net};
use keel_math::eip712::{deposit_struct_hash, typed_data_digest};

const STAKERS: usize = 1_000;
/// Accounts that deposit for the stakers with their signatures, in parallel.
const RELAYERS: usize = 8;
/// Explicit gas limits skip one estimation round trip per transaction.
const GAS: u64 = 1_000_000;

/// An AVS whose instant condition (cap 100%) the operator accepted, with
/// the operator's whole stake allocated to it. Returns the AVS and the condition.
async fn slashable_operator(net: &Net, operator: &Client) -> (Registry, u64) {
    let avs = net.registry(&net.account(5).await.unwrap());
    avs.register_avs("ipfs://oracle").await.unwrap();
    avs.create_set(1, vec![net.token]).await.unwrap();
    let condition = instant_condition(avs.client.from, 10u64.pow(18), keccak256("report"));
    let id = avs.add_condition(&condition).await.unwrap();
    let registry = net.registry(operator);
    registry.set_allocation_delay(0).await.unwrap();
    net.owner.travel(net.allocation_configuration_delay()).await.unwrap();
    registry.opt_in(avs.client.from, vec![1], vec![id]).await.unwrap();
    registry.allocate(avs.client.from, 1, vec![net.token], vec![10u64.pow(18)]).await.unwrap();
    net.owner.travel(60).await.unwrap();
    (avs, id)
}

/// Delegates `count` new stakers to `operator` (each its own transaction) and
/// deposits 1 token for each through relayers holding their signatures.
/// Returns the stakers' addresses.
async fn add_stakers(net: &Net, operator: Address, count: usize) -> Vec<Address> {
    let stakers: Vec<PrivateKeySigner> = (0..count).map(|_| PrivateKeySigner::random()).collect();
    let delegations = stakers.iter().cloned().map(|signer| async move {
        let staker = net.funded(signer).await.unwrap();
        let dm = IDelegationManager::new(net.dm, staker.provider.clone());
        let call = dm.delegateTo(operator, U256::ZERO, Bytes::new(), Default::default()).gas(GAS).nonce(0);
        assert!(call.send().await.unwrap().get_receipt().await.unwrap().status());
    });
    futures::future::join_all(delegations).await;
    let domain = IStrategyManager::new(net.sm, net.owner.provider.clone()).domainSeparator().call().await.unwrap();
    let amount = parse("1").unwrap();
    let expiry = U256::from(u64::MAX);
    let mut relayers = Vec::new();
    for batch in stakers.chunks(count.div_ceil(RELAYERS)) {
        let relayer = net.funded(PrivateKeySigner::random()).await.unwrap();
        net.keel(&net.owner).mint(net.token, relayer.from, amount * U256::from(batch.len())).await.unwrap();
        relayers.push((relayer, batch));
    }
    let batches = relayers.into_iter().map(|(relayer, batch)| async move {
        let token = ITestToken::new(net.token, relayer.provider.clone());
        assert!(token.approve(net.sm, U256::MAX).gas(GAS).nonce(0).send().await.unwrap().get_receipt().await.unwrap().status());
        let sm = IStrategyManager::new(net.sm, relayer.provider.clone());
        for (nonce, staker) in (1u64..).zip(batch) {
            let digest = typed_data_digest(domain, deposit_struct_hash(staker.address(), net.token, amount, U256::ZERO, expiry));
            let signature = Bytes::from(staker.sign_hash_sync(&digest).unwrap().as_bytes().to_vec());
            let call = sm.depositIntoStrategyWithSignature(staker.address(), net.token, amount, expiry, signature);
            assert!(call.gas(GAS).nonce(nonce).send().await.unwrap().get_receipt().await.unwrap().status());
        }
    });
    futures::future::join_all(batches).await;
    stakers.iter().map(PrivateKeySigner::address).collect()
}

/// Slashes 10% of the operator's stake; returns the gas used and the
/// operator's delegated shares after.
async fn slash(net: &Net, avs: &Registry, condition: u64, operator: Address) -> (u64, U256) {
    let (_, receipt) = avs.slash(operator, condition, vec![net.token], vec![10u64.pow(17)], keccak256("wrong price")).await.unwrap();
    let dm = IDelegationManager::new(net.dm, net.owner.provider.clone());
    (receipt.gas_used, dm.operatorStake(operator, net.token).call().await.unwrap()._0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slash_costs_the_same_with_1_and_1000_delegated_stakers() {
    let net = Net::start().await.unwrap();
    let operator = net.account(2).await.unwrap();
    net.keel(&operator).register_operator(Address::ZERO, String::new()).await.unwrap();
    let (avs, condition) = slashable_operator(&net, &operator).await;
    let first = add_stakers(&net, operator.from, 1).await[0];
    let snapshot: String = net.owner.provider.raw_request("evm_snapshot".into(), ()).await.unwrap();
    let (gas_one, left_one) = slash(&net, &avs, condition, operator.from).await;
    assert_eq!(left_one, parse("0.9").unwrap());
    let reverted: bool = net.owner.provider.raw_request("evm_revert".into(), (snapshot,)).await.unwrap();
    assert!(reverted);
    let others = add_stakers(&net, operator.from, STAKERS - 1).await;
    let (gas_many, left_many) = slash(&net, &avs, condition, operator.from).await;
    println!("slash gas (receipt): {gas_one} with 1 staker, {gas_many} with {STAKERS}");
    assert_eq!(left_many, parse("900").unwrap());
    assert!(gas_one.abs_diff(gas_many) * 1_000 <= gas_one, "{gas_one} vs {gas_many} gas");
    let dm = IDelegationManager::new(net.dm, net.owner.provider.clone());
    for staker in [first, others[0], others[STAKERS / 2], others[STAKERS - 2]] {
        assert_eq!(dm.withdrawableShares(staker, net.token).call().await.unwrap()._0, parse("0.9").unwrap(), "{staker}");
    }
}
