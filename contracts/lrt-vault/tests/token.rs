//! The LRT as an ERC-20 with EIP-2612 permit.

use alloy_primitives::{Address, B256, U256};
use k256::ecdsa::SigningKey;
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;
use keel_math::eip712::{permit_struct_hash, typed_data_digest};

#[test]
fn metadata_and_transfers() {
    let world = setup_vault();
    assert_eq!(world.call(OWNER, VAULT, &IVault::nameCall {}).unwrap(), "Keel Restaked ETH");
    assert_eq!(world.call(OWNER, VAULT, &IVault::symbolCall {}).unwrap(), "kETH");
    assert_eq!(world.call(OWNER, VAULT, &IVault::decimalsCall {}).unwrap(), 18);
    assert_eq!(world.call(OWNER, VAULT, &IVault::assetCall {}).unwrap(), TOKEN);
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    world.call(ALICE, VAULT, &IVault::transferCall { to: BOB, value: ether(3) }).unwrap();
    assert_eq!(lrt_balance(&world, BOB), ether(3));
    let err = world.expect_revert(BOB, VAULT, &IVault::transferCall { to: CAROL, value: ether(4) });
    assert_eq!(err.decode::<InsufficientBalance>().unwrap().have, ether(3));
    let err = world.expect_revert(CAROL, VAULT, &IVault::transferFromCall { from: ALICE, to: CAROL, value: ether(1) });
    assert!(err.is::<InsufficientAllowance>());
    world.call(ALICE, VAULT, &IVault::approveCall { spender: CAROL, value: ether(2) }).unwrap();
    world.call(CAROL, VAULT, &IVault::transferFromCall { from: ALICE, to: CAROL, value: ether(2) }).unwrap();
    assert_eq!(world.call(OWNER, VAULT, &IVault::allowanceCall { owner: ALICE, spender: CAROL }).unwrap(), U256::ZERO);
    assert_eq!(lrt_balance(&world, ALICE), ether(5));
    assert_eq!(world.events::<Transfer>(VAULT).len(), 3);
    assert_eq!(world.events::<Approval>(VAULT).len(), 1);
}

#[test]
fn permit_approves_by_signature_once() {
    let world = setup_vault();
    let key = SigningKey::from_slice(&[9u8; 32]).unwrap();
    let owner = Address::from_public_key(key.verifying_key());
    let deadline = U256::from(world.timestamp() + 60);
    let domain = world.call(OWNER, VAULT, &IAdmin::DOMAIN_SEPARATORCall {}).unwrap();
    assert_eq!(domain, keel_math::eip712::domain_separator("Keel Restaked ETH", "1", world.chain_id(), VAULT));
    let digest = typed_data_digest(domain, permit_struct_hash(owner, BOB, U256::from(9), U256::ZERO, deadline));
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let (r, s) = (B256::from_slice(&sig.r().to_bytes()), B256::from_slice(&sig.s().to_bytes()));
    let call = IAdmin::permitCall { owner, spender: BOB, value: U256::from(9), deadline, v: 27 + recid.to_byte(), r, s };
    world.call(ALICE, VAULT, &call).unwrap();
    assert_eq!(world.call(BOB, VAULT, &IVault::allowanceCall { owner, spender: BOB }).unwrap(), U256::from(9));
    assert_eq!(world.call(BOB, VAULT, &IAdmin::noncesCall { owner }).unwrap(), U256::from(1));
    assert!(world.expect_revert(ALICE, VAULT, &call).is::<InvalidPermitSignature>());
    world.advance(61);
    let late = IAdmin::permitCall { deadline, ..call };
    assert!(world.expect_revert(ALICE, VAULT, &late).is::<PermitExpired>());
}
