//! JSON encoding of blocks, transactions, receipts and logs in the shapes
//! Ethereum clients (cast, alloy, ethers, viem) expect.

use super::ledger::{Block, Ledger, MinedTx};
use super::signed::TxType;
use crate::COINBASE;
use alloy_primitives::{b256, Log, B256};
use serde_json::{json, Value};

/// keccak256 of the RLP of an empty list (no uncles).
const EMPTY_OMMERS_HASH: B256 = b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
/// Root of an empty Merkle-Patricia trie.
const EMPTY_TRIE_ROOT: B256 = b256!("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

/// A `u64` as a hex quantity.
pub fn quantity(value: u64) -> Value {
    Value::String(format!("{value:#x}"))
}

/// A block with transaction hashes or, if `full`, transaction objects.
pub fn block(block: &Block, ledger: &Ledger, full: bool) -> Value {
    let transactions: Vec<Value> = block
        .transactions
        .iter()
        .map(|hash| match ledger.tx(*hash) {
            Some(mined) if full => transaction(mined),
            _ => json!(hash),
        })
        .collect();
    json!({
        "number": quantity(block.number),
        "hash": block.hash,
        "parentHash": block.parent_hash,
        "nonce": "0x0000000000000000",
        "mixHash": B256::ZERO,
        "sha3Uncles": EMPTY_OMMERS_HASH,
        "logsBloom": block.logs_bloom,
        "transactionsRoot": if block.transactions.is_empty() { EMPTY_TRIE_ROOT } else { block.hash },
        "stateRoot": EMPTY_TRIE_ROOT,
        "receiptsRoot": if block.transactions.is_empty() { EMPTY_TRIE_ROOT } else { block.hash },
        "miner": COINBASE,
        "difficulty": "0x0",
        "totalDifficulty": "0x0",
        "extraData": "0x",
        "size": quantity(1_000),
        "gasLimit": quantity(crate::BLOCK_GAS_LIMIT),
        "gasUsed": quantity(block.gas_used),
        "timestamp": quantity(block.timestamp),
        "baseFeePerGas": block.base_fee,
        "transactions": transactions,
        "uncles": [],
    })
}

/// A mined transaction (`eth_getTransactionByHash`).
pub fn transaction(mined: &MinedTx) -> Value {
    let tx = &mined.tx;
    let mut value = json!({
        "hash": tx.hash,
        "type": quantity(tx.tx_type.number().into()),
        "nonce": quantity(tx.nonce),
        "blockHash": mined.block_hash,
        "blockNumber": quantity(mined.block_number),
        "transactionIndex": "0x0",
        "from": tx.from,
        "to": tx.to,
        "value": tx.value,
        "gas": quantity(tx.gas),
        // Signed field for legacy and EIP-2930; the price paid for EIP-1559, as geth reports it.
        "gasPrice": if tx.max_priority_fee.is_some() { mined.effective_gas_price } else { tx.max_fee },
        "input": tx.input,
        "v": quantity(tx.v()),
        "r": tx.r,
        "s": tx.s,
    });
    if let Some(chain_id) = tx.chain_id {
        value["chainId"] = quantity(chain_id);
    }
    if tx.tx_type != TxType::Legacy {
        value["accessList"] = json!(tx.access_list);
        value["yParity"] = quantity(tx.y_parity.into());
    }
    if let Some(tip) = tx.max_priority_fee {
        value["maxFeePerGas"] = json!(tx.max_fee);
        value["maxPriorityFeePerGas"] = json!(tip);
    }
    value
}

/// A log of `mined` at position `index` in its block.
pub fn log(log: &Log, mined: &MinedTx, index: usize) -> Value {
    json!({
        "address": log.address,
        "topics": log.topics(),
        "data": log.data.data,
        "blockNumber": quantity(mined.block_number),
        "blockHash": mined.block_hash,
        "blockTimestamp": quantity(mined.block_timestamp),
        "transactionHash": mined.tx.hash,
        "transactionIndex": "0x0",
        "logIndex": quantity(index as u64),
        "removed": false,
    })
}

/// The receipt of `mined` (`eth_getTransactionReceipt`).
pub fn receipt(mined: &MinedTx) -> Value {
    let logs: Vec<Value> = mined.logs.iter().enumerate().map(|(i, l)| log(l, mined, i)).collect();
    json!({
        "transactionHash": mined.tx.hash,
        "transactionIndex": "0x0",
        "blockHash": mined.block_hash,
        "blockNumber": quantity(mined.block_number),
        "from": mined.tx.from,
        "to": mined.tx.to,
        "type": quantity(mined.tx.tx_type.number().into()),
        "status": quantity(mined.status.into()),
        "gasUsed": quantity(mined.gas_used),
        "gasUsedForL1": quantity(mined.gas_used_for_l1),
        "cumulativeGasUsed": quantity(mined.gas_used),
        "effectiveGasPrice": mined.effective_gas_price,
        "contractAddress": mined.contract_address,
        "logs": logs,
        "logsBloom": mined.logs_bloom,
    })
}
