//! ArbSys (0x64): the L2 block number and chain id, as Arbitrum contracts read them.

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::SolCall;
use keel_devnet::{
    precompiles::{ArbSys, ARB_SYS},
    Chain, Tx,
};

const ALICE: Address = address!("00000000000000000000000000000000000000a2");

fn query(chain: &mut Chain, data: Vec<u8>) -> keel_devnet::Receipt {
    chain.call(Tx::call(ALICE, ARB_SYS, data)).unwrap()
}

#[test]
fn arbsys_reports_the_block_number_and_chain_id() {
    let mut chain = Chain::new(412_346);
    chain.set_balance(ALICE, U256::from(10u64).pow(U256::from(18u64)));
    let id = query(&mut chain, ArbSys::arbChainIDCall {}.abi_encode());
    assert_eq!(ArbSys::arbChainIDCall::abi_decode_returns(&id.output).unwrap(), U256::from(412_346));
    let before =
        ArbSys::arbBlockNumberCall::abi_decode_returns(&query(&mut chain, ArbSys::arbBlockNumberCall {}.abi_encode()).output).unwrap();
    assert_eq!(before, U256::from(chain.block_number()));
    chain.transact(Tx::call(ALICE, address!("00000000000000000000000000000000000000b0"), Vec::new())).unwrap();
    let after =
        ArbSys::arbBlockNumberCall::abi_decode_returns(&query(&mut chain, ArbSys::arbBlockNumberCall {}.abi_encode()).output).unwrap();
    assert_eq!(after, before + U256::from(1), "one block per transaction");
}

#[test]
fn unknown_arbsys_calls_revert_without_data() {
    let mut chain = Chain::new(412_346);
    let refused = query(&mut chain, vec![0xde, 0xad, 0xbe, 0xef]);
    assert!(!refused.status);
    assert!(refused.output.is_empty());
}
