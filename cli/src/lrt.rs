//! `keel lrt ...`: an LRT holder's transactions on the LRT vault, its
//! configuration at deploy time and its status table. The admin functions
//! (`abi/LrtVaultAdmin.sol`) are called at the vault's address: the vault
//! runs them in its extension by `delegatecall`.

use crate::{
    bindings::{
        lrt_vault::ILrtVault::{InstantRedeem, RedeemClaimed, RedeemRequest},
        IDelegationManager, ILrtVault, ILrtVaultAdmin, ITestToken,
    },
    client::{logged, Client},
    config, fmt,
    revert::explain,
    stake::send,
    units::parse,
};
use alloy::{
    primitives::{Address, U256},
    providers::DynProvider,
};
use anyhow::{bail, Context, Result};

/// The LRT vault as seen by one account.
pub struct Lrt {
    /// The connection, signing as the acting account.
    pub client: Client,
    /// The vault's address.
    pub at: Address,
}

impl Lrt {
    fn vault(&self) -> ILrtVault::ILrtVaultInstance<DynProvider> {
        ILrtVault::new(self.at, self.client.provider.clone())
    }

    fn admin(&self) -> ILrtVaultAdmin::ILrtVaultAdminInstance<DynProvider> {
        ILrtVaultAdmin::new(self.at, self.client.provider.clone())
    }

    /// Assets per 1e18 LRT.
    pub async fn rate(&self) -> Result<U256> {
        self.vault().getRate().call().await.map_err(explain)
    }

    /// LRT held by `who`.
    pub async fn balance(&self, who: Address) -> Result<U256> {
        self.vault().balanceOf(who).call().await.map_err(explain)
    }

    /// Approves the vault if needed and deposits `assets`; returns the LRT minted.
    pub async fn deposit(&self, assets: U256) -> Result<U256> {
        let asset = self.vault().asset().call().await.map_err(explain)?;
        let erc20 = ITestToken::new(asset, self.client.provider.clone());
        let balance = erc20.balanceOf(self.client.from).call().await.map_err(explain)?;
        let symbol = erc20.symbol().call().await.unwrap_or_else(|_| "tokens".into());
        if balance < assets {
            bail!("{}", fmt::shortfall(balance, assets, &symbol));
        }
        if erc20.allowance(self.client.from, self.at).call().await.map_err(explain)? < assets {
            send!(erc20.approve(self.at, U256::MAX), "approve")?;
        }
        let before = self.balance(self.client.from).await?;
        let receipt = send!(self.vault().deposit(assets, self.client.from), "deposit")?;
        let minted = self.balance(self.client.from).await? - before;
        let lrt = self.vault().symbol().call().await.map_err(explain)?;
        println!(
            "deposited {} into the LRT vault: {} (rate {}, gas {})",
            fmt::tokens(assets, &symbol),
            fmt::tokens(minted, &lrt),
            fmt::amount(self.rate().await?),
            receipt.gas_used
        );
        Ok(minted)
    }

    /// Requests redemption of `shares` LRT (the signer is owner and
    /// controller); returns the request id.
    pub async fn request_redeem(&self, shares: U256) -> Result<U256> {
        let me = self.client.from;
        let receipt = send!(self.vault().requestRedeem(shares, me, me), "requestRedeem")?;
        let request = logged::<RedeemRequest>(&receipt).pop().context("no RedeemRequest event")?;
        let claimable_at = self.admin().redeemRequest(request.requestId).call().await.map_err(explain)?._3;
        println!(
            "requested redemption {} of {} LRT worth at most {} (claimable at {claimable_at})",
            request.requestId,
            fmt::amount(shares),
            fmt::amount(request.assets)
        );
        Ok(request.requestId)
    }

    /// Claims `shares` LRT of `controller`'s oldest claimable requests (all
    /// claimable ones by default), paid to `controller`; the signer is the
    /// controller or an ERC-7540 operator it approved. Returns the assets paid.
    pub async fn claim(&self, controller: Address, shares: Option<U256>) -> Result<U256> {
        let me = self.client.from;
        if controller != me && !self.vault().isOperator(controller, me).call().await.map_err(explain)? {
            bail!("{me} is not an operator of {controller}: it must first run `keel lrt approve-operator --operator {me}`");
        }
        let shares = match shares {
            Some(shares) => shares,
            None => {
                let redeems = self.admin().controllerRedeems(controller).call().await.map_err(explain)?;
                if redeems._1.is_zero() {
                    bail!("nothing claimable yet ({} LRT pending)", fmt::amount(redeems._0));
                }
                redeems._1
            }
        };
        let receipt = send!(self.vault().redeem(shares, controller, controller), "redeem")?;
        let paid = logged::<RedeemClaimed>(&receipt).iter().fold(U256::ZERO, |sum, claim| sum + claim.assets);
        println!("claimed {} LRT of redemptions: paid {} (gas {})", fmt::amount(shares), fmt::amount(paid), receipt.gas_used);
        Ok(paid)
    }

