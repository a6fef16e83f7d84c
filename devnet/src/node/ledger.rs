//! The mined history: blocks (one transaction each, or none) and the
//! transactions with their receipts, indexed by number and hash.

use super::signed::SignedTx;
use crate::Receipt;
use alloy_primitives::{keccak256, Address, Bloom, Log, B256, U256};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A mined block.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Block {
    /// Block number.
    pub number: u64,
    /// Block hash (keccak256 of parent hash, number, timestamp and
    /// transaction hashes: not a real header hash).
    pub hash: B256,
    /// Hash of the previous block.
    pub parent_hash: B256,
    /// Timestamp in seconds.
    pub timestamp: u64,
    /// Base fee per gas.
    pub base_fee: U256,
    /// Gas used by the block's transactions.
    pub gas_used: u64,
    /// Hashes of the block's transactions, in order.
    pub transactions: Vec<B256>,
    /// Bloom filter of the block's logs.
    pub logs_bloom: Bloom,
}

/// A mined transaction and its receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MinedTx {
    /// The transaction as sent.
    pub tx: SignedTx,
    /// Block it is in.
    pub block_number: u64,
    /// Hash of that block.
    pub block_hash: B256,
    /// Timestamp of that block.
    pub block_timestamp: u64,
    /// True when execution succeeded.
    pub status: bool,
    /// Gas used.
    pub gas_used: u64,
    /// L1 poster gas included in `gas_used`.
    #[serde(default)]
    pub gas_used_for_l1: u64,
    /// Price per gas paid.
    pub effective_gas_price: U256,
    /// Created contract, for successful creations.
    pub contract_address: Option<Address>,
    /// Logs emitted.
    pub logs: Vec<Log>,
    /// Bloom filter of `logs`.
    pub logs_bloom: Bloom,
}

/// Blocks and transactions since genesis.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ledger {
    blocks: Vec<Block>,
    txs: HashMap<B256, MinedTx>,
    block_numbers: HashMap<B256, u64>,
}

impl Ledger {
    /// A ledger holding only the genesis block.
    pub fn new(genesis_timestamp: u64, base_fee: U256) -> Self {
        let mut ledger = Self { blocks: Vec::new(), txs: HashMap::new(), block_numbers: HashMap::new() };
        ledger.push(genesis_timestamp, base_fee, None);
        ledger
    }

    /// The latest block.
    pub fn head(&self) -> &Block {
        self.blocks.last().expect("the genesis block is never removed")
    }

    /// Block `number`, if mined.
    pub fn block(&self, number: u64) -> Option<&Block> {
        self.blocks.get(usize::try_from(number).ok()?)
    }

    /// The block with `hash`, if mined.
    pub fn block_by_hash(&self, hash: B256) -> Option<&Block> {
        self.block_numbers.get(&hash).and_then(|n| self.block(*n))
    }

    /// The mined transaction with `hash`.
    pub fn tx(&self, hash: B256) -> Option<&MinedTx> {
        self.txs.get(&hash)
    }

    /// Mines a block at `timestamp` holding `tx` (with its receipt and
    /// price), or an empty block.
    pub fn push(&mut self, timestamp: u64, base_fee: U256, tx: Option<(SignedTx, Receipt, U256)>) {
        let (number, parent_hash) = match self.blocks.last() {
            Some(parent) => (parent.number + 1, parent.hash),
            None => (0, B256::ZERO),
        };
        let mut preimage = [parent_hash.as_slice(), &number.to_be_bytes(), &timestamp.to_be_bytes()].concat();
        if let Some((tx, _, _)) = &tx {
            preimage.extend_from_slice(tx.hash.as_slice());
        }
        let hash = keccak256(preimage);
        let mut block =
            Block { number, hash, parent_hash, timestamp, base_fee, gas_used: 0, transactions: Vec::new(), logs_bloom: Bloom::ZERO };
        if let Some((tx, receipt, effective_gas_price)) = tx {
            let mut logs_bloom = Bloom::ZERO;
            logs_bloom.accrue_logs(&receipt.logs);
            block.gas_used = receipt.gas_used;
            block.transactions.push(tx.hash);
            block.logs_bloom = logs_bloom;
            let mined = MinedTx {
                block_number: number,
                block_hash: hash,
                block_timestamp: timestamp,
                status: receipt.status,
                gas_used: receipt.gas_used,
                gas_used_for_l1: receipt.gas_used_for_l1,
                effective_gas_price,
                contract_address: receipt.contract_address,
                logs: receipt.logs,
                logs_bloom,
                tx,
            };
            self.txs.insert(mined.tx.hash, mined);
        }
        self.block_numbers.insert(hash, number);
        self.blocks.push(block);
    }

    /// Drops every block after `number` (and their transactions).
    pub fn truncate(&mut self, number: u64) {
        while self.head().number > number {
            let block = self.blocks.pop().expect("above genesis");
            self.block_numbers.remove(&block.hash);
            for hash in block.transactions {
                self.txs.remove(&hash);
            }
        }
    }
}
