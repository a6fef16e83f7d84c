//! `keel stake ...` and `keel operator ...`: a staker's and an operator's
//! transactions, each checked and explained.

use crate::{
    bindings::{
        delegation_manager::IDelegationManager::WithdrawalQueued,
        strategy_manager::IStrategyManager::{SlashedSharesCleared, StakeMigrated},
        IDelegationManager, IStrategyManager, ITestToken,
    },
    client::{logged, Client},
    fmt,
    revert::explain,
};
use alloy::{
    contract::{CallBuilder, CallDecoder},
    primitives::{Address, Bytes, B256, U256},
    providers::DynProvider,
    rpc::types::TransactionReceipt,
    signers::SignerSync,
    sol_types::SolCall,
};
use anyhow::{ensure, Context, Result};
use keel_math::eip712::{permit_struct_hash, typed_data_digest};

/// Where slashed shares go when a condition names no redistribution
/// recipient (the AVS registry's burn address).
pub const BURN_ADDRESS: Address = alloy::primitives::address!("000000000000000000000000000000000000dEaD");

/// The contracts a staker or operator talks to.
pub struct Keel {
    /// The connection, signing as the acting account.
    pub client: Client,
    /// StrategyManager address.
    pub sm: Address,
    /// DelegationManager address.
    pub dm: Address,
}

/// Sends a contract call and waits for a successful receipt, with a spinner
/// on a terminal meanwhile.
macro_rules! send {
    ($call:expr, $what:expr) => {{
        let _spinner = $crate::progress::Spinner::start(format!("{}: waiting for the receipt", $what));
        $crate::client::succeeded($call.send().await.map_err($crate::revert::explain)?.get_receipt().await?, $what)
    }};
}
pub(crate) use send;

/// Sends an `act` call (one an operator or AVS may appoint others to make)
/// as `$target`'s acting account: directly, or wrapped in `callAs` for an
/// appointee. `$target` has `acting: Option<Address>`, an `appointees()`
/// instance and the contract instance `$instance()`.
macro_rules! act {
    ($target:expr, $instance:ident, $method:ident($($arg:expr),* $(,)?), $what:expr) => {{
        let instance = $target.$instance();
        $crate::stake::act!(@send $target, instance.$method($($arg),*), $what)
    }};
    (@send $target:expr, $call:expr, $what:expr) => {{
        let call = $call;
        match $target.acting {
            Some(account) => {
                $crate::stake::send!($target.appointees().callAs(account, call.calldata().clone()), concat!("callAs(", $what, ")"))
            }
            None => $crate::stake::send!(call, $what),
        }
    }};
}
pub(crate) use act;

impl Keel {
    fn strategy_manager(&self) -> IStrategyManager::IStrategyManagerInstance<DynProvider> {
        IStrategyManager::new(self.sm, self.client.provider.clone())
    }

    fn delegation_manager(&self) -> IDelegationManager::IDelegationManagerInstance<DynProvider> {
        IDelegationManager::new(self.dm, self.client.provider.clone())
    }

    /// Refuses a deposit that cannot succeed before sending anything: a
    /// `token` without code, or a balance below `amount`. Returns the token's symbol.
    pub async fn check_deposit(&self, token: Address, amount: U256) -> Result<String> {
        self.client.require_contract(token).await?;
        let erc20 = ITestToken::new(token, self.client.provider.clone());
        let symbol = erc20.symbol().call().await.unwrap_or_else(|_| "tokens".into());
        let balance = erc20.balanceOf(self.client.from).call().await.map_err(explain)?;
        ensure!(balance >= amount, "{}", fmt::shortfall(balance, amount, &symbol));
        Ok(symbol)
    }

    /// Checks the deposit ([`Keel::check_deposit`]), approves the
    /// StrategyManager if its allowance is short, deposits `amount` of
    /// `token`; returns the shares minted.
    pub async fn deposit(&self, token: Address, amount: U256) -> Result<U256> {
        let symbol = self.check_deposit(token, amount).await?;
        let erc20 = ITestToken::new(token, self.client.provider.clone());
        if erc20.allowance(self.client.from, self.sm).call().await.map_err(explain)? < amount {
            send!(erc20.approve(self.sm, U256::MAX), "approve")?;
        }
        self.deposit_by(token, amount, &symbol, self.strategy_manager().depositIntoStrategy(token, amount)).await
    }

