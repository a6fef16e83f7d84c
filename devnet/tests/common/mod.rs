//! Keel's real contracts on a fresh devnet, for the tests in this folder.
#![allow(dead_code)]

use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::{sol_data, SolCall, SolType};
use keel_devnet::{Chain, Receipt, Tx};
use std::path::PathBuf;

/// The StrategyManager's published ABI.
pub mod sm {
    alloy_sol_types::sol!("../abi/StrategyManager.sol");
}

/// The test token's published ABI.
pub mod token {
    alloy_sol_types::sol!("../abi/TestToken.sol");
}

pub use sm::IStrategyManager as ISM;
pub use token::ITestToken as IToken;

pub const CHAIN_ID: u64 = 412_346;
pub const OWNER: Address = address!("00000000000000000000000000000000000000a1");
pub const ALICE: Address = address!("00000000000000000000000000000000000000a2");
pub const BOB: Address = address!("00000000000000000000000000000000000000a3");

/// Selector of `stylus_constructor()`, which stylus-sdk routes to `#[constructor]`.
const CONSTRUCTOR_SELECTOR: [u8; 4] = [0x55, 0x85, 0x25, 0x8d];

/// 1e18 × `n`.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

/// The built WASM of contract `name` (e.g. `keel-test-token`) from `target/wasm`.
pub fn contract_wasm(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm").join(format!("{name}.wasm"));
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("cannot read {} ({e}): run `make wasm` in the workspace root first", path.display()))
}

/// Constructor calldata for ABI-encoded `args` of type `T`.
pub fn constructor_calldata<T: SolType>(args: &T::RustType) -> Vec<u8>
where
    for<'a> T::Token<'a>: alloy_sol_types::abi::TokenSeq<'a>,
{
    let mut data = CONSTRUCTOR_SELECTOR.to_vec();
    data.extend(T::abi_encode_params(args));
    data
}

/// Sends `call` to `to` as `from` and returns the receipt.
pub fn send<C: SolCall>(chain: &mut Chain, from: Address, to: Address, call: &C) -> Receipt {
    chain.transact(Tx::call(from, to, call.abi_encode())).expect("transaction accepted")
}

/// Sends `call` and decodes its return value, panicking on revert.
pub fn send_ok<C: SolCall>(chain: &mut Chain, from: Address, to: Address, call: &C) -> C::Return {
    let receipt = send(chain, from, to, call);
    assert!(receipt.status, "{} reverted with {}", C::SIGNATURE, receipt.output);
    C::abi_decode_returns(&receipt.output).expect("return data decodes")
}

/// Read-only call returning the decoded value.
pub fn view<C: SolCall>(chain: &mut Chain, to: Address, call: &C) -> C::Return {
    let receipt = chain.call(Tx::call(OWNER, to, call.abi_encode())).expect("call accepted");
    assert!(receipt.status, "{} reverted with {}", C::SIGNATURE, receipt.output);
    C::abi_decode_returns(&receipt.output).expect("return data decodes")
}

/// Deploys and activates `wasm` as OWNER, then runs its constructor with `ctor`.
pub fn deploy(chain: &mut Chain, wasm: &[u8], ctor: Vec<u8>) -> Address {
    chain.deploy_stylus(OWNER, wasm, Some(Bytes::from(ctor))).unwrap_or_else(|e| panic!("deployment failed: {e}"))
}

/// A chain with the test token and the StrategyManager.
pub struct Keel {
    pub chain: Chain,
    pub token: Address,
    pub sm: Address,
}

impl Keel {
    /// Deploys both contracts, adds a strategy for the token with an unlimited
    /// cap, mints 1,000 tokens to ALICE and BOB and approves the StrategyManager.
    pub fn new() -> Self {
        let mut chain = Chain::new(CHAIN_ID);
        for who in [OWNER, ALICE, BOB] {
            chain.set_balance(who, ether(1_000));
        }
        type TokenArgs = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
        let token_ctor = constructor_calldata::<TokenArgs>(&("Test stETH".into(), "stETH".into(), 18, OWNER));
        let token = deploy(&mut chain, &contract_wasm("keel-test-token"), token_ctor);
        let sm_ctor = constructor_calldata::<(sol_data::Address,)>(&(OWNER,));
        let sm = deploy(&mut chain, &contract_wasm("keel-strategy-manager"), sm_ctor);
        let mut keel = Self { chain, token, sm };
        send_ok(&mut keel.chain, OWNER, sm, &ISM::addStrategyCall { token, cap: U256::MAX });
        for who in [ALICE, BOB] {
            send_ok(&mut keel.chain, OWNER, token, &IToken::mintCall { to: who, value: ether(1_000) });
            send_ok(&mut keel.chain, who, token, &IToken::approveCall { spender: sm, value: U256::MAX });
        }
        keel
    }

    /// Token balance of `who`.
    pub fn token_balance(&mut self, who: Address) -> U256 {
        let token = self.token;
        view(&mut self.chain, token, &IToken::balanceOfCall { account: who })
    }

    /// Deposit shares of `who`.
    pub fn shares(&mut self, who: Address) -> U256 {
        let (sm, token) = (self.sm, self.token);
        view(&mut self.chain, sm, &ISM::stakerDepositSharesCall { staker: who, token })
    }

    /// `depositIntoStrategy(token, amount)` as `who`.
    pub fn deposit(&mut self, who: Address, amount: U256) -> Receipt {
        let (sm, token) = (self.sm, self.token);
        send(&mut self.chain, who, sm, &ISM::depositIntoStrategyCall { token, amount })
    }
}
