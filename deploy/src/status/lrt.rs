//! The LRT part of `keel status`: the vault's totals and an account's LRT.

use crate::{
    bindings::{ILrtVault, ILrtVaultAdmin, IDelegationManager},
    client::Client,
    revert::explain,
    fmt,
};
use alloy::primitives::Address;
use anyhow::Result;
use std::fmt::Write;

/// Appends the LRT vault's table (assets, supply, rate, holdings, fees) and,
/// with `account`, its LRT and redemptions.
pub async fn section(out: &mut String, client: &Client, at: Address, dm: Address, account: Option<Address>) -> Result<()> {
    let vault = ILrtVault::new(at, client.provider.clone());
    let settings = ILrtVaultAdmin::new(at, client.provider.clone()).settings().call().await.map_err(explain)?;
    let symbol = vault.symbol().call().await.map_err(explain)?;
    let operator = IDelegationManager::new(dm, client.provider.clone()).delegatedTo(at).call().await.map_err(explain)?;
    let holdings = vault.holdings().call().await.map_err(explain)?;
    let mut totals = super::table::new(&["total assets", "supply", "rate", "idle", "buffer target", "restaked", "in queue"], 0);
    totals.add_row(vec![
        fmt::amount(vault.totalAssets().call().await.map_err(explain)?),
        fmt::amount(vault.totalSupply().call().await.map_err(explain)?),
        fmt::amount(vault.getRate().call().await.map_err(explain)?),
        fmt::amount(holdings._0),
        fmt::amount(holdings._1),
        fmt::amount(holdings._2),
        fmt::amount(holdings._3),
    ]);
    out.push_str(&super::table::section(&format!("LRT vault {symbol} at {at}: operator {operator}"), &totals));
    writeln!(out, "  fees: performance {} bps, instant {} bps; deposit cap {}, daily instant limit {}", settings._2, settings._3, fmt::amount(settings._4), fmt::amount(settings._5))?;
    if let Some(account) = account {
        let balance = vault.balanceOf(account).call().await.map_err(explain)?;
        let value = vault.convertToAssets(balance).call().await.map_err(explain)?;
        let redeems = vault.controllerRedeems(account).call().await.map_err(explain)?;
        writeln!(out, "  {account}: {} {symbol} worth {}; redemptions pending {} (≤ {}), claimable {} (≤ {})", fmt::amount(balance), fmt::amount(value), fmt::amount(redeems._0), fmt::amount(redeems._2), fmt::amount(redeems._1), fmt::amount(redeems._3))?;
    }
    Ok(())
}