    /// Deposits `amount` of `token` in one transaction: an EIP-2612 permit
    /// for exactly that amount, valid for an hour, stands in for an approval.
    pub async fn deposit_with_permit(&self, token: Address, amount: U256) -> Result<U256> {
        let symbol = self.check_deposit(token, amount).await?;
        let erc20 = ITestToken::new(token, self.client.provider.clone());
        let domain = erc20.DOMAIN_SEPARATOR().call().await.map_err(explain)?;
        let nonce = erc20.nonces(self.client.from).call().await.map_err(explain)?;
        let deadline = U256::from(self.client.now().await? + 3_600);
        let digest = typed_data_digest(domain, permit_struct_hash(self.client.from, self.sm, amount, nonce, deadline));
        let signature = self.client.signer.sign_hash_sync(&digest)?;
        let (v, r, s) = (27 + u8::from(signature.v()), signature.r().into(), signature.s().into());
        self.deposit_by(token, amount, &symbol, self.strategy_manager().depositIntoStrategyWithPermit(token, amount, deadline, v, r, s))
            .await
    }

    /// Sends a deposit call and reports the shares it minted.
    async fn deposit_by<C: CallDecoder>(
        &self,
        token: Address,
        amount: U256,
        symbol: &str,
        call: CallBuilder<&DynProvider, C>,
    ) -> Result<U256> {
        let sm = self.strategy_manager();
        let before = sm.stakerDepositShares(self.client.from, token).call().await.map_err(explain)?;
        let receipt = send!(call, "deposit")?;
        let shares = sm.stakerDepositShares(self.client.from, token).call().await.map_err(explain)? - before;
        println!(
            "deposited {} into the {token} strategy: {} shares (tx {}, gas {})",
            fmt::tokens(amount, symbol),
            fmt::amount(shares),
            receipt.transaction_hash,
            receipt.gas_used
        );
        Ok(shares)
    }

    /// Delegates all the account's shares to `operator` (open operators only).
    pub async fn delegate(&self, operator: Address) -> Result<TransactionReceipt> {
        let receipt = send!(self.delegation_manager().delegateTo(operator, U256::ZERO, Bytes::new(), B256::ZERO), "delegateTo")?;
        println!("delegated {} to operator {operator} (gas {})", self.client.from, receipt.gas_used);
        Ok(receipt)
    }

    /// Undelegates `staker`; returns the withdrawal root of its shares.
    pub async fn undelegate(&self, staker: Address) -> Result<B256> {
        let receipt = send!(self.delegation_manager().undelegate(staker), "undelegate")?;
        let root = logged::<WithdrawalQueued>(&receipt).first().map(|e| e.root).unwrap_or_default();
        println!("undelegated {staker}; withdrawal {root} queued");
        Ok(root)
    }

    /// Queues `shares` deposit shares of `token`; returns the withdrawal root.
    pub async fn queue_withdrawal(&self, token: Address, shares: U256) -> Result<B256> {
        let receipt = send!(self.delegation_manager().queueWithdrawal(vec![token], vec![shares]), "queueWithdrawal")?;
        let root = logged::<WithdrawalQueued>(&receipt).first().map(|e| e.root).context("no WithdrawalQueued event")?;
        let completable = self.delegation_manager().queuedWithdrawal(root).call().await.map_err(explain)?._2;
        println!("queued {} shares of {token}: withdrawal {root}, completable at {completable}", fmt::amount(shares));
        Ok(root)
    }

    /// Completes withdrawal `root` as tokens (or as re-delegated shares).
    pub async fn complete_withdrawal(&self, root: B256, as_tokens: bool) -> Result<TransactionReceipt> {
        let receipt = send!(self.delegation_manager().completeQueuedWithdrawal(root, as_tokens), "completeQueuedWithdrawal")?;
        println!("completed withdrawal {root} {} (gas {})", if as_tokens { "as tokens" } else { "as shares" }, receipt.gas_used);
        Ok(receipt)
    }

    /// Completes every one of `roots` in one transaction, through the
    /// DelegationManager's `multicall`: all of them or none.
    pub async fn complete_withdrawals(&self, roots: &[B256], as_tokens: bool) -> Result<TransactionReceipt> {
        let calls = roots
            .iter()
            .map(|root| IDelegationManager::completeQueuedWithdrawalCall { root: *root, receiveAsTokens: as_tokens }.abi_encode().into())
            .collect();
        let receipt = send!(self.delegation_manager().multicall(calls), "multicall(completeQueuedWithdrawal...)")?;
        println!(
            "completed {} withdrawals {} in one transaction (gas {})",
            roots.len(),
            if as_tokens { "as tokens" } else { "as shares" },
            receipt.gas_used
        );
        Ok(receipt)
    }

