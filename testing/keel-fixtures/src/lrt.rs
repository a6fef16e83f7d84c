//! The LRT vault deployed on top of [`setup`](crate::setup), with helpers.

use crate::{ether, setup, token::ITestToken as IToken, ALICE, BOB, CAROL, DM, OPERATOR, OWNER, SM, TOKEN};
use alloy_primitives::{address, Address, U256};
use alloy_sol_types::sol_data;
use keel_testhost::{constructor_calldata, Revert, World};

/// The LRT vault's published ABI.
pub mod vault {
    alloy_sol_types::sol!("../../abi/LrtVault.sol");
}

/// The published ABI of the vault's admin extension (called at the vault's address).
pub mod admin {
    alloy_sol_types::sol!("../../abi/LrtVaultAdmin.sol");
}

pub use admin::ILrtVaultAdmin as IAdmin;
pub use vault::ILrtVault as IVault;

/// Where the vault is deployed.
pub const VAULT: Address = address!("0000000000000000000000000000000000008000");
/// Where the vault's admin extension is deployed.
pub const ADMIN: Address = address!("0000000000000000000000000000000000008001");
/// The vault's manager.
pub const MANAGER: Address = address!("00000000000000000000000000000000000000a5");
/// The vault's treasury.
pub const TREASURY: Address = address!("00000000000000000000000000000000000000a6");
/// An attacker, funded with 1,000 tokens by [`setup_vault`].
pub const MALLORY: Address = address!("00000000000000000000000000000000000000e1");

/// [`setup`] plus the vault (manager MANAGER, treasury TREASURY, delegated
/// to OPERATOR, no buffer, no fees, rewards vesting over a day); ALICE, BOB,
/// CAROL and MALLORY hold 1,000 tokens each and approved the vault.
pub fn setup_vault() -> World {
    let world = setup();
    deploy_vault(&world, VAULT, ADMIN);
    world
}

/// Where [`setup_vault_with_registry`] deploys the vault ([`VAULT`]'s address holds the registry there).
pub const VAULT_BY_REGISTRY: Address = address!("000000000000000000000000000000000000a000");

/// [`setup_with_registry`](crate::registry::setup_with_registry) plus the
/// vault at [`VAULT_BY_REGISTRY`], set up as by [`setup_vault`].
pub fn setup_vault_with_registry() -> World {
    let world = crate::registry::setup_with_registry();
    deploy_vault(&world, VAULT_BY_REGISTRY, address!("000000000000000000000000000000000000a001"));
    world
}

/// Deploys the vault at `at` with its extension at `extension` (manager
/// MANAGER, treasury TREASURY, delegated to OPERATOR); funds MALLORY with
/// 1,000 tokens; ALICE, BOB, CAROL and MALLORY approve it.
fn deploy_vault(world: &World, at: Address, extension: Address) {
    world.deploy(extension, keel_lrt_vault_admin::dispatch, OWNER, None).unwrap();
    world.deploy(at, keel_lrt_vault::dispatch, OWNER, Some(vault_constructor(extension))).unwrap();
    world.call(OWNER, at, &IAdmin::setManagerCall { manager: MANAGER }).unwrap();
    world.call(OWNER, at, &IAdmin::setTreasuryCall { treasury: TREASURY }).unwrap();
    world.call(MANAGER, at, &IAdmin::setRestakingOperatorCall { operator: OPERATOR }).unwrap();
    world.call(OWNER, TOKEN, &IToken::mintCall { to: MALLORY, value: ether(1_000) }).unwrap();
    for who in [ALICE, BOB, CAROL, MALLORY] {
        world.call(who, TOKEN, &IToken::approveCall { spender: at, value: U256::MAX }).unwrap();
    }
}

/// Constructor calldata of the vault over [`setup`]'s token and contracts,
/// with the admin extension at `extension`.
pub fn vault_constructor(extension: Address) -> Vec<u8> {
    type Ctor =
        (sol_data::Address, sol_data::Address, sol_data::Address, sol_data::Address, sol_data::Address, sol_data::String, sol_data::String);
    constructor_calldata::<Ctor>(&(OWNER, TOKEN, SM, DM, extension, "Keel Restaked ETH".into(), "kETH".into()))
}

/// Deposits `assets` into the vault as `who` (for `who`); returns the LRT minted.
pub fn vault_deposit(world: &World, who: Address, assets: U256) -> Result<U256, Revert> {
    world.call(who, VAULT, &IVault::depositCall { assets, receiver: who })
}

/// Requests redemption of `shares` LRT as `who` (controller and owner); returns the id.
pub fn request(world: &World, who: Address, shares: U256) -> Result<U256, Revert> {
    world.call(who, VAULT, &IVault::requestRedeemCall { shares, controller: who, owner: who })
}

/// Claims `shares` LRT of `who`'s oldest requests, paid to `who`; returns the assets.
pub fn claim(world: &World, who: Address, shares: U256) -> Result<U256, Revert> {
    world.call(who, VAULT, &IVault::redeemCall { shares, receiver: who, controller: who })
}

/// LRT held by `who`.
pub fn lrt_balance(world: &World, who: Address) -> U256 {
    world.call(OWNER, VAULT, &IVault::balanceOfCall { account: who }).unwrap()
}

/// The vault's rate (assets per 1e18 LRT).
pub fn rate(world: &World) -> U256 {
    world.call(OWNER, VAULT, &IVault::getRateCall {}).unwrap()
}

/// The vault's total assets.
pub fn total_assets(world: &World) -> U256 {
    world.call(OWNER, VAULT, &IVault::totalAssetsCall {}).unwrap()
}

/// Assets `shares` LRT are worth.
pub fn to_assets(world: &World, shares: U256) -> U256 {
    world.call(OWNER, VAULT, &IVault::convertToAssetsCall { shares }).unwrap()
}

/// Rebases the token by `percent_up` percent (stETH-like rewards).
pub fn reward(world: &World, percent_up: u64) {
    let factor = world.call(OWNER, TOKEN, &IToken::rebaseFactorCall {}).unwrap();
    world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: factor * U256::from(100 + percent_up) / U256::from(100) }).unwrap();
}

/// Rebases the token down by `percent_down` percent (an LST's loss).
pub fn rebase_down(world: &World, percent_down: u64) {
    let factor = world.call(OWNER, TOKEN, &IToken::rebaseFactorCall {}).unwrap();
    world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: factor * U256::from(100 - percent_down) / U256::from(100) }).unwrap();
}

/// `who` claims the vault's rewards in `tokens` from OPERATOR's pool.
pub fn claim_vault_rewards(world: &World, who: Address, tokens: Vec<Address>) -> Result<(), Revert> {
    world.call(who, VAULT, &IAdmin::claimRewardsCall { operators: vec![OPERATOR], rewardTokens: tokens }).map(|_| ())
}
