//! `make bench`: gas per operation from devnet receipts with the real WASM,
//! on nitro's meter with programs cached and not cached, beside EigenLayer's
//! and Symbiotic's figures and issue 17's goals; scale curves; the WASM size
//! table; where the gas goes (the profiler's top functions per operation).
//! Writes `BENCHMARKS.md` at the repository root. Ignored by `cargo test`.
//!
//! `BENCH_STAKERS` (default 10,000) sets the largest delegated-staker count
//! of the slash curve; below the default the run is a reduced one (short
//! operator-set and strategy curves), for testing the generator.
//! `BENCH_OPERATIONS_ONLY=1` prints the operation rows and stops (no scale
//! curves, BENCHMARKS.md untouched); `keel profile <tx>` shows where one
//! transaction's gas goes.

use alloy::{
    primitives::{keccak256, Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::TransactionReceipt,
    signers::{local::PrivateKeySigner, SignerSync},
    sol_types::{SolCall, SolEvent, SolValue},
};
use keel_cli::{
    bindings::{
        arbitrum::StylusDeployer, avs_registry::IAppointees as Appointees, IAvsRegistry as Reg, IDelegationManager as Dm, ILrtVault as Lrt,
        ILrtVaultAdmin as LrtAdmin, IRewardsCoordinator as Rc, IStrategyManager as Sm, ITestToken as Token,
    },
    deploy::{CONSTRUCTOR_SELECTOR, STYLUS_DEPLOYER},
};
use keel_e2e::{wasm_dir, Net};
use where_gas_goes::Profiled;

mod where_gas_goes;
use keel_math::eip712::{deposit_struct_hash, typed_data_digest};
use serde_json::{json, Value};
use std::fmt::Write;

const WAD: u64 = 1_000_000_000_000_000_000;
const TOKEN_UNIT: u64 = WAD;
/// The slash curve's largest delegated-staker count in a full run.
const STAKERS_DEFAULT: u64 = 10_000;

/// Sends transactions as any account (dev accounts, or impersonated ones).
struct Bench {
    net: Net,
}

impl Bench {
    async fn rpc(&self, method: &str, params: Value) -> Value {
        self.net.owner.provider.raw_request::<_, Value>(method.to_string().into(), params).await.unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// A fresh impersonated account with 100 ETH, from `seed`.
    async fn account(&self, seed: &str) -> Address {
        let address = Address::from_slice(&keccak256(seed.as_bytes())[12..]);
        self.fund(address).await;
        address
    }

    async fn fund(&self, address: Address) {
        self.rpc("anvil_setBalance", json!([address, U256::from(100u64) * U256::from(WAD)])).await;
        self.rpc("anvil_impersonateAccount", json!([address])).await;
    }

    /// Sends `call` from `from` to `to` and waits for its (successful) receipt.
    async fn send<C: SolCall>(&self, from: Address, to: Address, call: C) -> TransactionReceipt {
        let tx = json!({ "from": from, "to": to, "data": Bytes::from(call.abi_encode()), "gas": "0x1c9c380" });
        let hash: B256 = serde_json::from_value(self.rpc("eth_sendTransaction", json!([tx])).await).unwrap();
        let receipt = self.net.owner.provider.get_transaction_receipt(hash).await.unwrap().expect("mined at once");
        assert!(receipt.status(), "{} from {from} failed", C::SIGNATURE);
        receipt
    }

    /// Gas used by `call` (programs cached, as the node is set for the whole run).
    async fn gas<C: SolCall>(&self, from: Address, to: Address, call: C) -> u64 {
        self.send(from, to, call).await.gas_used
    }

    /// Treats every Stylus program as cached (ArbWasmCache) or none.
    async fn cache_all(&self, on: bool) {
        self.rpc("keel_setCacheAllPrograms", json!([on])).await;
    }

    /// Gas of `call` as nitro charges it with no program cached, then with
    /// every program cached: sent uncached on a snapshot that is reverted,
    /// then sent again cached (that run stays on the chain). Every operation
    /// measured enters a Stylus program, so uncached must cost more. Returns
    /// the cached receipt.
    async fn send_both<C: SolCall + Clone>(&self, from: Address, to: Address, call: C) -> (TransactionReceipt, Gas) {
        let snapshot = self.rpc("evm_snapshot", json!([])).await;
        self.cache_all(false).await;
        let uncached = self.send(from, to, call.clone()).await.gas_used;
        assert_eq!(self.rpc("evm_revert", json!([snapshot])).await, json!(true), "reverted to the snapshot");
        self.cache_all(true).await;
        let receipt = self.send(from, to, call).await;
        let gas = Gas { cached: receipt.gas_used, uncached };
        assert!(gas.uncached > gas.cached, "{}: init costs charged uncached only ({} vs {})", C::SIGNATURE, gas.uncached, gas.cached);
        (receipt, gas)
    }

    /// [`Bench::send_both`], and the profile of the cached run (`keelProfiler`).
    async fn profile_both<C: SolCall + Clone>(&self, operation: &'static str, from: Address, to: Address, call: C) -> (Gas, Profiled) {
        let (receipt, gas) = self.send_both(from, to, call).await;
        let profile = keel_cli::profile::fetch(&self.net.owner.provider, receipt.transaction_hash).await.expect("profiled");
        (gas, Profiled { operation, gas: gas.cached, profile })
    }

    /// [`Bench::send_both`]'s gas only.
    async fn gas_both<C: SolCall + Clone>(&self, from: Address, to: Address, call: C) -> Gas {
        self.send_both(from, to, call).await.1
    }

    /// Deploys, as the owner, the compiled Solidity fixture `json` (a
    /// `devnet/tests/solidity/*.json`) with ABI-encoded constructor `args`;
    /// returns its address.
    async fn deploy_solidity(&self, json: &str, args: Vec<u8>) -> Address {
        let fixture: Value = serde_json::from_str(json).unwrap();
        let code = alloy::hex::decode(fixture["bytecode"].as_str().expect("bytecode")).expect("hex");
        let tx = json!({ "from": self.net.owner.from, "data": Bytes::from([code, args].concat()), "gas": "0x1c9c380" });
        let hash: B256 = serde_json::from_value(self.rpc("eth_sendTransaction", json!([tx])).await).unwrap();
        let receipt = self.net.owner.provider.get_transaction_receipt(hash).await.unwrap().expect("mined at once");
        assert!(receipt.status(), "the fixture's constructor reverted");
        receipt.contract_address.expect("created")
    }

    async fn view<C: SolCall>(&self, to: Address, call: C) -> C::Return {
        let tx = json!({ "to": to, "data": Bytes::from(call.abi_encode()) });
        let out: Bytes = serde_json::from_value(self.rpc("eth_call", json!([tx, "latest"])).await).unwrap();
        C::abi_decode_returns(&out).unwrap()
    }

    async fn travel(&self, seconds: u64) {
        self.net.owner.travel(seconds).await.unwrap();
    }

    /// Mints `amount` of `token` to `to` and lets the StrategyManager pull it.
    async fn give(&self, token: Address, to: Address, amount: U256) {
        self.send(self.net.owner.from, token, Token::mintCall { to, value: amount }).await;
        self.send(to, token, Token::approveCall { spender: self.net.sm, value: U256::MAX }).await;
    }

    /// An operator, registered, allocation delay 0 in effect.
    async fn operator(&self, seed: &str) -> Address {
        let operator = self.account(seed).await;
        self.send(operator, self.net.dm, Dm::registerAsOperatorCall { delegationApprover: Address::ZERO, metadataURI: String::new() })
            .await;
        self.send(operator, self.net.registry, Reg::setAllocationDelayCall { delay: 0 }).await;
        operator
    }

    /// Creates set `set_id` of `avs` over `strategies` with an immediate 50% condition; returns its id.
    async fn set(&self, avs: Address, set_id: u64, strategies: Vec<Address>, veto: u64) -> u64 {
        self.send(avs, self.net.registry, Reg::createOperatorSetCall { setId: set_id, strategies }).await;
        let receipt = self.send(avs, self.net.registry, condition_call(avs, set_id, veto)).await;
        condition_id(&receipt)
    }

    async fn registry_delays(&self) -> (u64, u64) {
        let p = self.view(self.net.registry, Reg::parametersCall {}).await;
        (p._1, p._3)
    }
}

/// `avs`'s 50% condition on set `set_id`, slashed by `avs` itself; with a
/// veto window, `avs` is also its resolver.
fn condition_call(avs: Address, set_id: u64, veto: u64) -> Reg::addSlashingConditionCall {
    Reg::addSlashingConditionCall {
        setId: set_id,
        maxSlashWad: WAD / 2,
        slasher: avs,
        vetoWindow: veto,
        resolver: if veto == 0 { Address::ZERO } else { avs },
        redistributionRecipient: Address::ZERO,
        descriptionURI: String::new(),
        evidenceSchemaHash: B256::ZERO,
    }
}

fn condition_id(receipt: &TransactionReceipt) -> u64 {
    receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<keel_cli::bindings::avs_registry::IAvsRegistry::SlashingConditionAdded>().ok())
        .expect("condition event")
        .inner
        .data
        .conditionId
}

/// The root of the withdrawal `receipt` queued.
fn queued_root(receipt: &TransactionReceipt) -> B256 {
    receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<keel_cli::bindings::delegation_manager::IDelegationManager::WithdrawalQueued>().ok())
        .expect("WithdrawalQueued event")
        .inner
        .data
        .root
}

