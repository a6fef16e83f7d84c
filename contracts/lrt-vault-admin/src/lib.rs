//! Keel's LRT vault admin extension: the vault's settings, restaking
//! operator changes, reward claims, keeper checkpoint, permit, non-standard
//! views, the per-request ERC-7540 views and the slash-request hold on
//! instant redemptions, run only by the vault's `delegatecall` on its storage
//! (see [`keel_lrt::extension`]; called directly, every function reverts
//! `NotViaVault`). Deploy it first and pass its address to the vault's
//! constructor; call its functions at the vault's address.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

extern crate alloc;

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
pub use keel_lrt::{errors, LrtVault};
// The entry point's WASM expansion needs the host traits in scope.
#[allow(unused_imports)]
use stylus_sdk::prelude::*;

keel_components::contract_abi! {
    LrtVault: "ILrtVaultAdmin", guard => only_via_vault,
        items: [keel_lrt::errors::LrtVaultAbi, keel_components::access::AccessControlAbi, keel_components::calls::CallsAbi, keel_components::allowances::AllowancesAbi];
    write permit(owner: Address, spender: Address, value: U256, deadline: U256, v: u8, r: B256, s: B256) => permit;
    view nonces(owner: Address) -> (U256) => nonces;
    view DOMAIN_SEPARATOR() -> (B256) => domain_separator;
    write setRestakingOperator(operator: Address) => set_restaking_operator;
    write completeMigration() => complete_migration;
    write adoptWithdrawal(root: B256) => adopt_withdrawal;
    write setManager(manager: Address) => set_manager;
    write setTreasury(treasury: Address) => set_treasury;
    write setFees(performanceBps: U256, instantBps: U256) => set_fees;
    write setLimits(depositCap: U256, dailyInstantLimit: U256, vestingPeriod: U256) => set_limits;
    write setBufferTarget(target: U256) => set_buffer_target;
    write claimRewards(operators: Vec<Address>, rewardTokens: Vec<Address>) => claim_rewards;
    write setRewardRecipient(recipient: Address) => set_reward_recipient;
    view rewardRecipient() -> (Address) => reward_recipient;
    view settings() -> (Address, Address, U256, U256, U256, U256, U256) => settings;
    view pendingRedeemRequest(requestId: U256, controller: Address) -> (U256) => pending_redeem_request;
    view claimableRedeemRequest(requestId: U256, controller: Address) -> (U256) => claimable_redeem_request;
    write holdInstantRedemptions(slashId: u64) => hold_instant_redemptions;
    view instantHeldUntil() -> (U256) => instant_held_until;
    write rebalance() => rebalance;
    view holdings() -> (U256, U256, U256, U256, U256) => holdings_view;
    view redeemRequest(requestId: U256) -> (Address, U256, U256, U256, bool) => redeem_request;
    view controllerRedeems(controller: Address) -> (U256, U256, U256, U256) => controller_redeems;
}
