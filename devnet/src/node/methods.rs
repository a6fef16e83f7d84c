//! JSON-RPC methods: parameters in, JSON out, over [`Devnet`] (the reads
//! of the head state are in [`super::reads`]).

use super::debug;
use super::devnet::Devnet;
use super::encode::{self, quantity};
use super::params::{BlockId, CallRequest, LogFilter, Params, Quantity, StateOverrides};
use super::rpc::RpcError;
use super::signed;
use alloy_primitives::{Address, Bytes, B256, U256};
use serde_json::{json, Value};

/// Version string of `web3_clientVersion`.
pub const CLIENT_VERSION: &str = concat!("keel-devnet/", env!("CARGO_PKG_VERSION"));
/// Most blocks one `eth_getLogs` may scan.
const MAX_LOG_RANGE: u64 = 100_000;

/// Runs `method` with `params`.
pub fn dispatch(devnet: &mut Devnet, method: &str, params: &[Value]) -> Result<Value, RpcError> {
    if super::reads::is_read(method) {
        return super::reads::dispatch(&devnet.read_view(), method, params);
    }
    let p = Params(params);
    match method {
        "net_version" => none(&p).map(|_| json!(devnet.chain().chain_id().to_string())),
        "net_listening" => none(&p).map(|_| json!(true)),
        "eth_syncing" => none(&p).map(|_| json!(false)),
        "web3_clientVersion" => none(&p).map(|_| json!(CLIENT_VERSION)),
        "eth_accounts" => none(&p).map(|_| json!(devnet.accounts().iter().map(|a| a.address).collect::<Vec<_>>())),
        "eth_gasPrice" => none(&p).map(|_| json!(devnet.chain().base_fee())),
        "eth_maxPriorityFeePerGas" => none(&p).map(|_| json!(U256::ZERO)),
        "eth_feeHistory" => fee_history(devnet, &p),
        "eth_estimateGas" => estimate_gas(devnet, &p),
        "eth_sendRawTransaction" => send_raw(devnet, &p),
        "eth_sendTransaction" => {
            p.at_most(1)?;
            let request: CallRequest = p.get(0, "transaction")?;
            devnet.send_unsigned(&request).map(|hash| json!(hash))
        }
        "eth_getTransactionByHash" => with_tx(devnet, &p, encode::transaction),
        "eth_getTransactionReceipt" => with_tx(devnet, &p, encode::receipt),
        "eth_getBlockByNumber" | "eth_getBlockByHash" => get_block(devnet, &p, method == "eth_getBlockByHash"),
        "eth_getLogs" => get_logs(devnet, &p),
        "debug_traceTransaction" => debug::trace_transaction(devnet, &p),
        "debug_traceCall" => debug::trace_call(devnet, &p),
        _ => match super::sign::dispatch(devnet, method, &p) {
            Some(signed) => signed,
            None => cheat(devnet, method, &p),
        },
    }
}

/// The anvil / hardhat test methods.
fn cheat(devnet: &mut Devnet, method: &str, p: &Params) -> Result<Value, RpcError> {
    match method {
        "evm_increaseTime" => {
            p.at_most(1)?;
            let seconds: Quantity = p.get(0, "seconds")?;
            Ok(quantity(devnet.increase_time(seconds.0).max(0) as u64))
        }
        "evm_setNextBlockTimestamp" => {
            p.at_most(1)?;
            let timestamp: Quantity = p.get(0, "timestamp")?;
            devnet.set_next_timestamp(timestamp.0).map(|_| Value::Null)
        }
        "anvil_setBlockTimestampInterval" => {
            p.at_most(1)?;
            let seconds: Quantity = p.get(0, "seconds")?;
            devnet.set_timestamp_interval(Some(seconds.0));
            Ok(Value::Null)
        }
        "anvil_removeBlockTimestampInterval" => {
            none(p)?;
            Ok(json!(devnet.set_timestamp_interval(None).is_some()))
        }
        "evm_mine" => {
            p.at_most(1)?;
            let timestamp: Option<Quantity> = p.opt(0, "timestamp")?;
            if let Some(Quantity(t)) = timestamp {
                devnet.set_next_timestamp(t)?;
            }
            devnet.mine();
            Ok(json!("0x0"))
        }
        "evm_snapshot" => none(p).map(|_| quantity(devnet.snapshot())),
        "evm_revert" => {
            p.at_most(1)?;
            let id: Quantity = p.get(0, "snapshot id")?;
            Ok(json!(devnet.revert(id.0)))
        }
        "anvil_setBalance" | "hardhat_setBalance" => {
            let (address, balance): (Address, U256) = (p.get(0, "address")?, p.get(1, "balance")?);
            p.at_most(2)?;
            devnet.chain_mut().set_balance(address, balance);
            Ok(Value::Null)
        }
        "anvil_setCode" | "hardhat_setCode" => {
            let (address, code): (Address, Bytes) = (p.get(0, "address")?, p.get(1, "code")?);
            p.at_most(2)?;
            devnet.chain_mut().set_code(address, code);
            Ok(Value::Null)
        }
        "anvil_setNonce" | "hardhat_setNonce" => {
            let (address, nonce): (Address, Quantity) = (p.get(0, "address")?, p.get(1, "nonce")?);
            p.at_most(2)?;
            devnet.chain_mut().set_nonce(address, nonce.0);
            Ok(Value::Null)
        }
        "anvil_setStorageAt" | "hardhat_setStorageAt" => {
            let (address, slot, value): (Address, U256, B256) = (p.get(0, "address")?, p.get(1, "slot")?, p.get(2, "value")?);
            p.at_most(3)?;
            devnet.chain_mut().set_storage(address, slot.into(), value);
            Ok(json!(true))
        }
        "anvil_impersonateAccount"
        | "hardhat_impersonateAccount"
        | "anvil_stopImpersonatingAccount"
        | "hardhat_stopImpersonatingAccount" => {
            p.at_most(1)?;
            let address: Address = p.get(0, "address")?;
            devnet.impersonate(address, !method.contains("stop"));
            Ok(Value::Null)
        }
        _ => super::meter_methods::dispatch(devnet, method, p).unwrap_or_else(|| Err(RpcError::method_not_found(method))),
    }
}