fn slash_call(operator: Address, condition: u64, strategy: Address, wad: u64) -> Reg::slashCall {
    Reg::slashCall { operator, conditionId: condition, strategies: vec![strategy], wads: vec![wad], evidenceHash: B256::repeat_byte(1) }
}

fn units(n: u64) -> U256 {
    U256::from(n) * U256::from(TOKEN_UNIT)
}

/// Receipt gasUsed of one operation, with every program cached and with none.
#[derive(Clone, Copy)]
struct Gas {
    cached: u64,
    uncached: u64,
}

/// One row of the operation table.
struct Row {
    operation: &'static str,
    gas: Gas,
    /// EigenLayer v1.9's closest operation and its gasUsed on anvil (REFERENCE.md).
    eigenlayer: Option<(&'static str, u64)>,
    /// Issue 17's goal for Keel's cached figure.
    goal: Option<u64>,
    /// Symbiotic's closest operation and its published gas.
    symbiotic: Option<(&'static str, u64)>,
}

impl Row {
    fn new(operation: &'static str, gas: Gas) -> Self {
        Row { operation, gas, eigenlayer: None, goal: None, symbiotic: None }
    }

    fn eigenlayer(self, name: &'static str, gas: u64) -> Self {
        Row { eigenlayer: Some((name, gas)), ..self }
    }

    fn goal(self, gas: u64) -> Self {
        Row { goal: Some(gas), ..self }
    }

    fn symbiotic(self, name: &'static str, gas: u64) -> Self {
        Row { symbiotic: Some((name, gas)), ..self }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "run by `make bench`; writes BENCHMARKS.md"]
async fn benchmarks() {
    let started = std::time::Instant::now();
    let b = Bench { net: Net::start_deterministic().await.unwrap() };
    b.cache_all(true).await;
    let (sm, dm, registry, rc, token) = (b.net.sm, b.net.dm, b.net.registry, b.net.rewards, b.net.token);
    let owner = b.net.owner.from;
    let (config_delay, _) = b.registry_delays().await;
    let withdrawal_delay: u64 = b.view(dm, Dm::configCall {}).await._3.to();
    let mut rows = Vec::new();
    let mut row = |row: Row| rows.push(row);
    let mut profiles = Vec::new();
    let names = wasm_dir().with_file_name("wasm-names");
    keel_cli::profile::register_names(&b.net.owner.provider, &names).await.expect("run `make wasm` (target/wasm-names)");

    // Operator, AVS, staker.
    let operator = b.account("operator").await;
    let call = Dm::registerAsOperatorCall { delegationApprover: Address::ZERO, metadataURI: String::new() };
    let (gas, profile) = b.profile_both("register operator", operator, dm, call).await;
    profiles.push(profile);
    row(Row::new("register operator", gas).eigenlayer("registerAsOperator", 135_249).goal(70_000));
    row(Row::new("set allocation delay", b.gas_both(operator, registry, Reg::setAllocationDelayCall { delay: 0 }).await));
    b.travel(config_delay).await;
    let staker = b.account("staker").await;
    b.give(token, staker, units(1_000)).await;
    let deposit = Sm::depositIntoStrategyCall { token, amount: units(100) };
    row(Row::new("deposit (first)", b.gas_both(staker, sm, deposit.clone()).await)
        .eigenlayer("depositIntoStrategy (first)", 207_575)
        .goal(150_000));
    let (gas, profile) = b.profile_both("deposit", staker, sm, deposit.clone()).await;
    profiles.push(profile);
    row(Row::new("deposit", gas).eigenlayer("depositIntoStrategy", 126_892).goal(75_000).symbiotic("Vault.deposit", 325_980));
    row(Row::new("deposit behind an ERC-1967 proxy (not used: docs/upgrades.md)", proxied_deposit(&b).await)
        .eigenlayer("depositIntoStrategy", 126_892));
    let call = Dm::delegateToCall { operator, approverExpiry: U256::ZERO, approverSignature: Bytes::new(), approverSalt: B256::ZERO };
    let (gas, profile) = b.profile_both("delegate", staker, dm, call.clone()).await;
    profiles.push(profile);
    row(Row::new("delegate", gas).eigenlayer("delegateTo", 145_391).goal(90_000));
    // The usual case, the operator's pool of the token already existing,
    // measured on a snapshot so that the rows after it keep their state.
    let snapshot = b.rpc("evm_snapshot", json!([])).await;
    let second = b.account("second staker").await;
    b.give(token, second, units(1_000)).await;
    b.send(second, sm, deposit.clone()).await;
    row(Row::new("delegate (the operator already has stake of the token)", b.gas_both(second, dm, call).await));
    assert_eq!(b.rpc("evm_revert", json!([snapshot])).await, json!(true), "back before the second staker");
    let gas = b.gas_both(staker, sm, deposit).await;
    row(Row::new("deposit while delegated", gas)
        .eigenlayer("depositIntoStrategy (delegated)", 134_240)
        .symbiotic("Vault.deposit", 325_980));
    let (repeat, delegated) = solidity_token_deposits(&b, operator).await;
    row(Row::new("deposit, Solidity ERC-20 strategy token", repeat).eigenlayer("depositIntoStrategy", 126_892));
    row(Row::new("deposit while delegated, Solidity ERC-20 strategy token", delegated)
        .eigenlayer("depositIntoStrategy (delegated)", 134_240));

    // Deposit with signature: a relayer pays for a signer.
    let signer = PrivateKeySigner::from_bytes(&B256::repeat_byte(0x42)).unwrap();
    b.give(token, owner, units(1_000)).await;
    let expiry = U256::from(u64::MAX);
    let domain = b.view(sm, Sm::domainSeparatorCall {}).await;
    let digest = typed_data_digest(domain, deposit_struct_hash(signer.address(), token, units(10), U256::ZERO, expiry));
    let signature = Bytes::from(signer.sign_hash_sync(&digest).unwrap().as_bytes().to_vec());
    let call = Sm::depositIntoStrategyWithSignatureCall { staker: signer.address(), token, amount: units(10), expiry, signature };
    row(Row::new("deposit with signature", b.gas_both(owner, sm, call).await).symbiotic("Vault.deposit", 325_980));

    let avs = b.account("avs").await;
    row(Row::new("register AVS", b.gas_both(avs, registry, Reg::registerAVSCall { metadataURI: String::new() }).await));
    let gas = b.gas_both(avs, registry, Reg::createOperatorSetCall { setId: 1, strategies: vec![token] }).await;
    row(Row::new("create operator set", gas).eigenlayer("createOperatorSets", 215_445));
    let (receipt, gas) = b.send_both(avs, registry, condition_call(avs, 1, 0)).await;
    row(Row::new("add slashing condition", gas));
    let instant = condition_id(&receipt);
    let vetoable = condition_id(&b.send(avs, registry, condition_call(avs, 1, 86_400)).await);
    let call = Reg::registerForOperatorSetsCall { avs, setIds: vec![1], acceptedConditionIds: vec![instant, vetoable] };
    let gas = b.gas_both(operator, registry, call).await;
    row(Row::new("opt in (register for a set, 2 conditions)", gas)
        .eigenlayer("registerForOperatorSets", 228_914)
        .goal(110_000)
        .symbiotic("OptInService.optIn", 103_644));
    let call = Reg::modifyAllocationsCall { avs, setId: 1, strategies: vec![token], magnitudes: vec![WAD / 2] };
    let (gas, profile) = b.profile_both("allocate", operator, registry, call).await;
    profiles.push(profile);
    row(Row::new("allocate", gas).eigenlayer("modifyAllocations", 251_373).goal(80_000));
    b.travel(1).await;
    let (gas, profile) = b.profile_both("slash", avs, registry, slash_call(operator, instant, token, WAD / 10)).await;
    profiles.push(profile);
    row(Row::new("slash", gas).eigenlayer("slashOperator", 316_078).goal(150_000).symbiotic("Slasher.slash", 270_689));
    let call =
        Reg::requestSlashCall { operator, conditionId: vetoable, strategies: vec![token], wads: vec![WAD / 10], evidenceHash: B256::ZERO };
    let (receipt, gas) = b.send_both(avs, registry, call).await;
    row(Row::new("request slash", gas).symbiotic("VetoSlasher.requestSlash", 212_700));
    let id = receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<keel_cli::bindings::avs_registry::IAvsRegistry::SlashRequested>().ok())
        .unwrap()
        .inner
        .data
        .slashId;
    b.travel(86_400).await;
    let gas = b.gas_both(staker, registry, Reg::executeSlashCall { slashId: id, strategies: vec![token], wads: vec![WAD / 10] }).await;
    row(Row::new("execute slash", gas).symbiotic("VetoSlasher.executeSlash", 285_654));

    // Withdrawals.
    let (receipt, gas) = b.send_both(staker, dm, Dm::queueWithdrawalCall { tokens: vec![token], depositShares: vec![units(50)] }).await;
    let profile = keel_cli::profile::fetch(&b.net.owner.provider, receipt.transaction_hash).await.expect("profiled");
    profiles.push(Profiled { operation: "queue withdrawal", gas: gas.cached, profile });
    row(Row::new("queue withdrawal", gas)
        .eigenlayer("queueWithdrawals (1 strategy)", 444_453)
        .goal(220_000)
        .symbiotic("Vault.withdraw", 264_111));
    let root = queued_root(&receipt);
    b.travel(withdrawal_delay).await;
    let (gas, profile) = b
        .profile_both("complete withdrawal (as tokens)", staker, dm, Dm::completeQueuedWithdrawalCall { root, receiveAsTokens: true })
        .await;
    profiles.push(profile);
    row(Row::new("complete withdrawal (as tokens)", gas)
        .eigenlayer("completeQueuedWithdrawal (as tokens)", 154_861)
        .goal(100_000)
        .symbiotic("Vault.claim", 13_185));
    row(Row::new("undelegate (queues 1 strategy)", b.gas_both(staker, dm, Dm::undelegateCall { staker }).await));

    // Rewards: an AVS pays the operator's pool; a delegated staker claims.
    let earner = b.account("earner").await;
    b.give(token, earner, units(100)).await;
    b.send(earner, sm, Sm::depositIntoStrategyCall { token, amount: units(100) }).await;
    b.send(
        earner,
        dm,
        Dm::delegateToCall { operator, approverExpiry: U256::ZERO, approverSignature: Bytes::new(), approverSalt: B256::ZERO },
    )
    .await;
    let reward = b.net.reward_token;
    b.send(owner, reward, Token::mintCall { to: avs, value: units(1_000) }).await;
    b.send(avs, reward, Token::approveCall { spender: rc, value: U256::MAX }).await;
    b.send(operator, rc, Rc::acceptRewardTokenCall { token: reward, accepted: true }).await;
    let call = Rc::submitRewardsCall {
        operators: vec![operator],
        amounts: vec![units(100)],
        strategy: token,
        rewardToken: reward,
        start: 0,
        duration: 0,
    };
    row(Row::new("submit rewards (at once)", b.gas_both(avs, rc, call).await));
    // A payment at once streams over a day.
    b.travel(86_400 + 3_600).await;
    let call = Rc::claimCall { earner, operators: vec![operator], strategies: vec![token], rewardTokens: vec![reward], recipient: earner };
    row(Row::new("claim rewards", b.gas_both(earner, rc, call).await));

    lrt_rows(&b, operator, withdrawal_delay, &mut row, &mut profiles).await;
    appointee_rows(&b, operator, avs, token, &mut row).await;
    let labels = b.net.record.contracts.iter().map(|(name, deployed)| (deployed.address, name.clone())).collect();
    if std::env::var("BENCH_OPERATIONS_ONLY").is_ok() {
        // A quick run for gas work: the operation rows only, BENCHMARKS.md untouched.
        for r in &rows {
            println!("| {} | {} | {} |", r.operation, group(r.gas.cached), group(r.gas.uncached));
        }
        let mut markdown = String::new();
        where_gas_goes::render(&mut markdown, &profiles, &labels, group);
        println!("{markdown}");
        return;
    }

    let stakers_max: u64 = std::env::var("BENCH_STAKERS").ok().and_then(|s| s.parse().ok()).unwrap_or(STAKERS_DEFAULT);
    let reduced = stakers_max < STAKERS_DEFAULT;
    let mut counts = vec![1, 100.min(stakers_max), stakers_max];
    counts.dedup();
    let slash_curve = slash_vs_stakers(&b, &counts).await;
    let sets_curve = operator_sets(&b, if reduced { &[1, 5] } else { &[1, 50, 200] }).await;
    let strategies_curve = strategies(&b, if reduced { &[1, 4] } else { &[1, 8, 32] }).await;
    let run = Run { reduced: reduced.then_some(stakers_max), seconds: started.elapsed().as_secs() };
    let mut markdown = render(&rows, &slash_curve, &sets_curve, &strategies_curve, &run);
    where_gas_goes::render(&mut markdown, &profiles, &labels, group);
    std::fs::write(format!("{}/../BENCHMARKS.md", env!("CARGO_MANIFEST_DIR")), &markdown).unwrap();
    println!("{markdown}");
}

/// What acting through an appointee adds: the same raise of `operator`'s
/// allocation to `avs`'s set 1, by the operator and by its hot key
/// (`callAs`), and the grant itself. Measured last, so that no other row's
/// state or clock moves.
async fn appointee_rows(b: &Bench, operator: Address, avs: Address, token: Address, row: &mut impl FnMut(Row)) {
    let registry = b.net.registry;
    let current = b.view(registry, Reg::allocationCall { operator, avs, setId: 1, strategy: token }).await._0;
    let raise = |magnitude| Reg::modifyAllocationsCall { avs, setId: 1, strategies: vec![token], magnitudes: vec![magnitude] };
    row(Row::new("raise an allocation", b.gas_both(operator, registry, raise(current + 1)).await));
    let hot = b.account("hot key").await;
    let appoint = Appointees::setAppointeeCall { appointee: hot, selector: Reg::modifyAllocationsCall::SELECTOR.into(), allowed: true };
    row(Row::new("appoint a hot key (one function)", b.gas_both(operator, registry, appoint).await));
    b.travel(1).await;
    let call = Appointees::callAsCall { account: operator, data: raise(current + 2).abi_encode().into() };
    row(Row::new("raise an allocation through the hot key", b.gas_both(hot, registry, call).await));
}

/// Deposits of a Solidity ERC-20 (`devnet/tests/solidity/SolidityToken.sol`,
/// as wstETH and the other LSTs on Arbitrum are) instead of Keel's Stylus
/// test token, whose own program's entry costs the other rows include: a
/// repeat deposit by a staker that never delegated, then one while
/// delegated to `operator`. Returns their gas.
async fn solidity_token_deposits(b: &Bench, operator: Address) -> (Gas, Gas) {
    let (owner, sm) = (b.net.owner.from, b.net.sm);
    let args = ("Wrapped Staked Ether".to_string(), "wstETH".to_string()).abi_encode_params();
    let token = b.deploy_solidity(include_str!("../../devnet/tests/solidity/SolidityToken.json"), args).await;
    b.send(owner, sm, Sm::addStrategyCall { token, cap: U256::MAX }).await;
    let staker = b.account("solidity token staker").await;
    b.give(token, staker, units(1_000)).await;
    let deposit = Sm::depositIntoStrategyCall { token, amount: units(100) };
    b.send(staker, sm, deposit.clone()).await;
    let repeat = b.gas_both(staker, sm, deposit.clone()).await;
    let call = Dm::delegateToCall { operator, approverExpiry: U256::ZERO, approverSignature: Bytes::new(), approverSalt: B256::ZERO };
    b.send(staker, b.net.dm, call).await;
    (repeat, b.gas_both(staker, sm, deposit).await)
}

/// A repeat deposit into a StrategyManager behind a minimal ERC-1967 proxy
/// (`devnet/tests/solidity/Erc1967Proxy.sol`: the deployed StrategyManager's
/// program run on the proxy's own storage, initialised through it), by a
/// staker that never delegated, as in the "deposit" row: the proxy design
/// issue 20 weighed costs this row minus that one on every call into a
/// contract (docs/upgrades.md).
async fn proxied_deposit(b: &Bench) -> Gas {
    let (owner, token) = (b.net.owner.from, b.net.token);
    let init = [&CONSTRUCTOR_SELECTOR[..], &(owner,).abi_encode_params()].concat();
    let args = (b.net.sm, Bytes::from(init)).abi_encode_params();
    let proxy = b.deploy_solidity(include_str!("../../devnet/tests/solidity/Erc1967Proxy.json"), args).await;
    b.send(owner, proxy, Sm::addStrategyCall { token, cap: U256::MAX }).await;
    let staker = b.account("proxied staker").await;
    b.send(owner, token, Token::mintCall { to: staker, value: units(1_000) }).await;
    b.send(staker, token, Token::approveCall { spender: proxy, value: U256::MAX }).await;
    let deposit = Sm::depositIntoStrategyCall { token, amount: units(100) };
    b.send(staker, proxy, deposit.clone()).await;
    b.gas_both(staker, proxy, deposit).await
}

/// The LRT vault's operations (delegated to `operator`; the devnet's fees):
/// deposits restaked, a request queuing its withdrawal, its claim after the
/// delay, and a deposit into and an instant redemption from the buffer.
async fn lrt_rows(b: &Bench, operator: Address, withdrawal_delay: u64, row: &mut impl FnMut(Row), profiles: &mut Vec<Profiled>) {
    let (vault, token, manager) = (b.net.vault, b.net.token, b.net.owner.from);
    b.send(manager, vault, LrtAdmin::setRestakingOperatorCall { operator }).await;
    let holder = b.account("lrt holder").await;
    b.send(b.net.owner.from, token, Token::mintCall { to: holder, value: units(1_000) }).await;
    b.send(holder, token, Token::approveCall { spender: vault, value: U256::MAX }).await;
    let deposit = Lrt::depositCall { assets: units(100), receiver: holder };
    row(Row::new("LRT deposit (first, restaked)", b.gas_both(holder, vault, deposit.clone()).await));
    let (gas, profile) = b.profile_both("LRT deposit (restaked)", holder, vault, deposit).await;
    profiles.push(profile);
    row(Row::new("LRT deposit (restaked)", gas).goal(250_000));
    let call = Lrt::requestRedeemCall { shares: units(50), controller: holder, owner: holder };
    let (gas, profile) = b.profile_both("LRT request redeem (queues a withdrawal)", holder, vault, call).await;
    profiles.push(profile);
    row(Row::new("LRT request redeem (queues a withdrawal)", gas).goal(400_000));
    b.travel(withdrawal_delay).await;
    let call = Lrt::redeemCall { shares: units(50), receiver: holder, controller: holder };
    let (gas, profile) = b.profile_both("LRT claim (1 request)", holder, vault, call).await;
    profiles.push(profile);
    row(Row::new("LRT claim (1 request)", gas).goal(150_000));
    b.send(manager, vault, LrtAdmin::setBufferTargetCall { target: units(100) }).await;
    row(Row::new(
        "LRT deposit (into the buffer)",
        b.gas_both(holder, vault, Lrt::depositCall { assets: units(50), receiver: holder }).await,
    ));
    let call = Lrt::instantRedeemCall { shares: units(10), receiver: holder, owner: holder, minAssets: U256::ZERO };
    let (gas, profile) = b.profile_both("LRT instant redeem", holder, vault, call).await;
    profiles.push(profile);
    row(Row::new("LRT instant redeem", gas).goal(150_000));
}

/// Slash gas with `counts` delegated stakers (each a signed deposit the owner pays for, and a delegation).
async fn slash_vs_stakers(b: &Bench, counts: &[u64]) -> Vec<(u64, u64)> {
    let (sm, dm, registry, token, owner) = (b.net.sm, b.net.dm, b.net.registry, b.net.token, b.net.owner.from);
    let avs = b.account("curve avs").await;
    b.send(avs, registry, Reg::registerAVSCall { metadataURI: String::new() }).await;
    b.give(token, owner, units(1_000_000)).await;
    let domain = b.view(sm, Sm::domainSeparatorCall {}).await;
    let (config_delay, _) = b.registry_delays().await;
    let mut curve = Vec::new();
    for (i, &count) in counts.iter().enumerate() {
        let operator = b.operator(&format!("curve operator {count}")).await;
        b.travel(config_delay).await;
        let set_id = 10 + i as u64;
        let condition = b.set(avs, set_id, vec![token], 0).await;
        b.send(operator, registry, Reg::registerForOperatorSetsCall { avs, setIds: vec![set_id], acceptedConditionIds: vec![condition] })
            .await;
        b.send(operator, registry, Reg::modifyAllocationsCall { avs, setId: set_id, strategies: vec![token], magnitudes: vec![WAD] }).await;
        for s in 0..count {
            let key = PrivateKeySigner::from_bytes(&keccak256(format!("staker {count} {s}"))).unwrap();
            let staker = key.address();
            b.fund(staker).await;
            b.send(
                staker,
                dm,
                Dm::delegateToCall { operator, approverExpiry: U256::ZERO, approverSignature: Bytes::new(), approverSalt: B256::ZERO },
            )
            .await;
            let digest = typed_data_digest(domain, deposit_struct_hash(staker, token, U256::from(TOKEN_UNIT), U256::ZERO, U256::MAX));
            let signature = Bytes::from(key.sign_hash_sync(&digest).unwrap().as_bytes().to_vec());
            b.send(
                owner,
                sm,
                Sm::depositIntoStrategyWithSignatureCall { staker, token, amount: U256::from(TOKEN_UNIT), expiry: U256::MAX, signature },
            )
            .await;
        }
        let stake = b.view(dm, Dm::operatorStakeCall { operator, token }).await._0;
        assert_eq!(stake, U256::from(count) * U256::from(TOKEN_UNIT), "{count} stakers delegated");
        b.travel(1).await;
        curve.push((count, b.gas(avs, registry, slash_call(operator, condition, token, WAD / 10)).await));
    }
    curve
}

/// For an operator in 1..=max sets: gas to opt in to, allocate to and slash in its k-th set, at each of `points`.
async fn operator_sets(b: &Bench, points: &[u64]) -> Vec<(u64, u64, u64, u64)> {
    let (sm, registry, token) = (b.net.sm, b.net.registry, b.net.token);
    let avs = b.account("sets avs").await;
    b.send(avs, registry, Reg::registerAVSCall { metadataURI: String::new() }).await;
    let operator = b.operator("sets operator").await;
    b.give(token, operator, units(100)).await;
    b.send(operator, sm, Sm::depositIntoStrategyCall { token, amount: units(100) }).await;
    let (config_delay, _) = b.registry_delays().await;
    b.travel(config_delay).await;
    let max = *points.iter().max().unwrap();
    let mut curve = Vec::new();
    for k in 1..=max {
        let set_id = 1_000 + k;
        let condition = b.set(avs, set_id, vec![token], 0).await;
        let opt_in = b
            .gas(operator, registry, Reg::registerForOperatorSetsCall { avs, setIds: vec![set_id], acceptedConditionIds: vec![condition] })
            .await;
        let allocate = b
            .gas(
                operator,
                registry,
                Reg::modifyAllocationsCall { avs, setId: set_id, strategies: vec![token], magnitudes: vec![WAD / 400] },
            )
            .await;
        if points.contains(&k) {
            b.travel(1).await;
            let slash = b.gas(avs, registry, slash_call(operator, condition, token, WAD / 10)).await;
            curve.push((k, opt_in, allocate, slash));
        }
    }
    curve
}

/// A staker with 1..=max strategies: gas to deposit into its k-th strategy,
/// and with k strategies to delegate, undelegate (queues all) and complete.
async fn strategies(b: &Bench, points: &[u64]) -> Vec<(u64, u64, u64, u64, u64)> {
    let (sm, dm, owner) = (b.net.sm, b.net.dm, b.net.owner.from);
    let operator = b.operator("strategies operator").await;
    let max = *points.iter().max().unwrap();
    let mut tokens = vec![b.net.token];
    let wasm = std::fs::read(wasm_dir().join("keel-test-token.wasm")).expect("run `make wasm`");
    let code = keel_wasm::deployed_code(&wasm);
    while (tokens.len() as u64) < max {
        let n = tokens.len();
        type Args = (
            alloy::sol_types::sol_data::String,
            alloy::sol_types::sol_data::String,
            alloy::sol_types::sol_data::Uint<8>,
            alloy::sol_types::sol_data::Address,
        );
        let mut init = vec![0x55, 0x85, 0x25, 0x8d];
        init.extend(<Args as alloy::sol_types::SolType>::abi_encode_params(&(format!("Token {n}"), format!("T{n}"), 18, owner)));
        let call = StylusDeployer::deployCall {
            bytecode: keel_wasm::init_code(&code).into(),
            initData: init.into(),
            initValue: U256::ZERO,
            salt: B256::from(U256::from(n)),
        };
        let receipt = b.send(owner, STYLUS_DEPLOYER, call).await;
        let log = receipt
            .inner
            .logs()
            .iter()
            .find(|l| l.topics().first() == Some(&StylusDeployer::ContractDeployed::SIGNATURE_HASH))
            .expect("deployed");
        let token = StylusDeployer::ContractDeployed::decode_log_data(log.data()).unwrap().deployedContract;
        b.send(owner, sm, Sm::addStrategyCall { token, cap: U256::MAX }).await;
        tokens.push(token);
    }
    let withdrawal_delay: u64 = b.view(dm, Dm::configCall {}).await._3.to();
    let mut curve = Vec::new();
    for &k in points {
        let staker = b.account(&format!("strategies staker {k}")).await;
        let mut deposit = 0;
        for token in &tokens[..k as usize] {
            b.give(*token, staker, units(10)).await;
            deposit = b.gas(staker, sm, Sm::depositIntoStrategyCall { token: *token, amount: units(10) }).await;
        }
        let delegate = b
            .gas(
                staker,
                dm,
                Dm::delegateToCall { operator, approverExpiry: U256::ZERO, approverSignature: Bytes::new(), approverSalt: B256::ZERO },
            )
            .await;
        let receipt = b.send(staker, dm, Dm::undelegateCall { staker }).await;
        let root = queued_root(&receipt);
        b.travel(withdrawal_delay).await;
        let complete = b.gas(staker, dm, Dm::completeQueuedWithdrawalCall { root, receiveAsTokens: true }).await;
        curve.push((k, deposit, delegate, receipt.gas_used, complete));
    }
    curve
}

/// The WASM size table: (contract, WASM bytes, deployed (compressed) bytes).
fn sizes() -> Vec<(String, usize, usize, usize)> {
    let mut rows: Vec<_> = std::fs::read_dir(wasm_dir())
        .expect("run `make wasm`")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .map(|p| {
            let wasm = std::fs::read(&p).unwrap();
            let (deployed, fragments) = match keel_wasm::deployment(&wasm) {
                keel_wasm::Deployment::Single(code) => (code.len(), 0),
                keel_wasm::Deployment::Fragmented(fragmented) => (fragmented.code_len(), fragmented.fragments.len()),
            };
            (p.file_stem().unwrap().to_string_lossy().into_owned(), wasm.len(), deployed, fragments)
        })
        .collect();
    rows.sort();
    rows
}

/// How the run went: `reduced` holds `BENCH_STAKERS` when below the default.
struct Run {
    reduced: Option<u64>,
    seconds: u64,
}

/// `keel / other` to two decimals.
fn ratio(keel: u64, other: u64) -> String {
    format!("{:.2}", keel as f64 / other as f64)
}

fn render(
    rows: &[Row],
    slash: &[(u64, u64)],
    sets: &[(u64, u64, u64, u64)],
    strategies: &[(u64, u64, u64, u64, u64)],
    run: &Run,
) -> String {
    let mut md = String::new();
    let w = &mut md;
    writeln!(w, "# Benchmarks\n").unwrap();
    writeln!(w, "Generated by `make bench` (`e2e/tests/benchmarks.rs`): every figure is the `gasUsed` of a").unwrap();
    writeln!(w, "transaction receipt on `keel-devnet` running Keel's real WASM, including the 21,000 intrinsic gas").unwrap();
    writeln!(w, "and calldata. Do not edit by hand; the run took {} s.\n", run.seconds).unwrap();
    if let Some(stakers) = run.reduced {
        writeln!(w, "**Reduced run** (`BENCH_STAKERS={stakers}`): short scale curves; not for publication.\n").unwrap();
    }
    writeln!(w, "Meter: nitro's rules as of ArbOS 60 (Stylus version 2 parameters; `devnet/README.md` lists each").unwrap();
    writeln!(w, "rule and its nitro source): instrumented WASM ink per basic block, 10,000 ink per gas, program entry").unwrap();
    writeln!(w, "costs, memory pages, host-I/O prices, EIP-3529 refunds; no L1 poster gas (a devnode's L1 price of 0).\n").unwrap();
    writeln!(w, "**Cached / not cached.** Each operation is sent twice from the same state: first on an `evm_snapshot`").unwrap();
    writeln!(w, "with no program cached (`keel_setCacheAllPrograms false`), which is then reverted, then again with").unwrap();
    writeln!(w, "every program cached, as if ArbWasmCache held them all (that run stays on the chain). Every frame pays").unwrap();
    writeln!(w, "nitro's cached entry cost; uncached, a program also pays its init cost on its first frame of the").unwrap();
    writeln!(w, "transaction (nitro counts a program that already ran in the same block as cached; the devnet mines").unwrap();
    writeln!(w, "each transaction in its own block). Setup transactions and the scale curves run cached.\n").unwrap();
    writeln!(w, "**Reproducible.** Each block is one second after the last (`anvil_setBlockTimestampInterval 1`, set").unwrap();
    writeln!(w, "before the deployment), plus the time the run travels: time-dependent flows (vesting, rewards) give").unwrap();
    writeln!(w, "the same figures in every run. (On the wall clock, the LRT rows varied by a few thousand gas between").unwrap();
    writeln!(w, "runs, as a slot was rewritten or not.)\n").unwrap();
    writeln!(w, "## Gas per operation\n").unwrap();
    writeln!(w, "EigenLayer's figures are v1.9's receipt `gasUsed` on anvil 1.7.1 (solc 0.8.30, optimizer 200 runs,").unwrap();
    writeln!(w, "behind transparent proxies, minimal ERC-20, including 21,000). Goals are issue 17's, for Keel with").unwrap();
    writeln!(w, "programs cached; \"uncached < EigenLayer\" is its other condition. Symbiotic's figures are its published").unwrap();
    writeln!(w, "gas costs (forge medians, EVM) for the closest operation.\n").unwrap();
    writeln!(w, "The strategy token is Keel's test token, itself a Stylus program, so every row that moves it also pays").unwrap();
    writeln!(w, "that program's entry costs (its init cost too, uncached). The two \"Solidity ERC-20\" rows deposit a").unwrap();
    writeln!(w, "Solidity token instead (`devnet/tests/solidity/SolidityToken.sol`), as the LSTs on Arbitrum are and as").unwrap();
    writeln!(w, "EigenLayer's figures use. The proxy row runs the StrategyManager behind a minimal ERC-1967 proxy, the").unwrap();
    writeln!(w, "design `docs/upgrades.md` weighs and Keel does not use: its cost over the \"deposit\" row is the hop.\n").unwrap();
    writeln!(w, "| Operation | Keel cached | Keel uncached | EigenLayer | EigenLayer gas | Keel cached / EigenLayer | Goal (cached) | Goal met | Uncached < EigenLayer | Symbiotic | Symbiotic gas | Keel cached / Symbiotic |").unwrap();
    writeln!(w, "|---|---:|---:|---|---:|---:|---:|---|---|---|---:|---:|").unwrap();
    for r in rows {
        let Gas { cached, uncached } = r.gas;
        let (eigen_name, eigen_gas, eigen_ratio, below) = match r.eigenlayer {
            Some((name, gas)) => (format!("`{name}`"), group(gas), ratio(cached, gas), if uncached < gas { "yes" } else { "**no**" }),
            None => (String::new(), String::new(), String::new(), ""),
        };
        let (goal, met) = match r.goal {
            Some(goal) => (format!("≤ {}", group(goal)), if cached <= goal { "met" } else { "**not met**" }),
            None => (String::new(), ""),
        };
        let (sym_name, sym_gas, sym_ratio) = match r.symbiotic {
            Some((name, gas)) => (format!("`{name}`"), group(gas), ratio(cached, gas)),
            None => (String::new(), String::new(), String::new()),
        };
        writeln!(
            w,
            "| {} | {} | {} | {eigen_name} | {eigen_gas} | {eigen_ratio} | {goal} | {met} | {below} | {sym_name} | {sym_gas} | {sym_ratio} |",
            r.operation,
            group(cached),
            group(uncached)
        )
        .unwrap();
    }
    writeln!(w).unwrap();
    writeln!(w, "## Scale\n").unwrap();
    writeln!(
        w,
        "Programs cached. Slash gas against the number of stakers delegated to the operator (each slash takes 10% of a full allocation):\n"
    )
    .unwrap();
    writeln!(w, "| Delegated stakers | Slash gas |").unwrap();
    writeln!(w, "|---:|---:|").unwrap();
    for (n, gas) in slash {
        writeln!(w, "| {} | {} |", group(*n), group(*gas)).unwrap();
    }
    writeln!(
        w,
        "\nAn operator in k operator sets (one AVS, one condition each): gas of its k-th opt-in, allocation and a slash in the k-th set:\n"
    )
    .unwrap();
    writeln!(w, "| Sets (k) | Opt in | Allocate | Slash |").unwrap();
    writeln!(w, "|---:|---:|---:|---:|").unwrap();
    for (k, opt_in, allocate, slash) in sets {
        writeln!(w, "| {k} | {} | {} | {} |", group(*opt_in), group(*allocate), group(*slash)).unwrap();
    }
    writeln!(w, "\nA staker holding shares in k strategies: deposit into the k-th, delegate (moves all k), undelegate (queues all k), complete (pays all k):\n").unwrap();
    writeln!(w, "| Strategies (k) | Deposit | Delegate | Undelegate | Complete |").unwrap();
    writeln!(w, "|---:|---:|---:|---:|---:|").unwrap();
    for (k, deposit, delegate, undelegate, complete) in strategies {
        writeln!(w, "| {k} | {} | {} | {} | {} |", group(*deposit), group(*delegate), group(*undelegate), group(*complete)).unwrap();
    }
    writeln!(w, "\n## WASM sizes\n").unwrap();
    writeln!(
        w,
        "`make wasm` output; Stylus deploys the brotli-compressed code, limited to 24,576 bytes per contract; a \
         larger module is deployed as fragments (ArbOS 60, at most {} per program), whose code is counted together.\n",
        keel_wasm::DEFAULT_MAX_FRAGMENTS
    )
    .unwrap();
    writeln!(w, "| Contract | WASM bytes | Deployed bytes | Fragments | Headroom |").unwrap();
    writeln!(w, "|---|---:|---:|---:|---:|").unwrap();
    for (name, wasm, deployed, fragments) in sizes() {
        // A single contract's room is the code limit; fragments' is the payload the allowed fragments carry.
        let headroom = if fragments == 0 {
            24_576usize.saturating_sub(deployed)
        } else {
            let payload = deployed - fragments * keel_wasm::FRAGMENT_PREFIX.len();
            (usize::from(keel_wasm::DEFAULT_MAX_FRAGMENTS) * keel_wasm::FRAGMENT_PAYLOAD).saturating_sub(payload)
        };
        let fragments = if fragments == 0 { "-".to_string() } else { fragments.to_string() };
        writeln!(w, "| {name} | {} | {} | {fragments} | {} |", group(wasm as u64), group(deployed as u64), group(headroom as u64)).unwrap();
    }
    md
}

/// 1234567 → "1,234,567".
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
