//! The LRT part of `keel status`: the vault's totals and an account's LRT.

use crate::{
    bindings::{ILrtVault, ILrtVaultAdmin, IDelegationManager},
    client::Client,
    revert::explain,
    units::show,
};
use alloy::primitives::Address;
use anyhow::Result;
use std::fmt::Write;

/// Appends the LRT vault's table (assets, supply, rate, holdings, fees) and,
/// with `account`, its LRT and redemptions.
pub async fn section(out: &mut String, client: &Client, at: Address, dm: Address, account: Option<Address>) -> Result<()> {
    let vault = ILrtVault::new(at, client.provider.clone());
    let admin = ILrtVaultAdmin::new(at, client.provider.clone());
    let settings = admin.settings().call().await.map_err(explain)?;
    let symbol = vault.symbol().call().await.map_err(explain)?;
    let operator = IDelegationManager::new(dm, client.provider.clone()).delegatedTo(at).call().await.map_err(explain)?;
    let holdings = admin.holdings().call().await.map_err(explain)?;
    writeln!(out, "\nLRT vault {symbol} at {at}: operator {operator}")?;
    writeln!(out, "  {:>14} {:>14} {:>10} {:>14} {:>14} {:>14} {:>14}", "total assets", "supply", "rate", "idle", "buffer target", "restaked", "in queue")?;
    writeln!(
        out,
        "  {:>14} {:>14} {:>10} {:>14} {:>14} {:>14} {:>14}",
        show(vault.totalAssets().call().await.map_err(explain)?),
        show(vault.totalSupply().call().await.map_err(explain)?),
        show(vault.getRate().call().await.map_err(explain)?),
        show(holdings._0),
        show(holdings._1),
        show(holdings._2),
        show(holdings._3)
    )?;
    writeln!(out, "  fees: performance {} bps, instant {} bps; deposit cap {}, daily instant limit {}", settings._2, settings._3, show(settings._4), show(settings._5))?;
    if let Some(account) = account {
        let balance = vault.balanceOf(account).call().await.map_err(explain)?;
        let value = vault.convertToAssets(balance).call().await.map_err(explain)?;
        let redeems = admin.controllerRedeems(account).call().await.map_err(explain)?;
        writeln!(out, "  {account}: {} {symbol} worth {}; redemptions pending {} (≤ {}), claimable {} (≤ {})", show(balance), show(value), show(redeems._0), show(redeems._2), show(redeems._1), show(redeems._3))?;
    }
    Ok(())
}
