//! The LRT vault end to end on the devnet (the real WASM of the vault and of
//! its admin extension, reached by delegatecall): deposit, redemption request
//! and claim after the delay, instant redemption, refusals by name.

use alloy::primitives::U256;
use keel_cli::{bindings::ILrtVaultAdmin, units::parse};
use keel_e2e::Net;

/// Net with an operator registered, the vault delegated to it, and dev
/// account 1 holding 100 tokens.
async fn setup() -> (Net, keel_cli::client::Client) {
    let net = Net::start().await.unwrap();
    let (operator, holder) = (net.account(2).await.unwrap(), net.account(1).await.unwrap());
    net.keel(&operator).register_operator(alloy::primitives::Address::ZERO, "ipfs://operator".into()).await.unwrap();
    net.lrt(&net.owner).set_restaking_operator(operator.from).await.unwrap();
    net.keel(&net.owner).mint(net.token, holder.from, parse("100").unwrap()).await.unwrap();
    (net, holder)
}

#[tokio::test(flavor = "multi_thread")]
async fn deposit_request_and_claim_after_the_delay() {
    let (net, holder) = setup().await;
    let lrt = net.lrt(&holder);
    let minted = lrt.deposit(parse("40").unwrap()).await.unwrap();
    assert!(minted > parse("39.999").unwrap() && minted <= parse("40").unwrap(), "{minted}");
    let id = lrt.request_redeem(parse("15").unwrap()).await.unwrap();
    assert_eq!(lrt.balance(holder.from).await.unwrap(), minted - parse("15").unwrap());
    let early = lrt.claim(holder.from, None).await.unwrap_err().to_string();
    assert!(early.contains("nothing claimable"), "{early}");
    let forced = lrt.claim(holder.from, Some(parse("15").unwrap())).await.unwrap_err().to_string();
    assert!(forced.contains("RequestNotClaimable") && forced.contains(&id.to_string()), "{forced}");
    net.owner.travel(3 * 86_400).await.unwrap(); // devnet.toml's withdrawal delay
    let paid = lrt.claim(holder.from, None).await.unwrap();
    assert!(paid > parse("14.999").unwrap() && paid <= parse("15").unwrap(), "{paid}");
    // `keel status` shows the holder's remaining LRT and that nothing is pending.
    let status = keel_cli::status::report(&holder, &net.record, Some(holder.from)).await.unwrap();
    let line = format!("{}: {} ", holder.from, keel_cli::fmt::amount(minted - parse("15").unwrap()));
    assert!(status.contains(&line) && status.contains("redemptions pending 0"), "missing {line:?} in\n{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_redemption_from_the_buffer_and_refusals_by_name() {
    let (net, holder) = setup().await;
    net.lrt(&net.owner).set_buffer_target(parse("10").unwrap()).await.unwrap();
    let lrt = net.lrt(&holder);
    lrt.deposit(parse("30").unwrap()).await.unwrap();
    let paid = lrt.instant_redeem(parse("4").unwrap(), U256::ZERO).await.unwrap();
    // 0.5% fee (cli/devnet.toml).
    assert!(paid > parse("3.979").unwrap() && paid <= parse("3.98").unwrap(), "{paid}");
    let short = lrt.instant_redeem(parse("20").unwrap(), U256::ZERO).await.unwrap_err().to_string();
    assert!(short.contains("BufferInsufficient"), "{short}");
    let slippage = lrt.instant_redeem(parse("1").unwrap(), parse("1").unwrap()).await.unwrap_err().to_string();
    assert!(slippage.contains("Slippage"), "{slippage}");
    let not_manager = net.lrt(&holder).set_buffer_target(U256::ZERO).await.unwrap_err().to_string();
    assert!(not_manager.contains("Unauthorized"), "the extension's refusal reaches the client by name: {not_manager}");
    let direct = ILrtVaultAdmin::new(net.extension, holder.provider.clone()).settings().call().await.unwrap_err();
    assert!(keel_cli::revert::explain(direct).to_string().contains("NotViaVault"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_operator_claims_for_the_holder_and_a_revoked_one_cannot() {
    let (net, holder) = setup().await;
    let helper = net.account(3).await.unwrap();
    let lrt = net.lrt(&holder);
    lrt.deposit(parse("20").unwrap()).await.unwrap();
    lrt.request_redeem(parse("5").unwrap()).await.unwrap();
    net.owner.travel(3 * 86_400).await.unwrap();
    let stranger = net.lrt(&helper).claim(holder.from, None).await.unwrap_err().to_string();
    assert!(stranger.contains("is not an operator"), "{stranger}");
    lrt.approve_operator(helper.from, true).await.unwrap();
    let token = keel_cli::bindings::ITestToken::new(net.token, net.owner.provider.clone());
    let before = token.balanceOf(holder.from).call().await.unwrap();
    let paid = net.lrt(&helper).claim(holder.from, None).await.unwrap();
    assert!(paid > parse("4.999").unwrap() && paid <= parse("5").unwrap(), "{paid}");
    let after = token.balanceOf(holder.from).call().await.unwrap();
    assert_eq!(after - before, paid, "paid to the holder, not to its operator");
    lrt.approve_operator(helper.from, false).await.unwrap();
    lrt.request_redeem(parse("1").unwrap()).await.unwrap();
    net.owner.travel(3 * 86_400).await.unwrap();
    let revoked = net.lrt(&helper).claim(holder.from, None).await.unwrap_err().to_string();
    assert!(revoked.contains("is not an operator"), "{revoked}");
}
