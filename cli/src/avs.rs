//! `keel avs ...` and the operator's registry commands: AVS registration,
//! operator sets, slashing conditions, opt-in, allocations and slashes.

use crate::{
    bindings::avs_registry::{
        IAppointees,
        IAvsRegistry::{self, OperatorSlashed, SlashRequested, SlashingConditionAdded},
    },
    client::{logged, Client},
    fmt,
    stake::{act, send},
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
    /// The signing account.
    pub client: Client,
    /// The AvsRegistry address.
    pub at: Address,
    /// The operator or AVS the signer acts for as its appointee (`callAs`);
    /// `None`: the signer acts as itself.
    pub acting: Option<Address>,
}

/// The registry functions an operator or AVS can appoint others to call
/// (its `act` functions), by Solidity name.
pub const APPOINTABLE: [(&str, [u8; 4]); 12] = {
    use alloy::sol_types::SolCall;
    use IAvsRegistry as R;
    [
        ("updateAVSMetadataURI", R::updateAVSMetadataURICall::SELECTOR),
        ("createOperatorSet", R::createOperatorSetCall::SELECTOR),
        ("addStrategiesToOperatorSet", R::addStrategiesToOperatorSetCall::SELECTOR),
        ("removeStrategiesFromOperatorSet", R::removeStrategiesFromOperatorSetCall::SELECTOR),
        ("addSlashingCondition", R::addSlashingConditionCall::SELECTOR),
        ("retireSlashingCondition", R::retireSlashingConditionCall::SELECTOR),
        ("setConditionSlasher", R::setConditionSlasherCall::SELECTOR),
        ("registerForOperatorSets", R::registerForOperatorSetsCall::SELECTOR),
        ("acceptSlashingConditions", R::acceptSlashingConditionsCall::SELECTOR),
        ("deregisterFromOperatorSets", R::deregisterFromOperatorSetsCall::SELECTOR),
        ("setAllocationDelay", R::setAllocationDelayCall::SELECTOR),
        ("modifyAllocations", R::modifyAllocationsCall::SELECTOR),
    ]
};

/// The selector of the appointable registry function `name`.
pub fn appointable_selector(name: &str) -> Result<[u8; 4]> {
    match APPOINTABLE.iter().find(|(known, _)| *known == name) {
        Some((_, selector)) => Ok(*selector),
        None => {
            let names: Vec<&str> = APPOINTABLE.iter().chain(&crate::rewards::APPOINTABLE).map(|(known, _)| *known).collect();
            anyhow::bail!("`{name}` cannot be appointed; the appointable functions are: {}", names.join(", "))
        }
    }
}

/// `client` grants (`allowed`) or revokes `appointee` the right to call
/// `function` (`selector`) of the contract at `at` for it: the same
/// `setAppointee` on every contract with appointees.
pub(crate) async fn set_appointee(
    client: &Client,
    at: Address,
    appointee: Address,
    function: &str,
    selector: [u8; 4],
    allowed: bool,
) -> Result<()> {
    send!(IAppointees::new(at, client.provider.clone()).setAppointee(appointee, selector.into(), allowed), "setAppointee")?;
    let verb = if allowed { "may now call" } else { "may no longer call" };
    println!("{appointee} {verb} {function} for {}", client.from);
    Ok(())
}

impl Registry {
    /// The operator or AVS the transactions act as: the appointer, or the signer.
    pub fn account(&self) -> Address {
        self.acting.unwrap_or(self.client.from)
    }

    /// Refuses `--as` for `function`, which no one can call for another account.
    fn as_itself(&self, function: &str) -> Result<()> {
        match self.acting {
            Some(account) => anyhow::bail!("{function} cannot be called for another account (--as {account}): only the account itself can"),
            None => Ok(()),
        }
    }

    /// The signer grants (`allowed`) or revokes `appointee` the right to call
    /// its registry function `function` (a Solidity name of [`APPOINTABLE`]) for it.
    pub async fn appoint(&self, appointee: Address, function: &str, allowed: bool) -> Result<()> {
        self.as_itself("setAppointee")?;
        set_appointee(&self.client, self.at, appointee, function, appointable_selector(function)?, allowed).await
    }

