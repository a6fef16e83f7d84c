//! Network configuration of `keel deploy` (`cli/<network>.toml`).

use alloy::primitives::Address;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;

/// What to deploy and how to configure it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Seconds a queued withdrawal waits (3 to 14 days; 7 days on testnets).
    pub withdrawal_delay_seconds: u64,
    /// AVS registry delays.
    pub registry: RegistryDelays,
    /// Deploy Keel's test ERC-20 (stETH-like) and whitelist it as a strategy.
    pub test_token: Option<TestToken>,
    /// Deploy a second test ERC-20 as a reward token AVSs can pay in.
    pub reward_token: Option<TestToken>,
    /// Existing ERC-20s to whitelist as strategies.
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    /// Existing ERC-20s AVSs may pay rewards in.
    #[serde(default)]
    pub reward_tokens: Vec<Address>,
    /// Accounts given the pauser role besides the owner.
    #[serde(default)]
    pub pausers: Vec<Address>,
    /// Deploy the LRT vault and its admin extension.
    pub lrt: Option<Lrt>,
    /// The StrategyManager of the deployment this one succeeds: its stakers
    /// may migrate here once its owner names this deployment
    /// (`keel owner name-successor`). See docs/upgrades.md.
    pub predecessor: Option<Address>,
}

/// The LRT vault's token and settings. Amounts are in token units.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lrt {
    /// ERC-20 name of the LRT.
    pub name: String,
    /// ERC-20 symbol of the LRT.
    pub symbol: String,
    /// The LST it restakes (default: the test token).
    pub asset: Option<Address>,
    /// Operator the vault delegates to (must be registered; absent: set later).
    pub operator: Option<Address>,
    /// Receives the performance fee (default: the deployer).
    pub treasury: Option<Address>,
    /// Idle assets kept for instant redemptions.
    pub buffer_target: String,
    /// Largest total assets (absent: no cap).
    pub deposit_cap: Option<String>,
    /// Instant redemptions allowed per day.
    pub daily_instant_limit: String,
    /// Performance fee on rewards, basis points (at most 2,000).
    pub performance_bps: u64,
    /// Instant-redemption fee, basis points (at most 250).
    pub instant_bps: u64,
    /// Seconds over which rewards vest into the rate (at most 30 days).
    pub vesting_period_seconds: u64,
}

/// The AVS registry's delays, in seconds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryDelays {
    /// Before an operator's new allocation delay applies (at least 1,512,000: 17.5 days).
    pub allocation_configuration_delay: u64,
    /// Before a deallocation frees stake; it stays slashable meanwhile (at least 3 days).
    pub deallocation_delay: u64,
    /// Before a condition's new slasher may slash (at least 1 day).
    pub slasher_change_delay: u64,
}

/// The test token's metadata.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestToken {
    /// ERC-20 name.
    pub name: String,
    /// ERC-20 symbol.
    pub symbol: String,
}

/// A strategy to whitelist.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// The ERC-20.
    pub token: Address,
    /// Deposit cap in the token's smallest unit, as a decimal string (absent: no cap).
    pub cap: Option<String>,
}

impl Config {
    /// The shipped local-devnet configuration (`cli/devnet.toml`).
    pub fn devnet() -> Self {
        toml::from_str(include_str!("../devnet.toml")).expect("cli/devnet.toml is valid (tested)")
    }

    /// Reads a TOML config file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("bad config {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn the_shipped_configs_parse() {
        for file in ["devnet.toml", "arbitrum-sepolia.toml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let config = Config::load(&path).unwrap();
            assert!(config.withdrawal_delay_seconds >= 3 * 86_400, "{file}");
        }
        assert!(Config::devnet().test_token.is_some());
    }
}
