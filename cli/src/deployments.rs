//! `deployments/<chainId>.json`: what `keel deploy` put on a chain, so that
//! re-running resumes and other commands find the contracts.

use alloy::primitives::{Address, B256, U256};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

/// One deployed contract.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Deployed {
    /// Its address.
    pub address: Address,
    /// keccak256 of its deployed code (`EF F0 00 00 ‖ brotli(wasm)`).
    pub code_hash: B256,
    /// The deployment transaction.
    pub tx: B256,
    /// The block that included it.
    pub block: u64,
    /// The activation data fee paid, in wei.
    pub data_fee: U256,
}

/// Every contract deployed on one chain, by name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployments {
    /// The chain's id.
    pub chain_id: u64,
    /// Contracts by name (`StrategyManager`, ...).
    pub contracts: BTreeMap<String, Deployed>,
}

impl Deployments {
    /// The file of `chain_id` under `dir`.
    pub fn path(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// Loads the chain's file, or an empty record if there is none.
    pub fn load(dir: &Path, chain_id: u64) -> Result<Self> {
        let path = Self::path(dir, chain_id);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| format!("cannot parse {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self { chain_id, contracts: BTreeMap::new() }),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Writes the chain's file.
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir)?;
        let path = Self::path(dir, self.chain_id);
        std::fs::write(&path, serde_json::to_string_pretty(self)? + "\n").with_context(|| format!("cannot write {}", path.display()))
    }

    /// The address of contract `name`.
    pub fn address(&self, name: &str) -> Result<Address> {
        self.contracts
            .get(name)
            .map(|d| d.address)
            .with_context(|| format!("{name} is not deployed on chain {} (run `keel deploy`)", self.chain_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_file() {
        let dir = std::env::temp_dir().join(format!("keel-deployments-{}", std::process::id()));
        let mut record = Deployments::load(&dir, 7).unwrap();
        assert!(record.contracts.is_empty());
        let deployed = Deployed {
            address: Address::repeat_byte(1),
            code_hash: B256::repeat_byte(2),
            tx: B256::repeat_byte(3),
            block: 4,
            data_fee: U256::from(5),
        };
        record.contracts.insert("StrategyManager".into(), deployed.clone());
        record.save(&dir).unwrap();
        let loaded = Deployments::load(&dir, 7).unwrap();
        assert_eq!(loaded.contracts["StrategyManager"], deployed);
        assert_eq!(loaded.address("StrategyManager").unwrap(), Address::repeat_byte(1));
        assert!(loaded.address("Nope").unwrap_err().to_string().contains("keel deploy"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
