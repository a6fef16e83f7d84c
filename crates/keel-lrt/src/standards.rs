//! The vault's ERC-4626 limits and previews, with ERC-7540's rules for an
//! asynchronous-redemption vault, ERC-7540's operators and ERC-165.
//!
//! **Deposits are synchronous**: `maxDeposit` and `maxMint` are zero while
//! deposits are paused or refused (the vault's operator undelegated it:
//! see `adoptWithdrawal`), else the room under the cap; `previewDeposit`
//! (rounded down) and `previewMint` (rounded up) price the deposit as it
//! will run, after the performance fee its checkpoint mints.
//!
//! **Redemptions are asynchronous**: `requestRedeem` then a claim, `redeem`
//! (by LRT) or `withdraw` (by assets), of whole requests, oldest first.
//! `maxRedeem` and `maxWithdraw` are what the controller's claimable
//! requests hold and pay now (zero while claims are paused), and
//! `previewRedeem` and `previewWithdraw` revert for every input, as
//! ERC-7540 requires: what a request pays is only known at the claim.
//!
//! **Operators** (ERC-7540): an account approves an operator with
//! `setOperator(operator, true)`; the operator may then request redemptions
//! of the account's LRT without an allowance, claim its requests to any
//! receiver, and redeem its LRT instantly. It cannot move the account's LRT
//! by `transfer`/`transferFrom` without an allowance, nor approve others.

use crate::{errors::*, restaking, LrtVault, PAUSED_CLAIMS, PAUSED_DEPOSITS};
use alloy_primitives::{Address, FixedBytes, U256};
use keel_components::{emit, revert, Revert};
use keel_math::{
    mul_div,
    vault::{fair_exit, to_assets, to_shares, WAD},
    Rounding,
};
use stylus_sdk::prelude::*;

/// ERC-165 interface id of ERC-165 itself (`supportsInterface`).
pub const ERC165_ID: [u8; 4] = [0x01, 0xff, 0xc9, 0xa7];
/// ERC-165 id of ERC-7540's operator functions (`isOperator`, `setOperator`).
pub const ERC7540_OPERATOR_ID: [u8; 4] = [0xe3, 0xbc, 0x4e, 0x65];
/// ERC-165 id of ERC-7540's asynchronous redemption (`requestRedeem`,
/// `pendingRedeemRequest`, `claimableRedeemRequest`).
pub const ERC7540_REDEEM_ID: [u8; 4] = [0x62, 0x0e, 0xe8, 0xe4];
/// ERC-165 id of ERC-7575 (ERC-4626's functions and `share`).
pub const ERC7575_ID: [u8; 4] = [0x2f, 0x0a, 0x18, 0xc5];

impl LrtVault {
    /// Assets `receiver` may deposit now: the room under the cap; zero
    /// while deposits are paused or the vault's operator undelegated it.
    pub fn max_deposit(&self, _receiver: Address) -> Result<U256, Revert> {
        if self.access.is_paused(PAUSED_DEPOSITS) || self.forced_out()? {
            return Ok(U256::ZERO);
        }
        Ok(crate::limit_from(self.deposit_cap.get()).saturating_sub(self.total_assets()?))
    }

    /// LRT `receiver` may mint now: what the room under the cap buys
    /// (unlimited with no cap).
    pub fn max_mint(&self, receiver: Address) -> Result<U256, Revert> {
        let room = self.max_deposit(receiver)?;
        if room == U256::MAX {
            return Ok(U256::MAX);
        }
        let (total, supply) = self.priced()?;
        Ok(to_shares(room, total, supply, Rounding::Down).unwrap_or_default())
    }

    /// LRT a deposit of `assets` mints now (rounded down), after the
    /// performance fee its checkpoint mints.
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, Revert> {
        let (total, supply) = self.priced()?;
        Ok(to_shares(assets, total, supply, Rounding::Down).unwrap_or_default())
    }

    /// Assets a mint of `shares` LRT takes now (rounded up), after the
    /// performance fee its checkpoint mints.
    pub fn preview_mint(&self, shares: U256) -> Result<U256, Revert> {
        let (total, supply) = self.priced()?;
        Ok(to_assets(shares, total, supply, Rounding::Up).unwrap_or_default())
    }

    /// LRT `controller` can claim now with `redeem`: its oldest open
    /// requests that are claimable, up to the first that is not (claims take
    /// requests in order); zero while claims are paused.
    pub fn max_redeem(&self, controller: Address) -> Result<U256, Revert> {
        Ok(self.claimable(controller)?.0)
    }

