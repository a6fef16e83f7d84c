//! A devnet with Keel deployed, for the end-to-end tests in `tests/`.
//!
//! Each test starts its own in-process `keel-devnet` node on a free port,
//! deploys the contracts from `target/wasm` (built by `make wasm`) with the
//! `keel` tool's own deploy flow, and talks to it over JSON-RPC with alloy,
//! as a wallet would.

use alloy::{
    primitives::{Address, B256, U256},
    providers::Provider,
    signers::local::PrivateKeySigner,
};
use anyhow::Result;
use keel_cli::{
    avs::{Condition, Registry},
    client::{dev_signer, Client},
    config::Config,
    deploy::deploy,
    deployments::Deployments,
    lrt::Lrt,
    stake::Keel,
};
use keel_devnet::node::{spawn, NodeHandle};
use std::path::{Path, PathBuf};

/// The validated contract WASM built by `make wasm`.
pub fn wasm_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm")
}

/// A running devnet with Keel deployed by dev account 0.
pub struct Net {
    /// The node (stopped when dropped).
    pub node: NodeHandle,
    /// Dev account 0: deployer and owner of every contract.
    pub owner: Client,
    /// The StrategyManager.
    pub sm: Address,
    /// The DelegationManager.
    pub dm: Address,
    /// The AVS registry (the DelegationManager's slasher).
    pub registry: Address,
    /// The stETH-like test token, whitelisted as a strategy.
    pub token: Address,
    /// The RewardsCoordinator.
    pub rewards: Address,
    /// The reward token, whitelisted by the coordinator.
    pub reward_token: Address,
    /// The LRT vault over the test token (its admin extension is called at this address).
    pub vault: Address,
    /// The vault's admin extension (works only through the vault).
    pub extension: Address,
    /// What the deploy recorded (every contract's address).
    pub record: Deployments,
}

impl Net {
    /// Starts a node and deploys Keel as `cli/devnet.toml` says (three-day withdrawal delay).
    pub async fn start() -> Result<Self> {
        Self::start_with(None).await
    }

    /// [`Net::start`] with the chain saved to `state_file` by
    /// `node.save_state()` (to compare whole states).
    pub async fn start_with(state_file: Option<PathBuf>) -> Result<Self> {
        Self::start_from(state_file, &wasm_dir()).await
    }

    /// [`Net::start_with`] deploying the contracts in `wasm_dir` (e.g. a
    /// module above 24 KiB, which the deploy splits into fragments).
    pub async fn start_from(state_file: Option<PathBuf>, wasm_dir: &Path) -> Result<Self> {
        Self::start_on_clock(state_file, wasm_dir, None).await
    }

    /// [`Net::start`] with each block one second after the last from the
    /// deployment on (`anvil_setBlockTimestampInterval`), whatever the wall
    /// clock: the chain's times, and so the gas of time-dependent flows
    /// (vesting, rewards), are the same in every run.
    pub async fn start_deterministic() -> Result<Self> {
        Self::start_on_clock(None, &wasm_dir(), Some(1)).await
    }

    async fn start_on_clock(state_file: Option<PathBuf>, wasm_dir: &Path, interval: Option<u64>) -> Result<Self> {
        let node = spawn(keel_devnet::node::Config { port: 0, state_file, ..Default::default() })?;
        let owner = Client::connect(&node.url(), dev_signer(0)?).await?;
        if let Some(seconds) = interval {
            owner.provider.raw_request::<_, serde_json::Value>("anvil_setBlockTimestampInterval".into(), (seconds,)).await?;
        }
        let config = Config::devnet();
        let dir = std::env::temp_dir().join(format!("keel-it-{}-{}", std::process::id(), node.address().port()));
        let record = deploy(&owner, &config, wasm_dir, &dir).await?;
        std::fs::remove_dir_all(&dir).ok();
        Ok(Self {
            registry: record.address("AvsRegistry")?,
            sm: record.address("StrategyManager")?,
            dm: record.address("DelegationManager")?,
            token: record.address("TestToken")?,
            rewards: record.address("RewardsCoordinator")?,
            reward_token: record.address("RewardToken")?,
            vault: record.address("LrtVault")?,
            extension: record.address("LrtVaultAdmin")?,
            record,
            node,
            owner,
        })
    }

