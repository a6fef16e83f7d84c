//! The AVS part of `keel status`: each AVS's operator sets, their slashing
//! conditions, and the operators registered with the stake they put at risk.

use crate::{
    bindings::{
        avs_registry::IAvsRegistry::{AVSRegistered, OperatorRegistered, OperatorSetCreated, SlashingConditionAdded},
        IAvsRegistry,
    },
    client::Client,
    fmt,
    revert::explain,
};
use alloy::primitives::{Address, U256};
use anyhow::Result;
use std::fmt::Write;

/// A 64-bit wad (1e18 = 100%) as a percentage.
fn percent(wad: u64) -> String {
    fmt::percent(U256::from(wad))
}

/// Appends the AVS table: sets with their strategies, conditions (cap, veto
/// window, slasher, where slashed funds go, whether retired) and registered
/// operators with the stake each set can slash per strategy, in all and per
/// incident (the registry's `slashableStake` view), then what each set can
/// slash from each of `stakers` (name, address) through its operator
/// (`stakerSlashableStake`), where that is not zero.
pub async fn section(out: &mut String, client: &Client, at: Address, tokens: &[Address], stakers: &[(&str, Address)]) -> Result<()> {
    let registry = IAvsRegistry::new(at, client.provider.clone());
    let sets = client.history::<OperatorSetCreated>(at, None).await?;
    let conditions = client.history::<SlashingConditionAdded>(at, None).await?;
    let registrations = client.history::<OperatorRegistered>(at, None).await?;
    writeln!(out, "\nAVSs")?;
    for avs in client.history::<AVSRegistered>(at, None).await?.into_iter().map(|e| e.avs) {
        writeln!(out, "  {avs}")?;
        for set in sets.iter().filter(|s| s.avs == avs).map(|s| s.setId) {
            let strategies = registry.operatorSetStrategies(avs, set).call().await.map_err(explain)?;
            let names: Vec<String> = strategies.iter().map(|s| s.to_string()).collect();
            writeln!(out, "    set {set}: strategies {}", names.join(", "))?;
            for condition in conditions.iter().filter(|c| c.avs == avs && c.setId == set) {
                let terms = registry.slashingCondition(condition.conditionId).call().await.map_err(explain)?;
                let slasher = registry.conditionDetails(condition.conditionId).call().await.map_err(explain)?._0;
                let funds = if terms._5.is_zero() { "burnt".to_string() } else { format!("to {}", terms._5) };
                let state = if terms._6 { "retired" } else { "active" };
                writeln!(
                    out,
                    "      condition {}: cap {}, veto window {} s, slasher {slasher}, funds {funds}, {state}",
                    condition.conditionId,
                    percent(terms._2),
                    terms._3
                )?;
            }
            let mut seen = Vec::new();
            for operator in registrations.iter().filter(|r| r.avs == avs && r.setId == set).map(|r| r.operator) {
                if seen.contains(&operator) {
                    continue;
                }
                seen.push(operator);
                let status = registry.registrationStatus(operator, avs, set).call().await.map_err(explain)?;
                let (registered, slashable) = (status._0, status._1);
                let state = if slashable {
                    "slashable"
                } else if registered {
                    "registered"
                } else {
                    "left"
                };
                writeln!(out, "      operator {operator} ({state})")?;
                for token in tokens.iter().filter(|t| strategies.contains(t)) {
                    let allocated = registry.allocation(operator, avs, set, *token).call().await.map_err(explain)?._0;
                    let max = registry.operatorMagnitudes(operator, *token).call().await.map_err(explain)?._0;
                    let at_risk = registry.slashableStake(operator, avs, set, *token).call().await.map_err(explain)?;
                    writeln!(
                        out,
                        "        {token}: allocated {} of max {}, slashable stake {} in all, {} per incident",
                        percent(allocated),
                        percent(max),
                        fmt::amount(at_risk._0),
                        fmt::amount(at_risk._1)
                    )?;
                }
            }
            for (name, staker) in stakers {
                for token in tokens.iter().filter(|t| strategies.contains(t)) {
                    let at_risk = registry.stakerSlashableStake(*staker, avs, set, *token).call().await.map_err(explain)?;
                    if !at_risk._0.is_zero() {
                        let (all, incident) = (fmt::amount(at_risk._0), fmt::amount(at_risk._1));
                        writeln!(out, "      {name} {staker} can lose {all} of {token} in all, {incident} per incident")?;
                    }
                }
            }
        }
    }
    Ok(())
}
