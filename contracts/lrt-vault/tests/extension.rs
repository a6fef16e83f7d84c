//! The vault's admin extension, reached by delegatecall for the selectors
//! the vault does not route: it acts on the vault's storage, as the vault,
//! with the caller's identity, and refuses to work on its own.

use alloy_primitives::{Address, U256};
use keel_components::access::Unauthorized;
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;

#[test]
fn admin_functions_act_on_the_vault_storage_as_the_vault() {
    let world = setup_vault();
    world.clear_logs();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(1_000), instantBps: U256::from(50) }).unwrap();
    let settings = world.call(OWNER, VAULT, &IAdmin::settingsCall {}).unwrap();
    assert_eq!((settings._0, settings._1, settings._2, settings._3), (MANAGER, TREASURY, U256::from(1_000), U256::from(50)));
    let logs = world.logs();
    assert!(logs.iter().all(|l| l.address == VAULT), "events come from the vault's address");
    assert_eq!(world.events::<FeesSet>(VAULT).len(), 1);
    assert!(world.expect_revert(OWNER, ADMIN, &IAdmin::settingsCall {}).is::<NotViaVault>(), "the extension's own storage is still empty");
}

#[test]
fn access_checks_see_the_original_caller() {
    let world = setup_vault();
    let err = world.expect_revert(MALLORY, VAULT, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::ZERO });
    assert_eq!(err.decode::<Unauthorized>().map(|e| e.caller), Some(MALLORY), "msg.sender is the caller, not the vault");
    let err = world.expect_revert(OWNER, VAULT, &IAdmin::setRestakingOperatorCall { operator: Address::ZERO });
    assert_eq!(err.decode::<Unauthorized>().map(|e| e.caller), Some(OWNER), "the operator is the manager's call");
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(5) }).unwrap();
}

#[test]
fn errors_of_the_extension_reach_the_client_by_name() {
    let world = setup_vault();
    let err = world.expect_revert(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(2_001), instantBps: U256::ZERO });
    let error = err.decode::<FeeAboveCap>().expect("FeeAboveCap, not wrapped");
    assert_eq!((error.bps, error.cap), (U256::from(2_001), U256::from(2_000)));
}

#[test]
fn the_extension_refuses_to_work_on_its_own() {
    let world = setup_vault();
    let err = world.expect_revert(OWNER, ADMIN, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::ZERO });
    assert!(err.is::<NotViaVault>());
    assert!(world.expect_revert(OWNER, ADMIN, &IAdmin::settingsCall {}).is::<NotViaVault>());
    assert!(world.expect_revert(OWNER, ADMIN, &IAdmin::DOMAIN_SEPARATORCall {}).is::<NotViaVault>());
    assert!(world.expect_revert(MANAGER, ADMIN, &IAdmin::setRestakingOperatorCall { operator: OPERATOR2 }).is::<NotViaVault>());
}

#[test]
fn unknown_selectors_revert_without_data_at_the_vault_and_elsewhere() {
    let world = setup_vault();
    let unknown = vec![0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1];
    assert_eq!(
        world.call_raw(OWNER, VAULT, unknown.clone(), U256::ZERO).unwrap_err().0,
        Vec::<u8>::new(),
        "neither the vault nor its extension routes it"
    );
    assert_eq!(world.call_raw(OWNER, SM, unknown, U256::ZERO).unwrap_err().0, Vec::<u8>::new(), "a contract without the fallback hook");
}

#[test]
fn the_extension_is_fixed_at_construction() {
    let world = setup();
    let at = Address::repeat_byte(0x80);
    let err = world.deploy(at, keel_lrt_vault::dispatch, OWNER, Some(vault_constructor(Address::ZERO))).unwrap_err();
    assert!(err.is::<keel_components::access::ZeroAddress>());
}
