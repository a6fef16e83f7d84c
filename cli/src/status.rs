//! `keel status [ADDRESS]`: the protocol as tables (or one JSON document with
//! `--json`), read from views and events (no indexer, no key needed).

mod avs;
mod lrt;
mod rewards;
pub(crate) mod table;

use crate::{
    bindings::{
        delegation_manager::IDelegationManager::{OperatorRegistered, WithdrawalQueued},
        strategy_manager::IStrategyManager::{SlashedSharesAdded, StrategyAdded},
        IDelegationManager, IStrategyManager, ITestToken,
    },
    client::Client,
    deployments::Deployments,
    fmt,
    revert::explain,
};
use alloy::{
    primitives::{Address, B256, U256},
    providers::Provider,
};
use anyhow::Result;
use serde_json::{json, Value};

/// Prints [`report`], or [`snapshot`] as JSON with `json`.
pub async fn status(client: &Client, record: &Deployments, account: Option<Address>, json: bool) -> Result<()> {
    if json {
        let mut document = snapshot(client, record, account).await?.to_json();
        if let Ok(vault) = record.address("LrtVault") {
            document["lrtVault"] = lrt::read(client, vault, record.address("DelegationManager")?, account).await?.to_json();
        }
        println!("{}", serde_json::to_string_pretty(&document)?);
    } else {
        print!("{}", report(client, record, account).await?);
    }
    Ok(())
}

/// A whitelisted (or once whitelisted) strategy.
pub struct Strategy {
    /// Its token.
    pub token: Address,
    /// The token's symbol (`?` if it has none).
    pub symbol: String,
    /// Tokens the StrategyManager holds (wei).
    pub tvl: U256,
    /// Shares outstanding (wei).
    pub shares: U256,
    /// Whether new deposits are accepted.
    pub whitelisted: bool,
}

/// An operator's delegated stake in one strategy.
pub struct OperatorStake {
    /// The operator.
    pub operator: Address,
    /// The strategy's token.
    pub token: Address,
    /// Shares delegated to it (wei).
    pub delegated: U256,
    /// Its slashing factor (wad, 1e18 = never slashed).
    pub slashing_factor: U256,
}

/// An account's deposit and withdrawable shares in one strategy.
pub struct Position {
    /// The strategy's token.
    pub token: Address,
    /// Deposit shares (wei).
    pub deposit: U256,
    /// Withdrawable shares after slashes (wei).
    pub withdrawable: U256,
}

/// Slashed shares of one strategy owed to one recipient (the burn address
/// or a redistribution recipient) by one AVS's slashes, in escrow until
/// `payable_at`.
pub struct Escrowed {
    /// The strategy's token.
    pub token: Address,
    /// Who they will be paid to.
    pub recipient: Address,
    /// The AVS whose slashes owe them (zero for burns, which share one record).
    pub avs: Address,
    /// Shares owed (wei).
    pub shares: U256,
    /// Unix time from which anyone may pay them (`keel avs pay-slashed`).
    pub payable_at: u64,
}

/// An account's positions and pending withdrawals.
pub struct Account {
    /// The account.
    pub address: Address,
    /// Its operator (`None`: not delegated).
    pub delegated_to: Option<Address>,
    /// One per strategy.
    pub positions: Vec<Position>,
    /// Pending withdrawals: root and the timestamp from which it completes.
    pub withdrawals: Vec<(B256, U256)>,
}

/// The core protocol's state: contracts, strategies, operators and, with an account, its positions.
pub struct Snapshot {
    /// The chain's id.
    pub chain_id: u64,
    /// The block read.
    pub block: u64,
    /// Contracts by name.
    pub contracts: Vec<(String, Address)>,
    /// Every strategy ever added.
    pub strategies: Vec<Strategy>,
    /// Every registered operator's stake per strategy.
    pub operators: Vec<OperatorStake>,
    /// The account asked about.
    pub account: Option<Account>,
    /// Slashed shares awaiting payment: one per (token, recipient) with any.
    pub escrow: Vec<Escrowed>,
    /// The StrategyManager's migration peers (docs/upgrades.md): the
    /// successor its stakers may move to and the predecessor they may come
    /// from, each `None` until named.
    pub migration: (Option<Address>, Option<Address>),
}

