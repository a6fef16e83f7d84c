//! Keel's real contracts on a fresh devnet, for the tests in this folder.
#![allow(dead_code)]

use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::{sol_data, SolCall, SolType};
use keel_devnet::{Chain, Receipt, Tx};
use std::path::PathBuf;

#[allow(unused_imports)] // only the fragment tests use them
pub use keel_testinputs::wasm::{data_program_wat, noise};

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

/// Calldata `mode ‖ target(20) ‖ data`: mode 0 static-calls, 1 calls and 4
/// delegate-calls `target` with `data` (all gas), returning `status ‖ return
/// data`; mode 2 returns `msg_reentrant`, mode 3 `evm_gas_left` (8 bytes,
/// little-endian), mode 5 `contract_address ‖ msg_sender ‖ msg_value ‖
/// msg_reentrant`.
pub const PROXY: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "static_call_contract" (func $static_call (param i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
    (import "vm_hooks" "msg_reentrant" (func $msg_reentrant (result i32)))
    (import "vm_hooks" "evm_gas_left" (func $evm_gas_left (result i64)))
    (import "vm_hooks" "delegate_call_contract" (func $delegate (param i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "contract_address" (func $contract_address (param i32)))
    (import "vm_hooks" "msg_sender" (func $msg_sender (param i32)))
    (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $mode i32) (local $status i32) (local $n i32)
        (call $read_args (i32.const 0))
        (local.set $mode (i32.load8_u (i32.const 0)))
        (if (i32.eq (local.get $mode) (i32.const 2))
            (then (i32.store8 (i32.const 8192) (call $msg_reentrant))
                  (call $write_result (i32.const 8192) (i32.const 1)) (return (i32.const 0))))
        (if (i32.eq (local.get $mode) (i32.const 3))
            (then (i64.store (i32.const 8192) (call $evm_gas_left))
                  (call $write_result (i32.const 8192) (i32.const 8)) (return (i32.const 0))))
        (if (i32.eq (local.get $mode) (i32.const 5))
            (then (call $contract_address (i32.const 8192)) (call $msg_sender (i32.const 8212))
                  (call $msg_value (i32.const 8232)) (i32.store8 (i32.const 8264) (call $msg_reentrant))
                  (call $write_result (i32.const 8192) (i32.const 73)) (return (i32.const 0))))
        (if (i32.eq (local.get $mode) (i32.const 4))
            (then (local.set $status (call $delegate (i32.const 1) (i32.const 21)
                    (i32.sub (local.get $len) (i32.const 21)) (i64.const -1) (i32.const 4128))))
            (else (if (i32.eq (local.get $mode) (i32.const 0))
                (then (local.set $status (call $static_call (i32.const 1) (i32.const 21)
                        (i32.sub (local.get $len) (i32.const 21)) (i64.const -1) (i32.const 4128))))
                (else (local.set $status (call $call (i32.const 1) (i32.const 21)
                        (i32.sub (local.get $len) (i32.const 21)) (i32.const 4096) (i64.const -1) (i32.const 4128)))))))
        (i32.store8 (i32.const 8192) (local.get $status))
        (local.set $n (call $read_return_data (i32.const 8193) (i32.const 0) (i32.load (i32.const 4128))))
        (call $write_result (i32.const 8192) (i32.add (local.get $n) (i32.const 1)))
        (i32.const 0)))"#;

/// Calldata for [`PROXY`]: `mode ‖ target ‖ data`.
pub fn via_proxy(mode: u8, target: Address, data: &[u8]) -> Vec<u8> {
    [&[mode][..], target.as_slice(), data].concat()
}

/// Deploys and activates a hand-written program (WAT) as OWNER.
pub fn install_wat(chain: &mut Chain, wat: &str) -> Address {
    chain.deploy_stylus(OWNER, &wat::parse_str(wat).expect("valid WAT"), None).expect("program deploys and activates")
}

/// Runtime EVM code: calldata `target(20) ‖ data`; CALLs `target` with
/// `data`, no value and all gas, then returns (or reverts with) its return data.
pub const EVM_FORWARDER: [u8; 35] = alloy_primitives::hex!("601436038060145f375f5f825f5f5f3560601c5af13d5f5f3e601f573d5ffd5b3d5ff3");
/// [`EVM_FORWARDER`] with STATICCALL.
pub const EVM_STATIC_FORWARDER: [u8; 34] = alloy_primitives::hex!("601436038060145f375f5f825f5f3560601c5afa3d5f5f3e601e573d5ffd5b3d5ff3");

/// Deploys EVM runtime `code` as OWNER (behind the usual CODECOPY-RETURN init code).
pub fn install_evm(chain: &mut Chain, code: &[u8]) -> Address {
    chain.deploy_code(OWNER, code).expect("EVM code deploys")
}

/// The Solidity test contracts of `tests/solidity` (compiled by `make solc-fixtures`).
pub mod solidity {
    alloy_sol_types::sol! {
        interface ISolidityToken {
            function name() external view returns (string);
            function minter() external view returns (address);
            function balanceOf(address account) external view returns (uint256);
            function allowance(address owner, address spender) external view returns (uint256);
            function mint(address to, uint256 value) external;
            function transfer(address to, uint256 value) external returns (bool);
            function approve(address spender, uint256 value) external returns (bool);
            function transferFrom(address from, address to, uint256 value) external returns (bool);
            event Transfer(address indexed from, address indexed to, uint256 value);
            error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
            error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
            error Unauthorized(address caller);
        }
        interface IContractWallet {
            function approveHash(bytes32 hash) external;
            function setRefusing(bool refusing_) external;
            function isValidSignature(bytes32 hash, bytes signature) external view returns (bytes4);
        }
        interface ITokenFactory {
            function create(string name_, string symbol_, bytes32 salt) external returns (address token);
        }
        interface IServiceManager {
            function registerAVS(string metadataURI) external;
            function createOperatorSet(uint64 setId, address[] strategies) external;
            function publishSlashingCondition(uint64 setId, uint64 maxSlashWad, string descriptionURI) external returns (uint64);
            function slash(address operator, uint64 conditionId, address[] strategies, uint64[] wads, bytes32 evidenceHash) external returns (uint64 slashId);
            event Slashed(address indexed operator, uint64 indexed conditionId, uint64 slashId);
            error Unauthorized(address caller);
        }
    }

    /// Init code of the compiled contract `name`.
    pub fn init_code(name: &str) -> Vec<u8> {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/solidity").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {} ({e})", path.display()));
        let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
        alloy_primitives::hex::decode(fixture["bytecode"].as_str().expect("bytecode")).expect("bytecode is hex")
    }
}

/// Deploys the Solidity contract `name` as `from` with ABI-encoded constructor `args`.
pub fn deploy_solidity(chain: &mut Chain, from: Address, name: &str, args: &[u8]) -> Address {
    let receipt = chain.transact(Tx::create(from, [solidity::init_code(name), args.to_vec()].concat())).expect("creation accepted");
    assert!(receipt.status, "{name} constructor reverted with {}", receipt.output);
    receipt.contract_address.expect("created")
}

/// Selector of `stylus_constructor()`, which stylus-sdk routes to `#[constructor]`.
const CONSTRUCTOR_SELECTOR: [u8; 4] = [0x55, 0x85, 0x25, 0x8d];

/// 1e18 × `n`.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

/// The built WASM of contract `name` (e.g. `keel-test-token`) from `target/wasm`.
pub fn contract_wasm(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {} ({e}): run `make wasm` in the workspace root first", path.display()))
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