    fn registry(&self) -> IAvsRegistry::IAvsRegistryInstance<DynProvider> {
        IAvsRegistry::new(self.at, self.client.provider.clone())
    }

    fn appointees(&self) -> IAppointees::IAppointeesInstance<DynProvider> {
        IAppointees::new(self.at, self.client.provider.clone())
    }

    /// Registers the account as an AVS.
    pub async fn register_avs(&self, metadata_uri: &str) -> Result<()> {
        self.as_itself("registerAVS")?;
        send!(self.registry().registerAVS(metadata_uri.into()), "registerAVS")?;
        println!("registered AVS {} ({metadata_uri})", self.client.from);
        Ok(())
    }

    /// Creates operator set `set_id` over `strategies` (sorted, unique).
    pub async fn create_set(&self, set_id: u64, mut strategies: Vec<Address>) -> Result<()> {
        strategies.sort();
        act!(self, registry, createOperatorSet(set_id, strategies.clone()), "createOperatorSet")?;
        println!(
            "created operator set {set_id} of AVS {} over {} strateg{}",
            self.account(),
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
        let receipt = act!(@send self, call, "addSlashingCondition")?;
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
        act!(self, registry, retireSlashingCondition(id), "retireSlashingCondition")?;
        println!("retired condition {id}");
        Ok(())
    }

    /// Operator: sets its allocation delay (takes effect after the configuration delay).
    pub async fn set_allocation_delay(&self, seconds: u64) -> Result<()> {
        act!(self, registry, setAllocationDelay(seconds), "setAllocationDelay")?;
        println!("allocation delay of {} set to {seconds} s", self.account());
        Ok(())
    }

    /// Operator: registers for `avs`'s sets, accepting `conditions`.
    pub async fn opt_in(&self, avs: Address, set_ids: Vec<u64>, conditions: Vec<u64>) -> Result<TransactionReceipt> {
        let receipt = act!(self, registry, registerForOperatorSets(avs, set_ids.clone(), conditions.clone()), "registerForOperatorSets")?;
        println!("operator {} opted in to AVS {avs} sets {set_ids:?}, accepting conditions {conditions:?}", self.account());
        Ok(receipt)
    }

    /// Operator: allocates `magnitudes` (1e18 = all its stake) of `strategies` to `avs`'s set.
    pub async fn allocate(&self, avs: Address, set_id: u64, strategies: Vec<Address>, magnitudes: Vec<u64>) -> Result<TransactionReceipt> {
        let receipt = act!(self, registry, modifyAllocations(avs, set_id, strategies, magnitudes.clone()), "modifyAllocations")?;
        let shown: Vec<String> = magnitudes.iter().map(|m| fmt::percent(U256::from(*m))).collect();
        println!("operator {} allocated {} to AVS {avs} set {set_id}", self.account(), shown.join(", "));
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
        self.as_itself("slash")?;
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
        self.as_itself("requestSlash")?;
        let receipt = send!(self.registry().requestSlash(operator, condition, strategies, wads, evidence), "requestSlash")?;
        let requested = logged::<SlashRequested>(&receipt).into_iter().next().context("no SlashRequested")?;
        println!("requested slash {} of operator {operator}, executable at {}", requested.slashId, requested.executableAt);
        Ok(requested.slashId)
    }

    /// Resolver: vetoes slash `id`.
    pub async fn veto(&self, id: u64) -> Result<()> {
        self.as_itself("vetoSlash")?;
        send!(self.registry().vetoSlash(id), "vetoSlash")?;
        println!("vetoed slash {id}");
        Ok(())
    }

    /// Anyone: executes requested slash `id` after its veto window.
    pub async fn execute_slash(&self, id: u64, strategies: Vec<Address>, wads: Vec<u64>) -> Result<()> {
        self.as_itself("executeSlash")?;
        let receipt = send!(self.registry().executeSlash(id, strategies, wads), "executeSlash")?;
        println!("executed slash {id} (gas {})", receipt.gas_used);
        Ok(())
    }
}
