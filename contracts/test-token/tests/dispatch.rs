//! The compact router (`keel_components::contract_abi!`) behaves as
//! stylus-sdk's: what it refuses, it refuses with empty revert data.

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{sol_data, SolCall};
use keel_testhost::{constructor_calldata, World};

mod abi {
    alloy_sol_types::sol!("../../abi/TestToken.sol");
}
use abi::{IAccessControl, ITestToken as IToken};

type Ctor = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);

const OWNER: Address = address!("00000000000000000000000000000000000000a1");
const ALICE: Address = address!("00000000000000000000000000000000000000a2");
const TOKEN: Address = address!("0000000000000000000000000000000000007000");

fn ctor() -> Vec<u8> {
    constructor_calldata::<Ctor>(&("Keel".into(), "K".into(), 18, OWNER))
}

fn setup() -> World {
    let world = World::new();
    world.deploy(TOKEN, keel_test_token::dispatch, OWNER, Some(ctor())).unwrap();
    world.call(OWNER, TOKEN, &IToken::mintCall { to: ALICE, value: U256::from(100) }).unwrap();
    world
}

fn transfer_calldata(to: Address) -> Vec<u8> {
    IToken::transferCall { to, value: U256::from(1) }.abi_encode()
}

#[test]
fn unknown_short_and_empty_calldata_revert_without_data() {
    let world = setup();
    for calldata in [vec![], vec![0xa9, 0x05, 0x9c], vec![0xde, 0xad, 0xbe, 0xef]] {
        assert_eq!(world.call_raw(ALICE, TOKEN, calldata, U256::ZERO).unwrap_err().0, Vec::<u8>::new());
    }
}

#[test]
fn value_is_refused_by_every_function() {
    let world = setup();
    world.set_balance(ALICE, U256::from(10));
    let refused = world.call_raw(ALICE, TOKEN, transfer_calldata(OWNER), U256::from(1)).unwrap_err();
    assert!(refused.0.is_empty());
    assert_eq!(world.balance(TOKEN), U256::ZERO);
    world.call_raw(ALICE, TOKEN, transfer_calldata(OWNER), U256::ZERO).unwrap();
}

#[test]
fn malformed_arguments_revert_and_trailing_bytes_do_not() {
    let world = setup();
    let mut dirty = transfer_calldata(OWNER);
    dirty[4] = 1;
    assert!(world.call_raw(ALICE, TOKEN, dirty, U256::ZERO).unwrap_err().0.is_empty());
    let truncated = transfer_calldata(OWNER)[..40].to_vec();
    assert!(world.call_raw(ALICE, TOKEN, truncated, U256::ZERO).unwrap_err().0.is_empty());
    let mut trailing = transfer_calldata(OWNER);
    trailing.extend_from_slice(&[7; 5]);
    let output = world.call_raw(ALICE, TOKEN, trailing, U256::ZERO).unwrap();
    assert_eq!(output, U256::from(1).to_be_bytes::<32>().to_vec(), "returns true");
}

#[test]
fn the_constructor_runs_once() {
    let world = setup();
    assert!(world.call_raw(ALICE, TOKEN, ctor(), U256::ZERO).unwrap_err().0.is_empty());
    assert_eq!(world.call(OWNER, TOKEN, &IAccessControl::ownerCall {}).unwrap(), OWNER);
}
