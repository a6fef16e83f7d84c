//! `keel avs ...` and the operator's registry commands: AVS registration,
//! operator sets, slashing conditions, opt-in, allocations and slashes.

use crate::{
    bindings::avs_registry::IAvsRegistry::{self, OperatorSlashed, SlashRequested, SlashingConditionAdded},
    client::{logged, Client},
    fmt,
    stake::send,
};
use alloy::{
    primitives::{Address, B256, U256},
    providers::DynProvider,
    rpc::types::TransactionReceipt,
};
use anyhow::{Context, Result};

/// A slashing condition to publish.
#[derive(Debug, Clone)]
pub struct Condition {
    /// Operator set the condition belongs to.
    pub set_id: u64,
    /// Largest fraction of an allocation one slash may take (1e18 = 100%).
    pub max_slash_wad: u64,
    /// Who may slash under it.
    pub slasher: Address,
    /// Seconds during which the resolver may veto a requested slash (0: slashes execute at once).
    pub veto_window: u64,
    /// Who may veto.
    pub resolver: Address,
    /// Who receives slashed funds (zero: burned).
    pub redistribution_recipient: Address,
    /// Human-readable rules.
    pub description_uri: String,
    /// Hash of the evidence format the AVS accepts.
    pub evidence_schema_hash: B256,
}

/// The registry as seen by one account.
pub struct Registry {
    /// The acting account.
    pub client: Client,
    /// The AvsRegistry address.
    pub at: Address,
}

impl Registry {
    fn registry(&self) -> IAvsRegistry::IAvsRegistryInstance<DynProvider> {
        IAvsRegistry::new(self.at, self.client.provider.clone())
    }

    /// Registers the account as an AVS.
    pub async fn register_avs(&self, metadata_uri: &str) -> Result<()> {
        send!(self.registry().registerAVS(metadata_uri.into()), "registerAVS")?;
        println!("registered AVS {} ({metadata_uri})", self.client.from);
        Ok(())
    }

    /// Creates operator set `set_id` over `strategies` (sorted, unique).
    pub async fn create_set(&self, set_id: u64, mut strategies: Vec<Address>) -> Result<()> {
        strategies.sort();
        send!(self.registry().createOperatorSet(set_id, strategies.clone()), "createOperatorSet")?;
        println!(
            "created operator set {set_id} of AVS {} over {} strateg{}",
            self.client.from,
            strategies.len(),
            if strategies.len() == 1 { "y" } else { "ies" }
        );
        Ok(())
    }

    /// Publishes a slashing condition; returns its id.
    pub async fn add_condition(&self, c: &Condition) -> Result<u64> {
        let registry = self.registry();
        let call = registry.addSlashingCondition(
            c.set_id,
            c.max_slash_wad,
            c.slasher,
            c.veto_window,
            c.resolver,
            c.redistribution_recipient,
            c.description_uri.clone(),
            c.evidence_schema_hash,
        );
        let receipt = send!(call, "addSlashingCondition")?;
        let id = logged::<SlashingConditionAdded>(&receipt).into_iter().next().context("no SlashingConditionAdded")?.conditionId;
        println!(
            "published condition {id} on set {}: at most {} per slash, veto window {} s",
            c.set_id,
            fmt::percent(U256::from(c.max_slash_wad)),
            c.veto_window
        );
        Ok(id)
    }

    /// Retires condition `id` (no new slashes under it).
    pub async fn retire_condition(&self, id: u64) -> Result<()> {
        send!(self.registry().retireSlashingCondition(id), "retireSlashingCondition")?;
        println!("retired condition {id}");
        Ok(())
    }

    /// Operator: sets its allocation delay (takes effect after the configuration delay).
    pub async fn set_allocation_delay(&self, seconds: u64) -> Result<()> {
        send!(self.registry().setAllocationDelay(seconds), "setAllocationDelay")?;
        println!("allocation delay of {} set to {seconds} s", self.client.from);
        Ok(())
    }

    /// Operator: registers for `avs`'s sets, accepting `conditions`.
    pub async fn opt_in(&self, avs: Address, set_ids: Vec<u64>, conditions: Vec<u64>) -> Result<TransactionReceipt> {
        let receipt = send!(self.registry().registerForOperatorSets(avs, set_ids.clone(), conditions.clone()), "registerForOperatorSets")?;
        println!("operator {} opted in to AVS {avs} sets {set_ids:?}, accepting conditions {conditions:?}", self.client.from);
        Ok(receipt)
    }

    /// Operator: allocates `magnitudes` (1e18 = all its stake) of `strategies` to `avs`'s set.
    pub async fn allocate(&self, avs: Address, set_id: u64, strategies: Vec<Address>, magnitudes: Vec<u64>) -> Result<TransactionReceipt> {
        let receipt = send!(self.registry().modifyAllocations(avs, set_id, strategies, magnitudes.clone()), "modifyAllocations")?;
        let shown: Vec<String> = magnitudes.iter().map(|m| fmt::percent(U256::from(*m))).collect();
        println!("operator {} allocated {} to AVS {avs} set {set_id}", self.client.from, shown.join(", "));
        Ok(receipt)
    }

    /// Slasher: slashes `operator` under `condition` at once; returns the slash id and the receipt.
    pub async fn slash(
        &self,
        operator: Address,
        condition: u64,
        strategies: Vec<Address>,
        wads: Vec<u64>,
        evidence: B256,
    ) -> Result<(u64, TransactionReceipt)> {
        let receipt = send!(self.registry().slash(operator, condition, strategies, wads, evidence), "slash")?;
        let slashed = logged::<OperatorSlashed>(&receipt).into_iter().next().context("no OperatorSlashed")?;
        println!("slashed operator {operator} under condition {condition}: slash {} (gas {})", slashed.slashId, receipt.gas_used);
        Ok((slashed.slashId, receipt))
    }

    /// Slasher: requests a slash under a condition with a veto window; returns its id.
    pub async fn request_slash(
        &self,
        operator: Address,
        condition: u64,
        strategies: Vec<Address>,
        wads: Vec<u64>,
        evidence: B256,
    ) -> Result<u64> {
        let receipt = send!(self.registry().requestSlash(operator, condition, strategies, wads, evidence), "requestSlash")?;
        let requested = logged::<SlashRequested>(&receipt).into_iter().next().context("no SlashRequested")?;
        println!("requested slash {} of operator {operator}, executable at {}", requested.slashId, requested.executableAt);
        Ok(requested.slashId)
    }

    /// Resolver: vetoes slash `id`.
    pub async fn veto(&self, id: u64) -> Result<()> {
        send!(self.registry().vetoSlash(id), "vetoSlash")?;
        println!("vetoed slash {id}");
        Ok(())
    }

    /// Anyone: executes requested slash `id` after its veto window.
    pub async fn execute_slash(&self, id: u64, strategies: Vec<Address>, wads: Vec<u64>) -> Result<()> {
        let receipt = send!(self.registry().executeSlash(id, strategies, wads), "executeSlash")?;
        println!("executed slash {id} (gas {})", receipt.gas_used);
        Ok(())
    }
}
