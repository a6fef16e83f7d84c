//! What each node is asked to do. keel-devnet: `balanceOf` calls and signed
//! `transfer` transactions of Keel's Stylus test token (deployed by the
//! standard deployment transaction, activated, constructed). anvil: `eth_call`
//! of a 12-byte EVM contract returning `BALANCE(address)`, and signed plain
//! ETH transfers. Both read and credit the same recipient, so the final
//! `eth_call` equals the number of transfers mined.

use crate::client::Client;
use crate::nodes::Kind;
use alloy_primitives::{keccak256, Address, Bytes, U256};
use alloy_sol_types::{sol_data, SolType};
use keel_devnet::node::accounts::DevAccount;
use keel_devnet::node::signed::UnsignedTx;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

/// Recipient of every measured transfer.
pub const RECIPIENT: Address = Address::new([0xb0; 20]);
/// `maxFeePerGas` of every transaction (above both nodes' base fees).
const MAX_FEE: u64 = 10_000_000_000;
/// Gas limit of the setup transactions.
const SETUP_GAS: u64 = 30_000_000;
/// anvil's stand-in for `balanceOf`, and the EVM read both nodes run:
/// `BALANCE(calldataload(4))`, returned as a word.
const BALANCE_READER: &str = "0x6004353160005260206000f3";
/// Where both nodes get the reader (`anvil_setCode`).
const READER_ADDRESS: Address = Address::new([0xba; 20]);

/// A prepared node: the requests to measure.
pub struct Workload {
    /// `eth_call` parameters of the measured read (the recipient's balance).
    pub call: Value,
    /// `eth_call` parameters of the EVM read (the recipient's ETH balance, by [`BALANCE_READER`]).
    pub evm_call: Value,
    /// A transfer to [`RECIPIENT`]; nonces are set per transaction.
    pub transfer: UnsignedTx,
}

impl Workload {
    /// `eth_getBalance` parameters (the same on both nodes).
    pub fn balance(&self) -> Value {
        json!([RECIPIENT, "latest"])
    }

    /// `eth_getStorageAt` parameters (the same on both nodes): slot 0 of the reader.
    pub fn storage(&self) -> Value {
        json!([READER_ADDRESS, "0x0", "latest"])
    }

    /// `eth_getLogs` parameters (the same on both nodes): every block, a
    /// topic no log has, so each request scans the whole chain and returns
    /// nothing.
    pub fn logs(&self) -> Value {
        json!([{ "fromBlock": "0x0", "toBlock": "latest", "topics": [format!("0x{}", "01".repeat(32))] }])
    }

    /// `count` signed transfers from `sender`, from its next nonce on.
    pub fn transfers(&self, client: &mut Client, sender: &DevAccount, count: usize) -> Vec<Value> {
        let first = quantity(&client.ok("eth_getTransactionCount", json!([sender.address, "latest"])));
        (first..first + count as u64)
            .map(|nonce| json!([Bytes::from(UnsignedTx { nonce, ..self.transfer.clone() }.sign(&sender.key))]))
            .collect()
    }
}

/// Sets `kind` up through `client`: the token (keel-devnet, with a balance
/// for each of `senders`) or the balance reader (anvil).
pub fn prepare(kind: Kind, client: &mut Client, owner: &DevAccount, senders: &[DevAccount]) -> Workload {
    let chain_id = quantity(&client.ok("eth_chainId", json!([])));
    let read = calldata("balanceOf(address)", &[RECIPIENT.into_word().0]);
    client.ok("anvil_setCode", json!([READER_ADDRESS, BALANCE_READER]));
    let evm_call = json!([{ "to": READER_ADDRESS, "data": Bytes::from(read.clone()) }, "latest"]);
    let (target, input) = match kind {
        Kind::Keel => {
            let token = deploy_token(client, chain_id, owner, senders);
            (token, calldata("transfer(address,uint256)", &[RECIPIENT.into_word().0, U256::from(1).to_be_bytes()]))
        }
        Kind::Anvil => (READER_ADDRESS, Vec::new()),
    };
    let (to, value) = match kind {
        Kind::Keel => (target, U256::ZERO),
        Kind::Anvil => (RECIPIENT, U256::from(1)),
    };
    let estimate = json!([{ "from": senders[0].address, "to": to, "value": value, "data": Bytes::from(input.clone()) }]);
    let gas = 2 * quantity(&client.ok("eth_estimateGas", estimate));
    let transfer = UnsignedTx {
        chain_id,
        nonce: 0,
        max_fee: U256::from(MAX_FEE),
        max_priority_fee: U256::ZERO,
        gas,
        to: Some(to),
        value,
        input: input.into(),
        access_list: Vec::new(),
    };
    Workload { call: json!([{ "to": target, "data": Bytes::from(read) }, "latest"]), evm_call, transfer }
}