    /// Dev account `index`, connected.
    pub async fn account(&self, index: u32) -> Result<Client> {
        Client::connect(&self.node.url(), dev_signer(index)?).await
    }

    /// The AVS registry as seen by `client`.
    pub fn registry(&self, client: &Client) -> Registry {
        Registry { client: client.clone(), at: self.registry, acting: None }
    }

    /// The LRT vault as seen by `client`.
    pub fn lrt(&self, client: &Client) -> Lrt {
        Lrt { client: client.clone(), at: self.vault }
    }

    /// The protocol as seen by `client`.
    pub fn keel(&self, client: &Client) -> Keel {
        Keel { client: client.clone(), sm: self.sm, dm: self.dm }
    }

    /// The registry's allocation configuration delay as `cli/devnet.toml`
    /// deploys it (17.5 days): how long an operator's new allocation delay
    /// waits before it takes effect.
    pub fn allocation_configuration_delay(&self) -> u64 {
        Config::devnet().registry.allocation_configuration_delay
    }

    /// A staker (dev account 1) that deposited 40 tokens and delegated them
    /// to an operator (account 2); an AVS (account 5) with set 1 over the
    /// token and the condition `condition` makes of the AVS's address; the
    /// operator opted in under it with `magnitude` (1e18 = all) of its stake
    /// allocated, slashable now (the configuration delay and a minute
    /// travelled).
    pub async fn slashable_stake(&self, condition: impl FnOnce(Address) -> Condition, magnitude: u64) -> Result<Slashable> {
        let (staker, operator, avs) = (self.account(1).await?, self.account(2).await?, self.account(5).await?);
        let forty = keel_cli::units::parse("40")?;
        self.keel(&operator).register_operator(Address::ZERO, String::new()).await?;
        self.keel(&self.owner).mint(self.token, staker.from, forty).await?;
        self.keel(&staker).deposit(self.token, forty).await?;
        self.keel(&staker).delegate(operator.from).await?;
        let service = self.registry(&avs);
        service.register_avs("ipfs://oracle").await?;
        service.create_set(1, vec![self.token]).await?;
        let id = service.add_condition(&condition(avs.from)).await?;
        let registry = self.registry(&operator);
        registry.set_allocation_delay(0).await?;
        self.owner.travel(self.allocation_configuration_delay()).await?;
        registry.opt_in(avs.from, vec![1], vec![id]).await?;
        registry.allocate(avs.from, 1, vec![self.token], vec![magnitude]).await?;
        self.owner.travel(60).await?;
        Ok(Slashable { staker, operator, avs, condition: id })
    }

    /// A new account holding 10 ETH for gas, connected.
    pub async fn funded(&self, signer: PrivateKeySigner) -> Result<Client> {
        let wei = U256::from(10u64) * U256::from(10u64).pow(U256::from(18u64));
        self.owner.provider.raw_request::<_, serde_json::Value>("anvil_setBalance".into(), (signer.address(), wei)).await?;
        Client::connect(&self.node.url(), signer).await
    }
}

/// What [`Net::slashable_stake`] set up.
pub struct Slashable {
    /// The delegated staker.
    pub staker: Client,
    /// Its operator.
    pub operator: Client,
    /// The AVS the operator allocated to.
    pub avs: Client,
    /// The condition the operator accepted.
    pub condition: u64,
}

/// A condition on operator set 1 that `slasher` applies at once (no veto
/// window), burning what it takes, at most `max_slash_wad` per slash.
pub fn instant_condition(slasher: Address, max_slash_wad: u64, evidence_schema_hash: B256) -> Condition {
    Condition {
        set_id: 1,
        max_slash_wad,
        slasher,
        veto_window: 0,
        resolver: Address::ZERO,
        redistribution_recipient: Address::ZERO,
        description_uri: String::new(),
        evidence_schema_hash,
    }
}
