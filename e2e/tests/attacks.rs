//! Hostile use over JSON-RPC: replayed and expired signatures, and a token
//! that re-enters the protocol from its transfer hook.

use alloy::{
    primitives::{Address, Bytes, U256},
    signers::SignerSync,
    sol_types::SolCall,
};
use keel_cli::{
    bindings::{strategy_manager::IStrategyManager, ITestToken},
    client::dev_signer,
    revert::explain,
    units::parse,
};
use keel_e2e::Net;
use keel_math::eip712::{deposit_struct_hash, typed_data_digest};

#[tokio::test(flavor = "multi_thread")]
async fn signed_deposits_refuse_expired_and_replayed_signatures() {
    let net = Net::start().await.unwrap();
    let relayer = net.account(3).await.unwrap();
    let staker = dev_signer(4).unwrap();
    net.keel(&net.owner).mint(net.token, relayer.from, parse("10").unwrap()).await.unwrap();
    let token = ITestToken::new(net.token, relayer.provider.clone());
    token.approve(net.sm, U256::MAX).send().await.unwrap().get_receipt().await.unwrap();
    let sm = IStrategyManager::new(net.sm, relayer.provider.clone());
    let domain = sm.domainSeparator().call().await.unwrap();
    let now = relayer.now().await.unwrap();
    let amount = parse("1").unwrap();
    let sign = |expiry: u64| {
        let digest = typed_data_digest(domain, deposit_struct_hash(staker.address(), net.token, amount, U256::ZERO, U256::from(expiry)));
        Bytes::from(staker.sign_hash_sync(&digest).unwrap().as_bytes().to_vec())
    };
    let expired = sm.depositIntoStrategyWithSignature(staker.address(), net.token, amount, U256::from(now - 1), sign(now - 1)).call().await;
    assert!(explain(expired.unwrap_err()).to_string().contains("SignatureExpired"));
    let expiry = now + 3_600;
    let call = sm.depositIntoStrategyWithSignature(staker.address(), net.token, amount, U256::from(expiry), sign(expiry));
    call.send().await.map_err(explain).unwrap().get_receipt().await.unwrap();
    assert_eq!(sm.stakerDepositShares(staker.address(), net.token).call().await.unwrap(), amount);
    let replay = sm.depositIntoStrategyWithSignature(staker.address(), net.token, amount, U256::from(expiry), sign(expiry)).call().await;
    assert!(explain(replay.unwrap_err()).to_string().contains("InvalidSignature"), "the nonce moved on");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_that_reenters_on_transfer_cannot_double_count() {
    let net = Net::start().await.unwrap();
    let staker = net.account(1).await.unwrap();
    net.keel(&net.owner).mint(net.token, staker.from, parse("10").unwrap()).await.unwrap();
    // Every transfer of the token now calls the StrategyManager to deposit again.
    let reenter = IStrategyManager::depositIntoStrategyCall { token: net.token, amount: U256::from(1) }.abi_encode();
    let owner_token = ITestToken::new(net.token, net.owner.provider.clone());
    owner_token.setTransferHook(net.sm, reenter.into()).send().await.unwrap().get_receipt().await.unwrap();
    let refused = net.keel(&staker).deposit(net.token, parse("5").unwrap()).await.unwrap_err().to_string();
    assert!(refused.contains("TokenTransferFailed"), "{refused}");
    let sm = IStrategyManager::new(net.sm, staker.provider.clone());
    assert_eq!(sm.stakerDepositShares(staker.from, net.token).call().await.unwrap(), U256::ZERO);
    assert_eq!(sm.totalShares(net.token).call().await.unwrap(), U256::ZERO);
    assert_eq!(owner_token.balanceOf(net.sm).call().await.unwrap(), U256::ZERO);
    // Without the hook the same deposit goes through once.
    owner_token.setTransferHook(Address::ZERO, Bytes::new()).send().await.unwrap().get_receipt().await.unwrap();
    assert_eq!(net.keel(&staker).deposit(net.token, parse("5").unwrap()).await.unwrap(), parse("5").unwrap());
}