/// Deploys, activates and constructs Keel's test token from `owner`, and
/// mints to each of `holders`; returns its address.
fn deploy_token(client: &mut Client, chain_id: u64, owner: &DevAccount, holders: &[DevAccount]) -> Address {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm/keel-test-token.wasm");
    let wasm = std::fs::read(&path).unwrap_or_else(|e| panic!("{} ({e}): run `make wasm` first", path.display()));
    let mut sender =
        Sender { chain_id, account: owner, nonce: quantity(&client.ok("eth_getTransactionCount", json!([owner.address, "latest"]))) };
    let deployed = sender.send(client, None, U256::ZERO, keel_wasm::init_code(&keel_wasm::deployed_code(&wasm)));
    let token: Address = serde_json::from_value(deployed["contractAddress"].clone()).expect("a contract address");

    let arb_wasm = Address::with_last_byte(0x71);
    let activate = calldata("activateProgram(address)", &[token.into_word().0]);
    let quote = json!([{ "from": owner.address, "to": arb_wasm, "data": Bytes::from(activate.clone()), "value": U256::from(10).pow(U256::from(18)) }, "latest"]);
    let returned = client.ok("eth_call", quote);
    let fee = U256::from_str_radix(&returned.as_str().expect("hex")[66..130], 16).expect("a fee word");
    sender.send(client, Some(arb_wasm), fee, activate);

    type Args = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
    let mut constructor = vec![0x55, 0x85, 0x25, 0x8d];
    constructor.extend(Args::abi_encode_params(&("Bench".to_string(), "BEN".to_string(), 18u8, owner.address)));
    sender.send(client, Some(token), U256::ZERO, constructor);
    for holder in holders {
        let amount = U256::from(10).pow(U256::from(24));
        sender.send(
            client,
            Some(token),
            U256::ZERO,
            calldata("mint(address,uint256)", &[holder.address.into_word().0, amount.to_be_bytes()]),
        );
    }
    token
}

/// Sends setup transactions from one account, counting its nonce.
struct Sender<'a> {
    chain_id: u64,
    account: &'a DevAccount,
    nonce: u64,
}

impl Sender<'_> {
    /// Signs, sends and waits for a successful receipt.
    fn send(&mut self, client: &mut Client, to: Option<Address>, value: U256, input: Vec<u8>) -> Value {
        let tx = UnsignedTx {
            chain_id: self.chain_id,
            nonce: self.nonce,
            max_fee: U256::from(MAX_FEE),
            max_priority_fee: U256::ZERO,
            gas: SETUP_GAS,
            to,
            value,
            input: input.into(),
            access_list: Vec::new(),
        };
        self.nonce += 1;
        let hash = client.ok("eth_sendRawTransaction", json!([Bytes::from(tx.sign(&self.account.key))]));
        let receipt = receipt(client, &hash);
        assert_eq!(receipt["status"], "0x1", "setup transaction failed: {receipt}");
        receipt
    }
}

/// Polls for the receipt of `hash`.
pub fn receipt(client: &mut Client, hash: &Value) -> Value {
    loop {
        let receipt = client.ok("eth_getTransactionReceipt", json!([hash]));
        if !receipt.is_null() {
            return receipt;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Selector of `signature` followed by `words`.
fn calldata(signature: &str, words: &[[u8; 32]]) -> Vec<u8> {
    let mut data = keccak256(signature)[..4].to_vec();
    words.iter().for_each(|w| data.extend_from_slice(w));
    data
}

/// A JSON hex quantity.
fn quantity(value: &Value) -> u64 {
    let text = value.as_str().and_then(|s| s.strip_prefix("0x")).unwrap_or_else(|| panic!("{value} is not a quantity"));
    u64::from_str_radix(text, 16).unwrap_or_else(|e| panic!("{value}: {e}"))
}
