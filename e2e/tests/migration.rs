//! Migration to a successor deployment over JSON-RPC (docs/upgrades.md): a
//! second Keel deployed with `predecessor` set, named by the first one's
//! owner, an undelegated staker moving in one transaction, a delegated one
//! refused before anything is sent, and `keel status` showing both peers.

use alloy::primitives::U256;
use keel_cli::{
    bindings::{IStrategyManager, ITestToken},
    config::{Config, Strategy},
    deploy::deploy,
    stake::Keel,
    status::snapshot,
    units::parse,
};
use keel_e2e::{wasm_dir, Net};

#[tokio::test(flavor = "multi_thread")]
async fn an_undelegated_staker_moves_to_the_successor_in_one_transaction() {
    let net = Net::start().await.unwrap();
    let (mover, delegated, operator) = (net.account(1).await.unwrap(), net.account(3).await.unwrap(), net.account(2).await.unwrap());
    net.keel(&operator).register_operator(alloy::primitives::Address::ZERO, String::new()).await.unwrap();
    for who in [&mover, &delegated] {
        net.keel(&net.owner).mint(net.token, who.from, parse("30").unwrap()).await.unwrap();
        net.keel(who).deposit(net.token, parse("30").unwrap()).await.unwrap();
    }
    net.keel(&delegated).delegate(operator.from).await.unwrap();
    let early = net.keel(&mover).migrate(vec![net.token]).await.unwrap_err().to_string();
    assert!(early.contains("names no successor"), "{early}");

    let config = Config {
        test_token: None,
        reward_token: None,
        lrt: None,
        strategies: vec![Strategy { token: net.token, cap: None }],
        predecessor: Some(net.sm),
        ..Config::devnet()
    };
    let dir = std::env::temp_dir().join(format!("keel-successor-{}", std::process::id()));
    let successor = deploy(&net.owner, &config, &wasm_dir(), &dir).await.unwrap().address("StrategyManager").unwrap();
    std::fs::remove_dir_all(&dir).ok();
    net.keel(&net.owner).name_successor(successor).await.unwrap();

    let minted = net.keel(&mover).migrate(vec![net.token]).await.unwrap();
    assert_eq!(minted, vec![parse("30").unwrap()]);
    let token = ITestToken::new(net.token, net.owner.provider.clone());
    assert_eq!(token.balanceOf(successor).call().await.unwrap(), parse("30").unwrap());
    assert_eq!(token.balanceOf(net.sm).call().await.unwrap(), parse("30").unwrap(), "the delegated staker's stake stays");
    let old = IStrategyManager::new(net.sm, net.owner.provider.clone());
    assert_eq!(old.stakerDepositShares(mover.from, net.token).call().await.unwrap(), U256::ZERO);
    let new = IStrategyManager::new(successor, net.owner.provider.clone());
    assert_eq!(new.stakerDepositShares(mover.from, net.token).call().await.unwrap(), parse("30").unwrap());

    let refused = net.keel(&delegated).migrate(vec![net.token]).await.unwrap_err().to_string();
    assert!(refused.contains("is delegated to") && refused.contains("undelegate"), "{refused}");

    let status = snapshot(&net.owner, &net.record, None).await.unwrap();
    assert_eq!(status.migration, (Some(successor), None));
    assert!(status.to_text().contains(&format!("Successor StrategyManager: {successor}")));
    let successor_side = Keel { sm: successor, dm: net.dm, client: net.owner.clone() };
    let again = successor_side.name_successor(net.sm).await.unwrap_err().to_string();
    assert!(again.contains("does not name"), "{again}");
}
