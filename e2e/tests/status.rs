//! `keel status` over JSON-RPC: an operator's and a staker's slashable stake per AVS and a
//! staker's positions and rewards, read back from a live deployment.

use alloy::primitives::{keccak256, Address};
use keel_cli::{
    avs::Condition,
    bindings::IAvsRegistry,
    status::{report, snapshot},
    units::parse,
};
use keel_e2e::{Net, Slashable};

#[tokio::test(flavor = "multi_thread")]
async fn status_shows_sets_conditions_slashable_stake_and_positions() {
    let net = Net::start().await.unwrap();
    let resolver = net.owner.from;
    let condition = |avs| Condition {
        set_id: 1,
        max_slash_wad: 10u64.pow(17),
        slasher: avs,
        veto_window: 86_400,
        resolver,
        redistribution_recipient: Address::ZERO,
        description_uri: String::new(),
        evidence_schema_hash: keccak256("report"),
    };
    let Slashable { staker, operator, avs, condition: id } = net.slashable_stake(condition, 4 * 10u64.pow(17)).await.unwrap();

    let text = report(&staker, &net.record, Some(staker.from)).await.unwrap();
    let expected = [
        format!("condition {id}: cap 10.00%, veto window 86400 s, slasher {}, funds burnt, active", avs.from),
        format!("operator {} (slashable)", operator.from),
        format!("{}: allocated 40.00% of max 100.00%, slashable stake 16 in all, 1.6 per incident\n", net.token),
        format!("staker {} can lose 16 of {} in all, 1.6 per incident", staker.from, net.token),
        format!("{}: delegated to {}", staker.from, operator.from),
        "rewards".to_string(),
    ];
    for line in expected {
        assert!(text.contains(&line), "missing {line:?} in\n{text}");
    }
    // Gas of the exposure views on the devnet's nitro meter (eth_estimateGas).
    let views = IAvsRegistry::new(net.registry, staker.provider.clone());
    let (set, token) = (1u64, net.token);
    let gas = [
        ("slashableStake", views.slashableStake(operator.from, avs.from, set, token).estimate_gas().await.unwrap()),
        ("stakerSlashableStake", views.stakerSlashableStake(staker.from, avs.from, set, token).estimate_gas().await.unwrap()),
        ("largestSlashCap", views.largestSlashCap(operator.from, avs.from, set).estimate_gas().await.unwrap()),
        ("activeSlashingConditions", views.activeSlashingConditions(avs.from, set).estimate_gas().await.unwrap()),
    ];
    for (view, used) in gas {
        println!("{view}: {used} gas");
        assert!(used < 200_000, "{view} costs {used} gas");
    }
    let positions = snapshot(&staker, &net.record, Some(staker.from)).await.unwrap().account.unwrap().positions;
    assert_eq!(
        (positions[0].token, positions[0].deposit, positions[0].withdrawable),
        (net.token, parse("40").unwrap(), parse("40").unwrap())
    );
}
