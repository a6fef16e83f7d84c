//! Scale on the devnet with the real WASM: an operator serving 100 AVSs
//! registers, allocates and is slashed within the block gas limit, at a cost
//! that does not grow with the number of AVSs it serves.

use alloy::{
    primitives::{keccak256, Address},
    signers::local::PrivateKeySigner,
};
use keel_e2e::{instant_condition, Net};

const AVSS: usize = 100;
/// Arbitrum's per-transaction gas limit, as the devnet enforces it.
const BLOCK_GAS_LIMIT: u64 = 32_000_000;

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_serving_100_avss_stays_within_the_block_gas_limit() {
    let net = Net::start().await.unwrap();
    let operator = net.account(2).await.unwrap();
    net.keel(&operator).register_operator(Address::ZERO, String::new()).await.unwrap();
    let registry = net.registry(&operator);
    registry.set_allocation_delay(0).await.unwrap();
    let mut avss = Vec::new();
    for i in 0..AVSS {
        let avs = net.registry(&net.funded(PrivateKeySigner::random()).await.unwrap());
        avs.register_avs("").await.unwrap();
        avs.create_set(1, vec![net.token]).await.unwrap();
        let condition = instant_condition(avs.client.from, 10u64.pow(17), keccak256(i.to_be_bytes()));
        let id = avs.add_condition(&condition).await.unwrap();
        avss.push((avs, id));
    }
    net.owner.travel(net.allocation_configuration_delay()).await.unwrap();
    let mut gas = Vec::new();
    for (avs, id) in &avss {
        let opt_in = registry.opt_in(avs.client.from, vec![1], vec![*id]).await.unwrap();
        let allocate = registry.allocate(avs.client.from, 1, vec![net.token], vec![10u64.pow(16)]).await.unwrap();
        gas.push((opt_in.gas_used, allocate.gas_used));
    }
    net.owner.travel(60).await.unwrap();
    let (first, last) = (gas[0], gas[AVSS - 1]);
    println!("opt-in gas: 1st {} / {AVSS}th {}; allocate gas: 1st {} / {AVSS}th {}", first.0, last.0, first.1, last.1);
    assert!(last.0 <= first.0 + 1_000 && last.1 <= first.1 + 1_000, "costs grow with the AVSs served: {first:?} -> {last:?}");
    let (avs, id) = &avss[AVSS - 1];
    let (_, receipt) = avs.slash(operator.from, *id, vec![net.token], vec![10u64.pow(17)], Default::default()).await.unwrap();
    println!("slash by the {AVSS}th AVS: gas {}", receipt.gas_used);
    assert!(receipt.gas_used < BLOCK_GAS_LIMIT / 10);
}
