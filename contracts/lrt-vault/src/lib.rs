//! Keel's LRT vault contract: a liquid restaking token over one LST.
//!
//! Routes the ERC-20, ERC-4626 deposits with their limits and previews,
//! ERC-7540 redemptions (requests, claims, operators), ERC-165, instant
//! redemption and `multicall`; every other selector (settings, restaking
//! operator changes, reward claims, the keeper's `rebalance`, permit, the
//! `holdings`, `redeemRequest` and `controllerRedeems` views and the
//! per-request ERC-7540 views) runs in the admin extension fixed by the
//! constructor (`keel-lrt-vault-admin`) by `delegatecall` on the vault's
//! storage. The storage and logic live in [`keel_lrt`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

extern crate alloc;

use alloc::string::String;
use alloy_primitives::{Address, FixedBytes, U256};
pub use keel_lrt::{errors, LrtVault};
// The entry point's WASM expansion needs the host traits in scope.
#[allow(unused_imports)]
use stylus_sdk::prelude::*;

keel_components::contract_abi! {
    LrtVault: "ILrtVault", access: access,
        constructor(owner: Address, asset: Address, strategyManager: Address, delegationManager: Address, extension: Address, name: String, symbol: String) => constructor,
        fallback => forward_to_extension, batch: multicall,
        items: [keel_lrt::errors::LrtVaultAbi, keel_components::access::AccessControlAbi, keel_components::calls::CallsAbi, keel_components::allowances::AllowancesAbi];
    view name() -> (String) => name;
    view symbol() -> (String) => symbol;
    view decimals() -> (u8) => decimals;
    view totalSupply() -> (U256) => total_supply;
    view balanceOf(account: Address) -> (U256) => balance_of;
    view allowance(owner: Address, spender: Address) -> (U256) => allowance;
    write transfer(to: Address, value: U256) -> (bool) => transfer;
    write transferFrom(from: Address, to: Address, value: U256) -> (bool) => transfer_from;
    write approve(spender: Address, value: U256) -> (bool) => approve;
    view asset() -> (Address) => asset;
    view totalAssets() -> (U256) => total_assets;
    view convertToShares(assets: U256) -> (U256) => convert_to_shares;
    view convertToAssets(shares: U256) -> (U256) => convert_to_assets;
    view getRate() -> (U256) => get_rate;
    view share() -> (Address) => share;
    view maxDeposit(receiver: Address) -> (U256) => max_deposit;
    view maxMint(receiver: Address) -> (U256) => max_mint;
    view maxWithdraw(controller: Address) -> (U256) => max_withdraw;
    view maxRedeem(controller: Address) -> (U256) => max_redeem;
    view previewDeposit(assets: U256) -> (U256) => preview_deposit;
    view previewMint(shares: U256) -> (U256) => preview_mint;
    view previewWithdraw(assets: U256) -> (U256) => preview_withdraw;
    view previewRedeem(shares: U256) -> (U256) => preview_redeem;
    write deposit(assets: U256, receiver: Address) -> (U256) => deposit;
    write depositWithMinShares(assets: U256, receiver: Address, minShares: U256) -> (U256) => deposit_with_min_shares;
    write mint(shares: U256, receiver: Address) -> (U256) => mint;
    write requestRedeem(shares: U256, controller: Address, owner: Address) -> (U256) => request_redeem;
    write redeem(shares: U256, receiver: Address, controller: Address) -> (U256) => redeem;
    write withdraw(assets: U256, receiver: Address, controller: Address) -> (U256) => withdraw;
    write setOperator(operator: Address, approved: bool) -> (bool) => set_operator;
    view isOperator(controller: Address, operator: Address) -> (bool) => is_operator;
    view supportsInterface(interfaceId: FixedBytes<4>) -> (bool) => supports_interface;
    write instantRedeem(shares: U256, receiver: Address, owner: Address, minAssets: U256) -> (U256) => instant_redeem;
}
