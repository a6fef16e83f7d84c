//! Keel's test ERC-20.
//!
//! A plain ERC-20 with EIP-2612 `permit` and owner-only `mint`, plus three
//! owner switches that make it behave like the tokens Keel must survive:
//! * **rebasing** (`rebase`): every balance is `raw × factor / 1e18`, as stETH's
//!   balances move with its share price;
//! * **fee on transfer** (`setTransferFee`): a cut of every transfer is burned,
//!   so the receiver gets less than was sent;
//! * **transfer hook** (`setTransferHook`): every transfer calls a contract,
//!   like an ERC-777 hook, so re-entrancy attacks can be staged.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

pub mod errors;

use alloc::{string::String, vec::Vec};
use alloy_primitives::{Address, Bytes, B256, U256};
use errors::*;
use keel_components::{
    access::{Access, ZeroAddress},
    allowances::Allowances,
    calls::call_or_revert,
    emit, revert,
    short_string::ShortString,
    Revert,
};
use keel_math::{eip712::domain_separator, mul_div, Rounding};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU16, StorageU256, StorageU8, StorageUint, StorageVec},
};

/// 1e18, the rebase factor's unit.
const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// 100% in basis points.
const MAX_BPS: U256 = U256::from_limbs([10_000, 0, 0, 0]);
/// Largest rebase factor: the factor is stored in 80 bits (about 1.2
/// million × 1e18) beside the hook and the fee, so one word configures a transfer.
pub const MAX_REBASE_FACTOR: U256 = U256::from_limbs([u64::MAX, 0xffff, 0, 0]);

/// Storage of the test token.
#[storage]
pub struct TestToken {
    access: Access,
    name: ShortString,
    symbol: ShortString,
    decimals: StorageU8,
    raw_balances: StorageMap<Address, StorageU256>,
    raw_supply: StorageU256,
    allowances: Allowances,
    hook_target: StorageAddress,
    fee_bps: StorageU16,
    rebase_factor: StorageUint<80, 2>,
    hook_len: StorageU256,
    hook_words: StorageVec<StorageB256>,
}

// SAFETY: `TestToken` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for TestToken {}

keel_components::contract_abi! {
    TestToken: "ITestToken", access: access,
        constructor(name: String, symbol: String, decimals: u8, owner: Address) => constructor,
        items: [errors::TestTokenAbi, keel_components::access::AccessControlAbi, keel_components::calls::CallsAbi, keel_components::allowances::AllowancesAbi];
    view name() -> (String) => name;
    view symbol() -> (String) => symbol;
    view decimals() -> (u8) => decimals;
    view totalSupply() -> (U256) => total_supply;
    view balanceOf(account: Address) -> (U256) => balance_of;
    view rawBalanceOf(account: Address) -> (U256) => raw_balance_of;
    view rebaseFactor() -> (U256) => rebase_factor;
    view transferFeeBps() -> (U256) => transfer_fee_bps;
    view allowance(owner: Address, spender: Address) -> (U256) => allowance;
    write transfer(to: Address, value: U256) -> (bool) => transfer;
    write transferFrom(from: Address, to: Address, value: U256) -> (bool) => transfer_from;
    write approve(spender: Address, value: U256) -> (bool) => approve;
    write permit(owner: Address, spender: Address, value: U256, deadline: U256, v: u8, r: B256, s: B256) => permit;
    view nonces(owner: Address) -> (U256) => nonces;
    view DOMAIN_SEPARATOR() -> (B256) => domain_separator;
    write mint(to: Address, value: U256) => mint;
    write rebase(factorWad: U256) => rebase;
    write setTransferFee(bps: U256) => set_transfer_fee;
    write setTransferHook(target: Address, data: Bytes) => set_transfer_hook;
}

impl TestToken {
    /// Sets the token's metadata and its owner (who alone may mint and switch modes).
    pub fn constructor(&mut self, name: String, symbol: String, decimals: u8, owner: Address) -> Result<(), Revert> {
        self.access.init(owner)?;
        self.name.set(&name).map_err(|_| revert!(NameTooLong {}))?;
        self.symbol.set(&symbol).map_err(|_| revert!(NameTooLong {}))?;
        self.decimals.set(alloy_primitives::Uint::from(decimals));
        self.rebase_factor.set(WAD.to());
        Ok(())
    }

    /// Token name.
    pub fn name(&self) -> String {
        self.name.get()
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        self.symbol.get()
    }