/// Reads the [`Snapshot`] of the deployment in `record`.
pub async fn snapshot(client: &Client, record: &Deployments, account: Option<Address>) -> Result<Snapshot> {
    let (sm_at, dm_at) = (record.address("StrategyManager")?, record.address("DelegationManager")?);
    let sm = IStrategyManager::new(sm_at, client.provider.clone());
    let dm = IDelegationManager::new(dm_at, client.provider.clone());
    let block = client.provider.get_block_number().await?;
    let mut strategies = Vec::new();
    for token in client.history::<StrategyAdded>(sm_at, None).await?.into_iter().map(|e| e.token) {
        let erc20 = ITestToken::new(token, client.provider.clone());
        let symbol = erc20.symbol().call().await.unwrap_or_else(|_| "?".into());
        let tvl = erc20.balanceOf(sm_at).call().await.map_err(explain)?;
        let whitelisted = sm.strategyInfo(token).call().await.map_err(explain)?._1;
        let shares = sm.totalShares(token).call().await.map_err(explain)?;
        strategies.push(Strategy { token, symbol, tvl, shares, whitelisted });
    }
    let mut operators = Vec::new();
    for operator in client.history::<OperatorRegistered>(dm_at, None).await?.into_iter().map(|e| e.operator) {
        for token in strategies.iter().map(|s| s.token) {
            let stake = dm.operatorStake(operator, token).call().await.map_err(explain)?;
            operators.push(OperatorStake { operator, token, delegated: stake._0, slashing_factor: stake._1 });
        }
    }
    let account = match account {
        Some(address) => {
            let operator = dm.delegatedTo(address).call().await.map_err(explain)?;
            let mut positions = Vec::new();
            for token in strategies.iter().map(|s| s.token) {
                let deposit = sm.stakerDepositShares(address, token).call().await.map_err(explain)?;
                let withdrawable = dm.withdrawableShares(address, token).call().await.map_err(explain)?._0;
                positions.push(Position { token, deposit, withdrawable });
            }
            let mut withdrawals = Vec::new();
            for queued in client.history::<WithdrawalQueued>(dm_at, Some(address.into_word())).await? {
                let withdrawal = dm.queuedWithdrawal(queued.root).call().await.map_err(explain)?;
                if withdrawal._3 {
                    withdrawals.push((queued.root, withdrawal._2));
                }
            }
            Some(Account { address, delegated_to: (!operator.is_zero()).then_some(operator), positions, withdrawals })
        }
        None => None,
    };
    let contracts = record.contracts.iter().map(|(name, d)| (name.clone(), d.address)).collect();
    let mut escrow: Vec<Escrowed> = Vec::new();
    for added in client.history::<SlashedSharesAdded>(sm_at, None).await? {
        if escrow.iter().any(|e| (e.token, e.recipient, e.avs) == (added.token, added.recipient, added.avs)) {
            continue;
        }
        let (shares, payable_at) = {
            let e = sm.slashEscrow(added.token, added.recipient, added.avs).call().await.map_err(explain)?;
            (e._0, e._1)
        };
        escrow.push(Escrowed { token: added.token, recipient: added.recipient, avs: added.avs, shares, payable_at });
    }
    escrow.retain(|e| !e.shares.is_zero());
    let peers = sm.migrationPeers().call().await.map_err(explain)?;
    let named = |a: Address| (!a.is_zero()).then_some(a);
    let migration = (named(peers._0), named(peers._1));
    Ok(Snapshot { chain_id: client.chain_id, block, contracts, strategies, operators, account, escrow, migration })
}

impl Snapshot {
    /// The symbol of strategy `token` (`?` if unknown).
    fn symbol(&self, token: Address) -> &str {
        self.strategies.iter().find(|s| s.token == token).map_or("?", |s| s.symbol.as_str())
    }

    /// The snapshot as JSON: addresses as checksummed hex, amounts as exact wei in decimal strings.
    pub fn to_json(&self) -> Value {
        let contracts: serde_json::Map<String, Value> =
            self.contracts.iter().map(|(name, at)| (name.clone(), json!(at.to_string()))).collect();
        let strategies: Vec<Value> = self
            .strategies
            .iter()
            .map(|s| json!({"token": s.token.to_string(), "symbol": s.symbol, "tvlWei": s.tvl.to_string(), "sharesWei": s.shares.to_string(), "whitelisted": s.whitelisted}))
            .collect();
        let operators: Vec<Value> = self
            .operators
            .iter()
            .map(|o| json!({"operator": o.operator.to_string(), "token": o.token.to_string(), "delegatedWei": o.delegated.to_string(), "slashingFactorWad": o.slashing_factor.to_string()}))
            .collect();
        let account = self.account.as_ref().map(|a| {
            let positions: Vec<Value> = a
                .positions
                .iter()
                .map(|p| json!({"token": p.token.to_string(), "depositSharesWei": p.deposit.to_string(), "withdrawableSharesWei": p.withdrawable.to_string()}))
                .collect();
            let withdrawals: Vec<Value> = a.withdrawals.iter().map(|(root, at)| json!({"root": root.to_string(), "completableAt": at.saturating_to::<u64>()})).collect();
            json!({"address": a.address.to_string(), "delegatedTo": a.delegated_to.map(|o| o.to_string()), "positions": positions, "pendingWithdrawals": withdrawals})
        });
        let escrow: Vec<Value> = self
            .escrow
            .iter()
            .map(|e| json!({"token": e.token.to_string(), "recipient": e.recipient.to_string(), "avs": e.avs.to_string(), "sharesWei": e.shares.to_string(), "payableAt": e.payable_at}))
            .collect();
        let (successor, predecessor) = self.migration;
        let migration = json!({"successor": successor.map(|a| a.to_string()), "predecessor": predecessor.map(|a| a.to_string())});
        json!({"chainId": self.chain_id, "block": self.block, "contracts": contracts, "strategies": strategies, "operators": operators, "account": account, "slashEscrow": escrow, "migration": migration})
    }

