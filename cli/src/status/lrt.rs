//! The LRT part of `keel status`: the vault's totals and an account's LRT,
//! as a table or as JSON.

use crate::{
    bindings::{IDelegationManager, ILrtVault, ILrtVaultAdmin},
    client::Client,
    fmt,
    revert::explain,
};
use alloy::primitives::{Address, U256};
use anyhow::Result;
use serde_json::{json, Value};

/// The LRT vault's state (amounts in wei).
pub struct Vault {
    /// Its address.
    pub at: Address,
    /// The LRT's symbol.
    pub symbol: String,
    /// The operator it delegates to (zero: none yet).
    pub operator: Address,
    /// Assets it is worth.
    pub total_assets: U256,
    /// LRT outstanding.
    pub supply: U256,
    /// Assets per 1e18 LRT.
    pub rate: U256,
    /// Idle assets, buffer target, restaked assets and assets in the withdrawal queue.
    pub holdings: [U256; 4],
    /// Performance and instant-redemption fees, basis points.
    pub fees_bps: [U256; 2],
    /// Deposit cap and daily instant-redemption limit.
    pub limits: [U256; 2],
    /// The account asked about, if any.
    pub holder: Option<Holder>,
}

/// An account's LRT and redemptions (amounts in wei).
pub struct Holder {
    /// The account.
    pub address: Address,
    /// Its LRT.
    pub balance: U256,
    /// What its LRT is worth in assets.
    pub value: U256,
    /// LRT pending redemption and the most assets they pay.
    pub pending: [U256; 2],
    /// LRT claimable now and the most assets they pay.
    pub claimable: [U256; 2],
}

/// Reads the vault at `at` and, with `account`, that account's LRT.
pub async fn read(client: &Client, at: Address, dm: Address, account: Option<Address>) -> Result<Vault> {
    let vault = ILrtVault::new(at, client.provider.clone());
    let admin = ILrtVaultAdmin::new(at, client.provider.clone());
    let settings = admin.settings().call().await.map_err(explain)?;
    let holdings = admin.holdings().call().await.map_err(explain)?;
    let holder = match account {
        Some(address) => {
            let balance = vault.balanceOf(address).call().await.map_err(explain)?;
            let value = vault.convertToAssets(balance).call().await.map_err(explain)?;
            let redeems = admin.controllerRedeems(address).call().await.map_err(explain)?;
            Some(Holder { address, balance, value, pending: [redeems._0, redeems._2], claimable: [redeems._1, redeems._3] })
        }
        None => None,
    };
    Ok(Vault {
        at,
        symbol: vault.symbol().call().await.map_err(explain)?,
        operator: IDelegationManager::new(dm, client.provider.clone()).delegatedTo(at).call().await.map_err(explain)?,
        total_assets: vault.totalAssets().call().await.map_err(explain)?,
        supply: vault.totalSupply().call().await.map_err(explain)?,
        rate: vault.getRate().call().await.map_err(explain)?,
        holdings: [holdings._0, holdings._1, holdings._2, holdings._3],
        fees_bps: [settings._2, settings._3],
        limits: [settings._4, settings._5],
        holder,
    })
}

impl Vault {
    /// The vault as a table, its settings and the holder's line.
    pub fn to_text(&self) -> String {
        let mut totals = super::table::new(&["total assets", "supply", "rate", "idle", "buffer target", "restaked", "in queue"], 0);
        let mut row = vec![fmt::amount(self.total_assets), fmt::tokens(self.supply, &self.symbol), fmt::amount(self.rate)];
        row.extend(self.holdings.iter().map(|h| fmt::amount(*h)));
        totals.add_row(row);
        let mut out = super::table::section(&format!("LRT vault {} at {}: operator {}", self.symbol, self.at, self.operator), &totals);
        let [performance, instant] = self.fees_bps;
        out += &format!(
            "  fees: performance {performance} bps, instant {instant} bps; deposit cap {}, daily instant limit {}\n",
            fmt::amount(self.limits[0]),
            fmt::amount(self.limits[1])
        );
        if let Some(h) = &self.holder {
            let (pending, claimable) = (h.pending, h.claimable);
            out += &format!(
                "  {}: {} worth {}; redemptions pending {} (≤ {}), claimable {} (≤ {})\n",
                h.address,
                fmt::tokens(h.balance, &self.symbol),
                fmt::amount(h.value),
                fmt::amount(pending[0]),
                fmt::amount(pending[1]),
                fmt::amount(claimable[0]),
                fmt::amount(claimable[1])
            );
        }
        out
    }

    /// The vault as JSON, amounts as exact wei in decimal strings.
    pub fn to_json(&self) -> Value {
        let wei = |value: &U256| value.to_string();
        let holder = self.holder.as_ref().map(|h| {
            json!({
                "address": h.address.to_string(), "balanceWei": wei(&h.balance), "valueWei": wei(&h.value),
                "pendingSharesWei": wei(&h.pending[0]), "pendingAssetsWei": wei(&h.pending[1]),
                "claimableSharesWei": wei(&h.claimable[0]), "claimableAssetsWei": wei(&h.claimable[1]),
            })
        });
        json!({
            "address": self.at.to_string(), "symbol": self.symbol, "operator": self.operator.to_string(),
            "totalAssetsWei": wei(&self.total_assets), "supplyWei": wei(&self.supply), "rateWad": wei(&self.rate),
            "idleWei": wei(&self.holdings[0]), "bufferTargetWei": wei(&self.holdings[1]), "restakedWei": wei(&self.holdings[2]), "inQueueWei": wei(&self.holdings[3]),
            "performanceFeeBps": wei(&self.fees_bps[0]), "instantFeeBps": wei(&self.fees_bps[1]),
            "depositCapWei": wei(&self.limits[0]), "dailyInstantLimitWei": wei(&self.limits[1]),
            "holder": holder,
        })
    }
}
