//! What an ERC-1967 proxy in front of a Stylus program costs, on nitro's
//! meter (docs/upgrades.md): the StrategyManager deployed directly, and the
//! same program behind `Erc1967Proxy` (initialised through it, in the proxy's
//! storage); the same repeat deposit and the same view sent to each with
//! every program cached. The proxy must behave exactly like the program
//! (same shares, same refusals) and its hop must cost more, but not more than
//! a few thousand gas.

mod common;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol_data, SolValue};
use common::*;
use keel_devnet::{Chain, Tx};

/// ALICE's second deposit into `sm` (direct or proxied, its strategy for
/// `token` added and ALICE approving it) and a view sent as a transaction:
/// their gas.
fn measure(chain: &mut Chain, sm: Address, token: Address) -> (u64, u64) {
    let deposit = ISM::depositIntoStrategyCall { token, amount: ether(1) };
    assert!(send(chain, ALICE, sm, &deposit).status);
    let repeat = send(chain, ALICE, sm, &deposit);
    assert!(repeat.status, "{}", repeat.output);
    assert_eq!(view(chain, sm, &ISM::stakerDepositSharesCall { staker: ALICE, token }), ether(2));
    let read = send(chain, BOB, sm, &ISM::stakerDepositSharesCall { staker: ALICE, token });
    assert!(read.status);
    (repeat.gas_used, read.gas_used)
}

#[test]
fn a_proxy_in_front_of_a_stylus_program_costs_one_evm_hop() {
    let Keel { mut chain, token, sm: direct } = Keel::new();
    // The proxy runs the direct deployment's program on its own storage
    // (nitro activates a module once, so a second copy would be refused).
    let sm_ctor = constructor_calldata::<(sol_data::Address,)>(&(OWNER,));
    let proxy = deploy_solidity(&mut chain, OWNER, "Erc1967Proxy", &(direct, Bytes::from(sm_ctor)).abi_encode_params());
    send_ok(&mut chain, OWNER, proxy, &ISM::addStrategyCall { token, cap: U256::MAX });
    send_ok(&mut chain, ALICE, token, &IToken::approveCall { spender: proxy, value: U256::MAX });
    chain.set_cache_all_programs(true);

    let (direct_deposit, direct_view) = measure(&mut chain, direct, token);
    let (proxied_deposit, proxied_view) = measure(&mut chain, proxy, token);
    // The proxy keeps the program's state and refusals: a second constructor call is refused.
    let again = chain.transact(Tx::call(OWNER, proxy, Bytes::from(constructor_calldata::<(sol_data::Address,)>(&(OWNER,))))).unwrap();
    assert!(!again.status, "the constructor runs once, behind the proxy too");
    assert_eq!(view(&mut chain, direct, &ISM::stakerDepositSharesCall { staker: ALICE, token }), ether(2), "two separate storages");

    let (deposit_hop, view_hop) = (proxied_deposit - direct_deposit, proxied_view - direct_view);
    println!("repeat deposit: {direct_deposit} direct, {proxied_deposit} proxied (+{deposit_hop}); view: {direct_view} direct, {proxied_view} proxied (+{view_hop})");
    for hop in [deposit_hop, view_hop] {
        assert!((1_000..10_000).contains(&hop), "a proxy hop costs {hop}");
    }
}