    /// Moves the account's whole deposit in each of `tokens` to the
    /// successor StrategyManager in one transaction (docs/upgrades.md; more
    /// than one token through `multicall`, all or nothing); returns the
    /// shares the successor minted per token. Refused before sending if no
    /// successor is named or the account is delegated (its stake is
    /// slashable, so it leaves through the queue first).
    pub async fn migrate(&self, tokens: Vec<Address>) -> Result<Vec<U256>> {
        let sm = self.strategy_manager();
        let successor = sm.migrationPeers().call().await.map_err(explain)?._0;
        ensure!(!successor.is_zero(), "this deployment names no successor yet: nothing to migrate to");
        let me = self.client.from;
        let operator = self.delegation_manager().delegatedTo(me).call().await.map_err(explain)?;
        ensure!(
            operator.is_zero(),
            "{me} is delegated to {operator}, so its stake is slashable and moves through the queue: \
             `keel stake undelegate`, wait out the withdrawal delay, `keel stake complete-withdrawal --as-shares`, then migrate"
        );
        let receipt = match tokens.as_slice() {
            [token] => send!(sm.migrate(*token), "migrate")?,
            _ => {
                let calls = tokens.iter().map(|token| IStrategyManager::migrateCall { token: *token }.abi_encode().into()).collect();
                send!(sm.multicall(calls), "multicall(migrate...)")?
            }
        };
        let moved = logged::<StakeMigrated>(&receipt);
        for m in &moved {
            println!(
                "moved {} shares of {} ({} tokens) to {}: {} shares there",
                fmt::amount(m.shares),
                m.token,
                fmt::amount(m.amount),
                m.successor,
                fmt::amount(m.newShares)
            );
        }
        println!("migrated {} strategies in one transaction (gas {})", moved.len(), receipt.gas_used);
        Ok(moved.iter().map(|m| m.newShares).collect())
    }

    /// Names `successor` as the StrategyManager this deployment's stakers
    /// may migrate to (the owner only; once).
    pub async fn name_successor(&self, successor: Address) -> Result<TransactionReceipt> {
        self.client.require_contract(successor).await?;
        let peers = IStrategyManager::new(successor, self.client.provider.clone()).migrationPeers().call().await.map_err(explain)?;
        ensure!(peers._1 == self.sm, "{successor} does not name {} as its predecessor: deploy it with `predecessor` set", self.sm);
        let receipt = send!(self.strategy_manager().setSuccessor(successor), "setSuccessor")?;
        println!("named {successor} the successor of {}: its stakers may now migrate (gas {})", self.sm, receipt.gas_used);
        Ok(receipt)
    }

    /// Pays the slashed shares of `token` that `avs`'s slashes owe
    /// `recipient` (any `avs` for the burn address; anyone may pay, once
    /// their escrow is over); refused before sending while they are in
    /// escrow, with the time they become payable. Returns the tokens paid.
    pub async fn pay_slashed(&self, token: Address, recipient: Address, avs: Address) -> Result<U256> {
        let sm = self.strategy_manager();
        let escrow = sm.slashEscrow(token, recipient, avs).call().await.map_err(explain)?;
        ensure!(!escrow._0.is_zero(), "no slashed shares of {token} are owed to {recipient} by {avs}'s slashes");
        let now = self.client.now().await?;
        ensure!(
            now >= escrow._1,
            "{} slashed shares of {token} for {recipient} are in escrow until {} ({} s from now)",
            fmt::amount(escrow._0),
            escrow._1,
            escrow._1 - now
        );
        let receipt = send!(sm.clearSlashedShares(token, recipient, avs), "clearSlashedShares")?;
        let paid = logged::<SlashedSharesCleared>(&receipt).first().map(|e| e.amount).unwrap_or_default();
        println!(
            "paid {} slashed shares of {token} to {recipient}: {} tokens (gas {})",
            fmt::amount(escrow._0),
            fmt::amount(paid),
            receipt.gas_used
        );
        Ok(paid)
    }

    /// Sets the slash escrow to `seconds` (the owner only; 1 to 30 days).
    pub async fn set_slash_escrow(&self, seconds: u64) -> Result<TransactionReceipt> {
        let receipt = send!(self.strategy_manager().setSlashEscrowDelay(seconds), "setSlashEscrowDelay")?;
        println!("slashed shares now wait {seconds} s in escrow before payout (gas {})", receipt.gas_used);
        Ok(receipt)
    }

    /// Mints `amount` of test token `token` to `to` (the token's owner only).
    pub async fn mint(&self, token: Address, to: Address, amount: U256) -> Result<TransactionReceipt> {
        self.client.require_contract(token).await?;
        let receipt = send!(ITestToken::new(token, self.client.provider.clone()).mint(to, amount), "mint")?;
        println!("minted {} of {token} to {to}", fmt::amount(amount));
        Ok(receipt)
    }

    /// Registers the account as an operator.
    pub async fn register_operator(&self, approver: Address, metadata_uri: String) -> Result<TransactionReceipt> {
        let receipt = send!(self.delegation_manager().registerAsOperator(approver, metadata_uri), "registerAsOperator")?;
        println!("registered operator {} (approver {approver})", self.client.from);
        Ok(receipt)
    }
}