    /// Decimal places of one unit.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to()
    }

    /// Total supply at the current rebase factor.
    pub fn total_supply(&self) -> U256 {
        self.to_balance(self.raw_supply.get())
    }

    /// Balance of `account` at the current rebase factor.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.to_balance(self.raw_balances.get(account))
    }

    /// Raw (pre-rebase) balance of `account`, like stETH's shares.
    pub fn raw_balance_of(&self, account: Address) -> U256 {
        self.raw_balances.get(account)
    }

    /// Current rebase factor (1e18 = no rebase).
    pub fn rebase_factor(&self) -> U256 {
        U256::from(self.rebase_factor.get())
    }

    /// Fee burned on every transfer, in basis points.
    pub fn transfer_fee_bps(&self) -> U256 {
        U256::from(self.fee_bps.get())
    }

    /// Remaining allowance of `spender` over `owner`'s tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.allowance(owner, spender)
    }

    /// Moves `value` from the caller to `to`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Revert> {
        let from = self.vm().msg_sender();
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// Moves `value` from `from` to `to` using the caller's allowance.
    pub fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Revert> {
        let spender = self.vm().msg_sender();
        self.allowances.spend(from, spender, value)?;
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// Lets `spender` move up to `value` of the caller's tokens.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Revert> {
        let owner = self.vm().msg_sender();
        self.allowances.approve(owner, spender, value);
        Ok(true)
    }

    /// EIP-2612: approval by the owner's signature.
    #[allow(clippy::too_many_arguments)]
    pub fn permit(&mut self, owner: Address, spender: Address, value: U256, deadline: U256, v: u8, r: B256, s: B256) -> Result<(), Revert> {
        let domain = self.domain_separator();
        self.allowances.permit(domain, owner, spender, value, deadline, v, r, s)
    }

    /// Next permit nonce of `owner`.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.allowances.nonce(owner)
    }

    /// EIP-712 domain separator of permits.
    pub fn domain_separator(&self) -> B256 {
        domain_separator(&self.name.get(), "1", self.vm().chain_id(), self.vm().contract_address())
    }

    /// Owner creates `value` tokens for `to`.
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        if to.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let raw = self.to_raw(value, Rounding::Down);
        self.raw_supply.set(self.raw_supply.get() + raw);
        let balance = self.raw_balances.get(to);
        self.raw_balances.setter(to).set(balance + raw);
        emit!(self.vm(), Transfer; [Address::ZERO, to]; [value]);
        Ok(())
    }

    /// Owner rescales every balance: balance = raw × `factor_wad` / 1e18.
    pub fn rebase(&mut self, factor_wad: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        if factor_wad.is_zero() || factor_wad > MAX_REBASE_FACTOR {
            return Err(revert!(InvalidRebaseFactor {}));
        }
        self.rebase_factor.set(factor_wad.to());
        emit!(self.vm(), Rebased; []; [factor_wad]);
        Ok(())
    }

    /// Owner sets the fee burned on every transfer (basis points).
    pub fn set_transfer_fee(&mut self, bps: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        if bps > MAX_BPS {
            return Err(revert!(FeeTooHigh { bps }));
        }
        self.fee_bps.set(bps.to());
        emit!(self.vm(), TransferFeeSet; []; [bps]);
        Ok(())
    }

    /// Owner makes every transfer call `target` with `data` (zero target disables).
    pub fn set_transfer_hook(&mut self, target: Address, data: Bytes) -> Result<(), Revert> {
        self.access.only_owner()?;
        self.hook_target.set(target);
        self.hook_len.set(U256::from(data.len()));
        for (i, chunk) in data.chunks(32).enumerate() {
            let mut word = B256::ZERO;
            word[..chunk.len()].copy_from_slice(chunk);
            match self.hook_words.setter(i) {
                Some(mut slot) => slot.set(word),
                None => self.hook_words.push(word),
            }
        }
        self.vm().log(TransferHookSet { target, data });
        Ok(())
    }
}

impl TestToken {
    fn to_balance(&self, raw: U256) -> U256 {
        mul_div(raw, self.rebase_factor(), WAD, Rounding::Down).unwrap_or(U256::MAX)
    }

    fn to_raw(&self, value: U256, rounding: Rounding) -> U256 {
        mul_div(value, WAD, self.rebase_factor(), rounding).unwrap_or(U256::MAX)
    }

    /// Debits `ceil(value)` raw units from `from`, burns the fee, credits the rest, then runs the hook.
    fn move_tokens(&mut self, from: Address, to: Address, value: U256) -> Result<(), Revert> {
        if to.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let raw = self.to_raw(value, Rounding::Up);
        let have = self.raw_balances.get(from);
        if have < raw {
            return Err(revert!(InsufficientBalance { from, have: self.to_balance(have), want: value }));
        }
        let fee = mul_div(raw, self.transfer_fee_bps(), MAX_BPS, Rounding::Up).unwrap_or(raw);
        self.raw_balances.setter(from).set(have - raw);
        let to_balance = self.raw_balances.get(to);
        self.raw_balances.setter(to).set(to_balance + raw - fee);
        if !fee.is_zero() {
            self.raw_supply.set(self.raw_supply.get() - fee);
        }
        emit!(self.vm(), Transfer; [from, to]; [self.to_balance(raw - fee)]);
        self.run_hook()
    }

    fn run_hook(&mut self) -> Result<(), Revert> {
        let target = self.hook_target.get();
        if target.is_zero() {
            return Ok(());
        }
        let len: usize = self.hook_len.get().to();
        let mut data = Vec::with_capacity(len.div_ceil(32) * 32);
        for i in 0..len.div_ceil(32) {
            data.extend_from_slice(self.hook_words.get(i).unwrap_or_default().as_slice());
        }
        data.truncate(len);
        let context = Call::new_mutating(self);
        call_or_revert(self.vm(), context, target, &data).map(|_| ())
    }
}