    /// The snapshot as text tables.
    pub fn to_text(&self) -> String {
        let mut out = format!("Keel on chain {} (block {})\n", self.chain_id, self.block);
        let mut contracts = table::new(&["contract", "address"], 2);
        for (name, at) in &self.contracts {
            contracts.add_row(vec![name.clone(), at.to_string()]);
        }
        out += &table::section("Contracts", &contracts);
        if let Some(successor) = self.migration.0 {
            out += &format!("Successor StrategyManager: {successor} (undelegated stakers move with `keel stake migrate`)\n\n");
        }
        if let Some(predecessor) = self.migration.1 {
            out += &format!("Succeeds the StrategyManager at {predecessor}\n\n");
        }
        let mut strategies = table::new(&["token", "symbol", "TVL", "shares", "whitelisted"], 2);
        for s in &self.strategies {
            strategies.add_row(vec![
                s.token.to_string(),
                s.symbol.clone(),
                fmt::tokens(s.tvl, &s.symbol),
                fmt::amount(s.shares),
                if s.whitelisted { "yes" } else { "no" }.into(),
            ]);
        }
        out += &table::section("Strategies", &strategies);
        let mut operators = table::new(&["operator", "strategy", "delegated", "slashing factor"], 2);
        for o in &self.operators {
            operators.add_row(vec![
                o.operator.to_string(),
                o.token.to_string(),
                fmt::tokens(o.delegated, self.symbol(o.token)),
                fmt::percent(o.slashing_factor),
            ]);
        }
        out += &table::section("Operators", &operators);
        if !self.escrow.is_empty() {
            let mut escrow = table::new(&["strategy", "recipient", "AVS (0: burns)", "slashed shares", "payable from (unix s)"], 3);
            for e in &self.escrow {
                let row =
                    [e.token.to_string(), e.recipient.to_string(), e.avs.to_string(), fmt::amount(e.shares), e.payable_at.to_string()];
                escrow.add_row(row.to_vec());
            }
            out += &table::section("Slashed shares in escrow (anyone pays them after: keel avs pay-slashed)", &escrow);
        }
        if let Some(a) = &self.account {
            let operator = a.delegated_to.map_or("nobody".to_string(), |o| o.to_string());
            let mut positions = table::new(&["strategy", "symbol", "deposit shares", "withdrawable"], 2);
            for p in &a.positions {
                positions.add_row(vec![
                    p.token.to_string(),
                    self.symbol(p.token).to_string(),
                    fmt::amount(p.deposit),
                    fmt::amount(p.withdrawable),
                ]);
            }
            out += &table::section(&format!("{}: delegated to {operator}", a.address), &positions);
            if !a.withdrawals.is_empty() {
                let mut withdrawals = table::new(&["pending withdrawal", "completable at"], 1);
                for (root, at) in &a.withdrawals {
                    withdrawals.add_row(vec![root.to_string(), at.to_string()]);
                }
                out += &table::section("Pending withdrawals", &withdrawals);
            }
        }
        out
    }
}

/// The contracts, strategies, operators, AVSs, the LRT vault and, with
/// `account`, its positions, pending withdrawals and rewards, as text tables.
pub async fn report(client: &Client, record: &Deployments, account: Option<Address>) -> Result<String> {
    let snapshot = snapshot(client, record, account).await?;
    let mut out = snapshot.to_text();
    let dm_at = record.address("DelegationManager")?;
    let tokens: Vec<Address> = snapshot.strategies.iter().map(|s| s.token).collect();
    if let Ok(registry) = record.address("AvsRegistry") {
        let mut stakers: Vec<(&str, Address)> = account.iter().map(|a| ("staker", *a)).collect();
        stakers.extend(record.address("LrtVault").ok().map(|v| ("LRT vault", v)));
        avs::section(&mut out, client, registry, &tokens, &stakers).await?;
    }
    if let Ok(vault) = record.address("LrtVault") {
        out += &lrt::read(client, vault, dm_at, account).await?.to_text();
    }
    if let (Some(account), Ok(coordinator)) = (&snapshot.account, record.address("RewardsCoordinator")) {
        let operator = account.delegated_to.unwrap_or(account.address);
        let pools: Vec<(Address, Address)> = tokens.iter().map(|token| (operator, *token)).collect();
        rewards::section(&mut out, client, coordinator, account.address, &pools).await?;
    }
    Ok(out)
}
