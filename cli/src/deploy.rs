//! `keel deploy`: every contract through the StylusDeployer (creation,
//! activation with the data fee paid, constructor); a module above 24 KiB
//! compressed first deploys its fragments, then its root through the
//! StylusDeployer (ArbOS 60, as cargo-stylus does). Then the wiring between
//! them and the configured strategies and roles. Re-running resumes: a
//! contract whose recorded address holds exactly the code built here is
//! kept, and each wiring step checks the chain before it sends.

use crate::{
    bindings::{
        arbitrum::{ArbWasm, StylusDeployer},
        delegation_manager::IAccessControl,
        IDelegationManager, IRewardsCoordinator, IStrategyManager,
    },
    client::{logged, succeeded, Client},
    config::Config,
    deployments::{Deployed, Deployments},
    revert::explain,
    stake::send,
};
use alloy::{
    network::TransactionBuilder,
    primitives::{address, keccak256, Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::{
        state::{AccountOverride, StateOverride},
        TransactionRequest,
    },
    sol_types::{sol_data, SolType, SolValue},
};
use anyhow::{bail, Context, Result};
use keel_wasm::{Deployment, Fragmented};
use std::path::Path;

/// ArbWasm, the activation precompile.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// The StylusDeployer's canonical address.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// The selector Stylus routes to a contract's constructor.
pub const CONSTRUCTOR_SELECTOR: [u8; 4] = [0x55, 0x85, 0x25, 0x8d];
/// Where the data fee is simulated (any address without code).
const FEE_PROBE: Address = address!("000000000000000000000000000000006b65656c");

/// Deploys and wires Keel; records it in `deployments_dir`.
pub async fn deploy(client: &Client, config: &Config, wasm_dir: &Path, deployments_dir: &Path) -> Result<Deployments> {
    let mut record = Deployments::load(deployments_dir, client.chain_id)?;
    let owner = client.from;
    println!("deploying Keel to chain {} as {owner}", client.chain_id);
    let mut tokens = Vec::new();
    for (name, token) in [("TestToken", &config.test_token), ("RewardToken", &config.reward_token)] {
        if let Some(t) = token {
            type Args = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
            let args = Args::abi_encode_params(&(t.name.clone(), t.symbol.clone(), 18, owner));
            tokens.push((name, program(client, &mut record, deployments_dir, wasm_dir, name, "TestToken", Some(args)).await?));
        }
    }
    let find = |wanted: &str| tokens.iter().find(|(name, _)| *name == wanted).map(|(_, at)| *at);
    let (token, reward_token) = (find("TestToken"), find("RewardToken"));
    let sm =
        program(client, &mut record, deployments_dir, wasm_dir, "StrategyManager", "StrategyManager", Some((owner,).abi_encode_params()))
            .await?;
    let dm_args = (owner, sm, U256::from(config.withdrawal_delay_seconds)).abi_encode_params();
    let dm = program(client, &mut record, deployments_dir, wasm_dir, "DelegationManager", "DelegationManager", Some(dm_args)).await?;

    let delays = &config.registry;
    let registry_args =
        (owner, dm, delays.allocation_configuration_delay, delays.deallocation_delay, delays.slasher_change_delay).abi_encode_params();
    let registry = program(client, &mut record, deployments_dir, wasm_dir, "AvsRegistry", "AvsRegistry", Some(registry_args)).await?;

    let delegation_manager = IDelegationManager::new(dm, client.provider.clone());
    if delegation_manager.config().call().await.map_err(explain)?._1.is_zero() {
        send!(delegation_manager.setSlasher(registry), "setSlasher")?;
        println!("  configured  DelegationManager.setSlasher({registry})");
    }
    let rewards = program(
        client,
        &mut record,
        deployments_dir,
        wasm_dir,
        "RewardsCoordinator",
        "RewardsCoordinator",
        Some((owner, dm).abi_encode_params()),
    )
    .await?;
    // Before any staker delegates: stake delegated earlier is unknown to the coordinator.
    if delegation_manager.config().call().await.map_err(explain)?._2.is_zero() {
        send!(delegation_manager.setRewardsCoordinator(rewards), "setRewardsCoordinator")?;
        println!("  configured  DelegationManager.setRewardsCoordinator({rewards})");
    }
    let coordinator = IRewardsCoordinator::new(rewards, client.provider.clone());
    for token in reward_token.into_iter().chain(config.reward_tokens.iter().copied()) {
        if !coordinator.isRewardToken(token).call().await.map_err(explain)? {
            send!(coordinator.setRewardToken(token, true), "setRewardToken")?;
            println!("  configured  RewardsCoordinator.setRewardToken({token})");
        }
    }
    let strategy_manager = IStrategyManager::new(sm, client.provider.clone());
    if strategy_manager.delegationManager().call().await.map_err(explain)? != dm {
        send!(strategy_manager.setDelegationManager(dm), "setDelegationManager")?;
        println!("  configured  StrategyManager.setDelegationManager({dm})");
    }
    let strategies = token.map(|t| (t, None)).into_iter().chain(config.strategies.iter().map(|s| (s.token, s.cap.clone())));
    for (token, cap) in strategies {
        let cap = match cap {
            Some(text) => text.parse::<U256>().with_context(|| format!("bad cap {text}"))?,
            None => U256::MAX,
        };
        if strategy_manager.strategyInfo(token).call().await.map_err(explain)?._0 {
            continue;
        }
        send!(strategy_manager.addStrategy(token, cap), "addStrategy")?;
        println!("  configured  StrategyManager.addStrategy({token})");
    }
    if let Some(predecessor) = config.predecessor {
        if strategy_manager.migrationPeers().call().await.map_err(explain)?._1.is_zero() {
            send!(strategy_manager.setPredecessor(predecessor), "setPredecessor")?;
            println!("  configured  StrategyManager.setPredecessor({predecessor})");
        }
    }
    let mut targets = vec![sm, dm, registry, rewards];
    if let Some(lrt) = &config.lrt {
        let asset = lrt.asset.or(token).context("[lrt] needs `asset` or a [test_token]")?;
        let admin = program(client, &mut record, deployments_dir, wasm_dir, "LrtVaultAdmin", "LrtVaultAdmin", None).await?;
        let args = (owner, asset, sm, dm, admin, lrt.name.clone(), lrt.symbol.clone()).abi_encode_params();
        let vault = program(client, &mut record, deployments_dir, wasm_dir, "LrtVault", "LrtVault", Some(args)).await?;
        crate::lrt::configure(client, vault, dm, lrt).await?;
        targets.push(vault);
    }
    for pauser in &config.pausers {
        for target in targets.iter().copied() {
            let access = IAccessControl::new(target, client.provider.clone());
            if !access.isPauser(*pauser).call().await.map_err(explain)? {
                send!(access.setPauser(*pauser, true), "setPauser")?;
                println!("  configured  {target}.setPauser({pauser})");
            }
        }
    }
    Ok(record)
}

/// Deploys `name`, an instance of `contract` (WASM `keel-<kebab-contract>.wasm`
/// in `wasm_dir`), with constructor arguments `args` (`None`: a contract
/// without constructor, such as the LRT vault's extension), unless the recorded
/// deployment still holds the same code; returns its address.
async fn program(
    client: &Client,
    record: &mut Deployments,
    dir: &Path,
    wasm_dir: &Path,
    name: &str,
    contract: &str,
    args: Option<Vec<u8>>,
) -> Result<Address> {
    let file = wasm_dir.join(format!("keel{}.wasm", kebab(contract)));
    let wasm = std::fs::read(&file).with_context(|| format!("cannot read {} (run `make wasm`)", file.display()))?;
    let deployment = keel_wasm::deployment(&wasm);
    if let Some(existing) = record.contracts.get(name) {
        if holds(client, existing.address, &deployment).await? {
            println!("  kept        {name:<18} {} (same code)", existing.address);
            return Ok(existing.address);
        }
    }
    let code = match &deployment {
        Deployment::Single(code) => code.clone(),
        Deployment::Fragmented(fragmented) => deploy_fragments(client, name, fragmented).await?,
    };
    let code_hash = keccak256(&code);
    let data_fee = data_fee(client, &code).await?;
    let deployer = StylusDeployer::new(STYLUS_DEPLOYER, client.provider.clone());
    let init = match args {
        Some(args) => [&CONSTRUCTOR_SELECTOR[..], &args].concat(),
        None => Vec::new(),
    };
    // 20% over the simulated fee, as cargo-stylus does; the deployer refunds the rest.
    let value = data_fee + data_fee / U256::from(5);
    let request = StylusDeployer::deployCall {
        bytecode: keel_wasm::init_code(&code).into(),
        initData: Bytes::from(init),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let call = deployer.call_builder(&request).value(value);
    let receipt = send!(call, name)?;
    let address = logged::<StylusDeployer::ContractDeployed>(&receipt)
        .first()
        .map(|e| e.deployedContract)
        .context("the StylusDeployer emitted no ContractDeployed")?;
    let block = receipt.block_number.unwrap_or_default();
    let size = match deployment.fragment_count() {
        0 => format!("{} bytes", code.len()),
        n => format!("{} bytes in {n} fragments + root", deployment.code_len()),
    };
    println!("  deployed    {name:<18} {address}  {size}, activated for {data_fee} wei, gas {}", receipt.gas_used);
    record.contracts.insert(name.into(), Deployed { address, code_hash, tx: receipt.transaction_hash, block, data_fee });
    record.save(dir)?;
    Ok(address)
}

/// Deploys a module's fragments with plain creation transactions, in
/// order, and returns the root's code naming them (cargo-stylus's
/// `deploy_fragments`); the root is then deployed like a single contract.
async fn deploy_fragments(client: &Client, name: &str, fragmented: &Fragmented) -> Result<Vec<u8>> {
    let mut addresses = Vec::with_capacity(fragmented.fragments.len());
    for (i, fragment) in fragmented.fragments.iter().enumerate() {
        let request = TransactionRequest::default().from(client.from).with_deploy_code(keel_wasm::init_code(fragment));
        let pending = client.provider.send_transaction(request).await.with_context(|| format!("{name} fragment {i}"))?;
        let receipt = succeeded(pending.get_receipt().await?, &format!("{name} fragment {i}"))?;
        let address = receipt.contract_address.context("a fragment's creation returned no address")?;
        println!("  fragment    {name:<18} {address}  {} bytes", fragment.len());
        addresses.push(address.into_array());
    }
    Ok(fragmented.root_code(&addresses))
}

/// Whether `address` holds `deployment`: the same single contract, or a
/// root over fragments holding the same code and declaring the same length.
async fn holds(client: &Client, address: Address, deployment: &Deployment) -> Result<bool> {
    let code = client.provider.get_code_at(address).await?;
    let Deployment::Fragmented(fragmented) = deployment else {
        return Ok(matches!(deployment, Deployment::Single(ours) if code.as_ref() == ours.as_slice()));
    };
    let Ok(root) = keel_wasm::parse_root(&code) else { return Ok(false) };
    if root.decompressed_len != fragmented.decompressed_len || root.fragments.len() != fragmented.fragments.len() {
        return Ok(false);
    }
    for (at, ours) in root.fragments.iter().zip(&fragmented.fragments) {
        if client.provider.get_code_at(Address::from(*at)).await?.as_ref() != ours.as_slice() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The activation data fee of `code`: zero if a program with the same code
/// hash is already active (another instance of the same contract), else
/// simulated with ArbWasm on an address overridden to hold it.
async fn data_fee(client: &Client, code: &[u8]) -> Result<U256> {
    let arb_wasm = ArbWasm::new(ARB_WASM, client.provider.clone());
    if arb_wasm.codehashVersion(keccak256(code)).call().await.is_ok() {
        return Ok(U256::ZERO);
    }
    let mut state = StateOverride::default();
    state.insert(FEE_PROBE, AccountOverride { code: Some(Bytes::copy_from_slice(code)), ..Default::default() });
    let budget = client.balance().await?;
    if budget.is_zero() {
        bail!("{} has no ETH to pay for activation", client.from);
    }
    let activation = arb_wasm.activateProgram(FEE_PROBE).value(budget / U256::from(2)).state(state).call().await.map_err(explain)?;
    Ok(activation.dataFee)
}

/// `StrategyManager` → `-strategy-manager`.
fn kebab(name: &str) -> String {
    name.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['-', c.to_ascii_lowercase()] } else { vec![c] }).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn contract_names_map_to_wasm_files() {
        assert_eq!(super::kebab("DelegationManager"), "-delegation-manager");
        assert_eq!(super::kebab("TestToken"), "-test-token");
    }
}