fn none(p: &Params) -> Result<(), RpcError> {
    p.at_most(0)
}

fn estimate_gas(devnet: &mut Devnet, p: &Params) -> Result<Value, RpcError> {
    p.at_most(3)?;
    let request: CallRequest = p.get(0, "transaction")?;
    devnet.require_latest(p.opt(1, "block")?)?;
    let overrides: Option<StateOverrides> = p.opt(2, "state overrides")?;
    devnet.estimate_gas(&request, overrides.as_ref()).map(quantity)
}

fn send_raw(devnet: &mut Devnet, p: &Params) -> Result<Value, RpcError> {
    p.at_most(1)?;
    let raw: Bytes = p.get(0, "raw transaction")?;
    let tx = signed::decode(&raw).map_err(RpcError::invalid_params)?;
    devnet.send(tx).map(|hash| json!(hash))
}

fn with_tx(devnet: &mut Devnet, p: &Params, encode: fn(&super::ledger::MinedTx) -> Value) -> Result<Value, RpcError> {
    p.at_most(1)?;
    let hash: B256 = p.get(0, "transaction hash")?;
    Ok(devnet.ledger().tx(hash).map(encode).unwrap_or(Value::Null))
}

fn get_block(devnet: &mut Devnet, p: &Params, by_hash: bool) -> Result<Value, RpcError> {
    p.at_most(2)?;
    let id = if by_hash { BlockId::Hash(p.get(0, "block hash")?) } else { p.get(0, "block")? };
    let full: bool = p.opt(1, "full transactions")?.unwrap_or(false);
    Ok(devnet.block(id).map(|block| encode::block(block, devnet.ledger(), full)).unwrap_or(Value::Null))
}

fn fee_history(devnet: &mut Devnet, p: &Params) -> Result<Value, RpcError> {
    p.at_most(3)?;
    let count: Quantity = p.get(0, "block count")?;
    let newest = p.get::<BlockId>(1, "newest block")?;
    let percentiles: Vec<f64> = p.opt(2, "reward percentiles")?.unwrap_or_default();
    let newest = devnet.block(newest).ok_or_else(|| RpcError::server("newest block not found"))?.number;
    let count = count.0.min(1024).min(newest + 1);
    let oldest = newest + 1 - count;
    let ledger = devnet.ledger();
    let blocks: Vec<_> = (oldest..=newest).filter_map(|n| ledger.block(n)).collect();
    let mut base_fees: Vec<Value> = blocks.iter().map(|b| json!(b.base_fee)).collect();
    base_fees.push(json!(devnet.chain().base_fee()));
    let ratios: Vec<f64> = blocks.iter().map(|b| b.gas_used as f64 / crate::BLOCK_GAS_LIMIT as f64).collect();
    let mut history = json!({ "oldestBlock": quantity(oldest), "baseFeePerGas": base_fees, "gasUsedRatio": ratios });
    if !percentiles.is_empty() {
        history["reward"] = json!(blocks.iter().map(|_| vec!["0x0"; percentiles.len()]).collect::<Vec<_>>());
    }
    Ok(history)
}

fn get_logs(devnet: &mut Devnet, p: &Params) -> Result<Value, RpcError> {
    p.at_most(1)?;
    let filter: LogFilter = p.get(0, "filter")?;
    let ledger = devnet.ledger();
    let number = |id: Option<BlockId>| -> Result<u64, RpcError> {
        let id = id.unwrap_or(BlockId::Latest);
        devnet.block(id).map(|b| b.number).ok_or_else(|| RpcError::server(format!("block {id:?} not found")))
    };
    let (from, to) = match filter.block_hash {
        Some(hash) if filter.from_block.is_some() || filter.to_block.is_some() => {
            return Err(RpcError::invalid_params(format!("blockHash {hash} excludes fromBlock/toBlock")))
        }
        Some(hash) => {
            let n = number(Some(BlockId::Hash(hash)))?;
            (n, n)
        }
        None => (number(filter.from_block)?, number(filter.to_block.or(Some(BlockId::Latest)))?),
    };
    if from > to {
        return Err(RpcError::invalid_params(format!("fromBlock {from} is after toBlock {to}")));
    }
    if to - from >= MAX_LOG_RANGE {
        return Err(RpcError::server(format!("block range too large: at most {MAX_LOG_RANGE} blocks")));
    }
    let mut logs = Vec::new();
    for block in (from..=to).filter_map(|n| ledger.block(n)) {
        for mined in block.transactions.iter().filter_map(|h| ledger.tx(*h)) {
            for (index, log) in mined.logs.iter().enumerate() {
                let address_ok = filter.address.as_ref().is_none_or(|a| a.matches(&log.address));
                let topics = log.topics();
                let topics_ok = filter.topics.len() <= topics.len()
                    && filter.topics.iter().zip(topics).all(|(want, have)| want.as_ref().is_none_or(|w| w.matches(have)));
                if address_ok && topics_ok {
                    logs.push(encode::log(log, mined, index));
                }
            }
        }
    }
    Ok(Value::Array(logs))
}
