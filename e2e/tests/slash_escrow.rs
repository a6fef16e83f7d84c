//! The slash escrow over JSON-RPC: a slash lands at once, its shares wait
//! the escrow before `keel avs pay-slashed` can pay them (refused up front
//! with the time they become payable; `keel status` lists them meanwhile),
//! and only the owner sets the delay.

use alloy::primitives::{keccak256, Address, U256};
use keel_cli::{bindings::ITestToken, stake::BURN_ADDRESS, status::snapshot, units::parse};
use keel_e2e::{instant_condition, Net, Slashable};

#[tokio::test(flavor = "multi_thread")]
async fn slashed_shares_are_paid_after_the_escrow_and_the_owner_sets_it() {
    let net = Net::start().await.unwrap();
    let condition = |avs| instant_condition(avs, 10u64.pow(17), keccak256("report"));
    let Slashable { operator, avs, condition: id, .. } = net.slashable_stake(condition, 10u64.pow(18)).await.unwrap();
    let oracle = net.registry(&avs);
    oracle.slash(operator.from, id, vec![net.token], vec![10u64.pow(17)], Default::default()).await.unwrap();

    let anyone = net.keel(&avs);
    let early = anyone.pay_slashed(net.token, BURN_ADDRESS, Address::ZERO).await.unwrap_err().to_string();
    assert!(early.contains("in escrow until"), "{early}");
    let status = snapshot(&net.owner, &net.record, None).await.unwrap();
    let escrowed = &status.escrow[..];
    assert_eq!(escrowed.len(), 1);
    assert_eq!(
        (escrowed[0].token, escrowed[0].recipient, escrowed[0].avs, escrowed[0].shares),
        (net.token, BURN_ADDRESS, Address::ZERO, parse("4").unwrap())
    );
    assert!(status.to_text().contains("Slashed shares in escrow"));
    net.owner.travel(4 * 86_400).await.unwrap();
    assert_eq!(anyone.pay_slashed(net.token, BURN_ADDRESS, Address::ZERO).await.unwrap(), parse("4").unwrap());
    let token = ITestToken::new(net.token, net.owner.provider.clone());
    assert_eq!(token.balanceOf(BURN_ADDRESS).call().await.unwrap(), parse("4").unwrap());
    let again = anyone.pay_slashed(net.token, BURN_ADDRESS, Address::ZERO).await.unwrap_err().to_string();
    assert!(again.contains("no slashed shares"), "{again}");

    let stranger = anyone.set_slash_escrow(86_400).await.unwrap_err().to_string();
    assert!(stranger.contains("Unauthorized"), "{stranger}");
    let short = net.keel(&net.owner).set_slash_escrow(60).await.unwrap_err().to_string();
    assert!(short.contains("SlashEscrowDelayOutOfBounds"), "{short}");
    net.keel(&net.owner).set_slash_escrow(86_400).await.unwrap();
    let sm = keel_cli::bindings::IStrategyManager::new(net.sm, net.owner.provider.clone());
    assert_eq!(sm.slashEscrowDelay().call().await.unwrap(), 86_400);
    assert_eq!(sm.slashEscrow(net.token, BURN_ADDRESS, avs.from).call().await.unwrap()._0, U256::ZERO);
    assert!(snapshot(&net.owner, &net.record, None).await.unwrap().escrow.is_empty(), "paid records leave the table");
}