    /// Redeems `shares` LRT at once from the idle buffer (fee kept by the
    /// holders), refusing to receive less than `min_assets`; returns the assets paid.
    pub async fn instant_redeem(&self, shares: U256, min_assets: U256) -> Result<U256> {
        let me = self.client.from;
        let receipt = send!(self.vault().instantRedeem(shares, me, me, min_assets), "instantRedeem")?;
        let redeemed = logged::<InstantRedeem>(&receipt).pop().context("no InstantRedeem event")?;
        println!(
            "instantly redeemed {} LRT: paid {}, fee {} (gas {})",
            fmt::amount(shares),
            fmt::amount(redeemed.assets),
            fmt::amount(redeemed.fee),
            receipt.gas_used
        );
        Ok(redeemed.assets)
    }

    /// Approves (or, with `approved` false, revokes) `operator` as the
    /// signer's ERC-7540 operator: it may then request, claim and redeem at
    /// once for the signer.
    pub async fn approve_operator(&self, operator: Address, approved: bool) -> Result<()> {
        let receipt = send!(self.vault().setOperator(operator, approved), "setOperator")?;
        let verb = if approved { "approved" } else { "revoked" };
        println!("{verb} {operator} as an operator of {} on the LRT vault (gas {})", self.client.from, receipt.gas_used);
        Ok(())
    }

    /// Manager: delegates the vault's stake to `operator`.
    pub async fn set_restaking_operator(&self, operator: Address) -> Result<()> {
        send!(self.admin().setRestakingOperator(operator), "setRestakingOperator")?;
        println!("the LRT vault now restakes with operator {operator}");
        Ok(())
    }

    /// Manager: the idle assets kept for instant redemptions.
    pub async fn set_buffer_target(&self, target: U256) -> Result<()> {
        send!(self.admin().setBufferTarget(target), "setBufferTarget")?;
        Ok(())
    }
}

/// Applies the `[lrt]` settings to the vault at `at` (only what differs).
pub async fn configure(client: &Client, at: Address, dm: Address, lrt: &config::Lrt) -> Result<()> {
    let admin = ILrtVaultAdmin::new(at, client.provider.clone());
    let settings = admin.settings().call().await.map_err(explain)?;
    let treasury = lrt.treasury.unwrap_or(client.from);
    if settings._1 != treasury {
        send!(admin.setTreasury(treasury), "setTreasury")?;
        println!("  configured  LrtVault.setTreasury({treasury})");
    }
    let fees = (U256::from(lrt.performance_bps), U256::from(lrt.instant_bps));
    if (settings._2, settings._3) != fees {
        send!(admin.setFees(fees.0, fees.1), "setFees")?;
        println!("  configured  LrtVault.setFees({}, {}) bps", fees.0, fees.1);
    }
    let cap = lrt.deposit_cap.as_deref().map(parse).transpose()?.unwrap_or(U256::MAX);
    let limits = (cap, parse(&lrt.daily_instant_limit)?, U256::from(lrt.vesting_period_seconds));
    if (settings._4, settings._5, settings._6) != limits {
        send!(admin.setLimits(limits.0, limits.1, limits.2), "setLimits")?;
        println!(
            "  configured  LrtVault.setLimits(cap {}, daily {}, vesting {} s)",
            fmt::amount(limits.0),
            fmt::amount(limits.1),
            limits.2
        );
    }
    let buffer = parse(&lrt.buffer_target)?;
    if admin.holdings().call().await.map_err(explain)?._1 != buffer {
        send!(admin.setBufferTarget(buffer), "setBufferTarget")?;
        println!("  configured  LrtVault.setBufferTarget({})", fmt::amount(buffer));
    }
    if let Some(operator) = lrt.operator {
        if IDelegationManager::new(dm, client.provider.clone()).delegatedTo(at).call().await.map_err(explain)? != operator {
            send!(admin.setRestakingOperator(operator), "setRestakingOperator")?;
            println!("  configured  LrtVault.setRestakingOperator({operator})");
        }
    }
    Ok(())
}
