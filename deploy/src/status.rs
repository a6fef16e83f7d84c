//! `keel status [ADDRESS]`: the protocol as tables, read from views and
//! events (no indexer needed).

mod avs;
mod lrt;
mod rewards;

use crate::{
    bindings::{
        delegation_manager::IDelegationManager::{OperatorRegistered, WithdrawalQueued},
        strategy_manager::IStrategyManager::StrategyAdded,
        IDelegationManager, IStrategyManager, ITestToken,
    },
    client::Client,
    deployments::Deployments,
    revert::explain,
    units::show,
};
use alloy::{primitives::Address, providers::Provider};
use anyhow::Result;
use std::fmt::Write;

/// Prints [`report`].
pub async fn status(client: &Client, record: &Deployments, account: Option<Address>) -> Result<()> {
    print!("{}", report(client, record, account).await?);
    Ok(())
}

/// The contracts, strategies, operators, AVSs and, with `account`, its
/// positions, pending withdrawals and rewards, as text tables.
pub async fn report(client: &Client, record: &Deployments, account: Option<Address>) -> Result<String> {
    let mut out = String::new();
    let (sm_at, dm_at) = (record.address("StrategyManager")?, record.address("DelegationManager")?);
    let sm = IStrategyManager::new(sm_at, client.provider.clone());
    let dm = IDelegationManager::new(dm_at, client.provider.clone());
    writeln!(out, "Keel on chain {} (block {})", client.chain_id, client.provider.get_block_number().await?)?;
    for (name, deployed) in &record.contracts {
        writeln!(out, "  {name:<20} {}", deployed.address)?;
    }
    let tokens: Vec<Address> = client.history::<StrategyAdded>(sm_at, None).await?.into_iter().map(|e| e.token).collect();
    writeln!(out, "\nStrategies\n  {:<44} {:<8} {:>14} {:>14} {:>11}", "token", "symbol", "TVL", "shares", "whitelisted")?;
    for token in &tokens {
        let erc20 = ITestToken::new(*token, client.provider.clone());
        let symbol = erc20.symbol().call().await.unwrap_or_else(|_| "?".into());
        let tvl = erc20.balanceOf(sm_at).call().await.map_err(explain)?;
        let info = sm.strategyInfo(*token).call().await.map_err(explain)?;
        let shares = sm.totalShares(*token).call().await.map_err(explain)?;
        writeln!(out, "  {:<44} {symbol:<8} {:>14} {:>14} {:>11}", token.to_string(), show(tvl), show(shares), info._1)?;
    }
    writeln!(out, "\nOperators\n  {:<44} {:<44} {:>14} {:>12}", "operator", "strategy", "delegated", "slash factor")?;
    for registered in client.history::<OperatorRegistered>(dm_at, None).await? {
        for token in &tokens {
            let stake = dm.operatorStake(registered.operator, *token).call().await.map_err(explain)?;
            writeln!(out, "  {:<44} {:<44} {:>14} {:>12}", registered.operator.to_string(), token.to_string(), show(stake._0), show(stake._1))?;
        }
    }
    if let Ok(registry) = record.address("AvsRegistry") {
        avs::section(&mut out, client, registry, dm_at, &tokens).await?;
    }
    if let Ok(vault) = record.address("LrtVault") {
        lrt::section(&mut out, client, vault, dm_at, account).await?;
    }
    if let Some(account) = account {
        let operator = dm.delegatedTo(account).call().await.map_err(explain)?;
        writeln!(out, "\n{account}: delegated to {}", if operator.is_zero() { "nobody".to_string() } else { operator.to_string() })?;
        writeln!(out, "  {:<44} {:>14} {:>14}", "strategy", "deposit", "withdrawable")?;
        for token in &tokens {
            let deposit = sm.stakerDepositShares(account, *token).call().await.map_err(explain)?;
            let withdrawable = dm.withdrawableShares(account, *token).call().await.map_err(explain)?._0;
            writeln!(out, "  {:<44} {:>14} {:>14}", token.to_string(), show(deposit), show(withdrawable))?;
        }
        writeln!(out, "  pending withdrawals")?;
        for queued in client.history::<WithdrawalQueued>(dm_at, Some(account.into_word())).await? {
            let withdrawal = dm.queuedWithdrawal(queued.root).call().await.map_err(explain)?;
            if withdrawal._3 {
                writeln!(out, "    {} completable at {}", queued.root, withdrawal._2)?;
            }
        }
        if let Ok(coordinator) = record.address("RewardsCoordinator") {
            let pools: Vec<(Address, Address)> = tokens.iter().map(|token| (if operator.is_zero() { account } else { operator }, *token)).collect();
            rewards::section(&mut out, client, coordinator, account, &pools).await?;
        }
    }
    Ok(out)
}