    /// Assets `controller` can claim now with `withdraw`: what the requests
    /// of [`max_redeem`](Self::max_redeem) pay if claimed now.
    pub fn max_withdraw(&self, controller: Address) -> Result<U256, Revert> {
        Ok(self.claimable(controller)?.1)
    }

    /// Reverts (`AsyncRedemption`): redemptions are asynchronous (ERC-7540).
    pub fn preview_redeem(&self, _shares: U256) -> Result<U256, Revert> {
        Err(revert!(AsyncRedemption {}))
    }

    /// Reverts (`AsyncRedemption`): redemptions are asynchronous (ERC-7540).
    pub fn preview_withdraw(&self, _assets: U256) -> Result<U256, Revert> {
        Err(revert!(AsyncRedemption {}))
    }

    /// ERC-7540: approves (or revokes) `operator` to act for the caller in
    /// redemptions (see the module's doc); returns true.
    pub fn set_operator(&mut self, operator: Address, approved: bool) -> bool {
        let controller = self.vm().msg_sender();
        self.operators.setter(controller).setter(operator).set(approved);
        emit!(self.vm(), OperatorSet; [controller, operator]; [approved]);
        true
    }

    /// ERC-7540: whether `operator` may act for `controller`.
    pub fn is_operator(&self, controller: Address, operator: Address) -> bool {
        self.operators.getter(controller).get(operator)
    }

    /// ERC-165: ERC-165, ERC-7575 and ERC-7540's operators and asynchronous redemption.
    pub fn supports_interface(&self, interface_id: FixedBytes<4>) -> bool {
        [ERC165_ID, ERC7575_ID, ERC7540_OPERATOR_ID, ERC7540_REDEEM_ID].contains(&interface_id.0)
    }

    /// ERC-7575: the share token, the vault itself.
    pub fn share(&self) -> Address {
        self.vm().contract_address()
    }
}

impl LrtVault {
    /// Refuses unless the caller is `account` or an operator it approved.
    pub(crate) fn only_self_or_operator(&self, account: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller != account && !self.is_operator(account, caller) {
            return Err(revert!(NotController { caller, controller: account }));
        }
        Ok(())
    }

    /// Whether the vault's operator undelegated it without the manager
    /// (every flow that prices LRT refuses then: `ForcedUndelegation`).
    pub(crate) fn forced_out(&self) -> Result<bool, Revert> {
        let (dm, me) = (self.delegation_manager.get(), self.vm().contract_address());
        Ok(restaking::delegated_to(self.vm(), dm, me)? != self.operator.get())
    }

    /// (assets, LRT supply) a deposit is priced at now: the supply counts
    /// the performance fee the deposit's checkpoint mints first.
    fn priced(&self) -> Result<(U256, U256), Revert> {
        let total = self.total_assets()?;
        let supply = self.supply.get();
        Ok((total, supply + self.fee_due(total, supply)))
    }

    /// (LRT, assets) of `controller`'s requests a claim can take now.
    fn claimable(&self, controller: Address) -> Result<(U256, U256), Revert> {
        let (mut shares, mut assets) = (U256::ZERO, U256::ZERO);
        if self.access.is_paused(PAUSED_CLAIMS) {
            return Ok((shares, assets));
        }
        // A claim books the buffer's rebases first: value the reserve after them.
        let index = self.fallen_index(self.buffer()?.1);
        let ids = self.controller_requests.getter(controller);
        let now = U256::from(self.vm().block_timestamp());
        for i in ids.head()..ids.len() {
            let id = ids.id(i);
            let r = self.requests.getter(id);
            if !r.open() {
                continue;
            }
            if now < r.claimable_at() {
                break;
            }
            shares += r.shares();
            assets += self.claim_value(id, index)?;
        }
        Ok((shares, assets))
    }

    /// What request `id` pays if claimed now, with the reserve at `index`:
    /// the lower of its value at request and what its parts are worth.
    fn claim_value(&self, id: U256, index: U256) -> Result<U256, Revert> {
        let r = self.requests.getter(id);
        let mut value = mul_div(r.buffer_units(), index, WAD, Rounding::Down).unwrap_or_default();
        let root = r.root(self.vm().contract_address());
        if !root.is_zero() {
            let (sm, dm, asset) = (self.strategy_manager.get(), self.delegation_manager.get(), self.asset.get());
            let shares = restaking::queued_shares(self.vm(), dm, root)?;
            value += restaking::to_underlying(self.vm(), sm, asset, shares)?;
        }
        Ok(fair_exit(r.assets(), value))
    }
}
