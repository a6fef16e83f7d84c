//! Message calls: value transfer, dispatch to precompiles, Stylus programs or
//! EVM code, and rollback of a frame that fails.

use crate::evm;
use crate::halt::Halt;
use crate::host::{self, HostCtx};
use crate::precompiles;
use crate::program::Programs;
use crate::state::State;
use crate::trace::{self, Tracer};
use alloy_primitives::{Address, Bytes, U256};
use std::sync::Arc;
use wasmi::Linker;

/// Deepest call stack allowed (as in the EVM).
pub const MAX_CALL_DEPTH: usize = 1024;

alloy_sol_types::sol! {
    /// Reverting because the callee is Stylus code that was never activated.
    error ProgramNotActivated();
}

/// Block-level facts visible to programs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BlockEnv {
    /// Chain id (`chainid`).
    pub chain_id: u64,
    /// Current block number.
    pub number: u64,
    /// Current block timestamp in seconds.
    pub timestamp: u64,
    /// Base fee per gas in wei.
    pub basefee: U256,
    /// Block gas limit.
    pub gas_limit: u64,
    /// Block coinbase (Arbitrum's sequencer address).
    pub coinbase: Address,
}

/// Transaction-level facts visible to programs.
#[derive(Debug, Clone, Default)]
pub struct TxEnv {
    /// The externally owned account that signed the transaction.
    pub origin: Address,
    /// Effective gas price in wei.
    pub gas_price: U256,
}

/// How a frame was entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// CALL: may transfer value and write.
    Call,
    /// STATICCALL: no writes, no value.
    Static,
    /// DELEGATECALL: the callee's code runs on the caller's storage.
    Delegate,
    /// CALLCODE (EVM only): the callee's code runs on the caller's storage,
    /// with the caller as sender and `value` as call value.
    CallCode,
}

/// A message to execute in a new frame.
#[derive(Debug, Clone)]
pub struct Message {
    /// How the frame is entered.
    pub kind: CallKind,
    /// `msg.sender` inside the frame.
    pub caller: Address,
    /// Account whose storage and balance the frame acts on.
    pub address: Address,
    /// Account whose code runs.
    pub code_address: Address,
    /// `msg.value` inside the frame.
    pub value: U256,
    /// Calldata.
    pub input: Bytes,
    /// Gas available to the frame.
    pub gas: u64,
    /// True inside a static call: writes are refused.
    pub is_static: bool,
}

impl Message {
    /// A static call of nothing with no gas: the placeholder of a store no
    /// frame runs in.
    pub(crate) fn idle() -> Self {
        Self {
            kind: CallKind::Static,
            caller: Address::ZERO,
            address: Address::ZERO,
            code_address: Address::ZERO,
            value: U256::ZERO,
            input: Bytes::new(),
            gas: 0,
            is_static: true,
        }
    }
}

/// Result of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// True when the frame succeeded and its changes were kept.
    pub success: bool,
    /// Return data, or revert data on failure.
    pub output: Bytes,
    /// Gas not used by the frame.
    pub gas_left: u64,
    /// Why the frame failed; `None` on success.
    pub error: Option<Halt>,
}

impl Outcome {
    /// A successful frame.
    pub fn success(output: impl Into<Bytes>, gas_left: u64) -> Self {
        Self { success: true, output: output.into(), gas_left, error: None }
    }

    /// A frame that reverted with `output`, keeping its unused gas.
    pub fn revert(output: impl Into<Bytes>, gas_left: u64) -> Self {
        Self { success: false, output: output.into(), gas_left, error: Some(Halt::Reverted) }
    }

    /// A frame that failed and consumed all its gas (geth: out of gas).
    pub fn failure() -> Self {
        Self::halt(Halt::OutOfGas)
    }

    /// A frame that halted with `error`, consuming all its gas.
    pub fn halt(error: Halt) -> Self {
        Self { success: false, output: Bytes::new(), gas_left: 0, error: Some(error) }
    }
}

/// Everything a frame can touch: state, environment, compiled programs.
pub struct Machine {
    /// The journaled world state.
    pub state: State,
    /// Block facts.
    pub block: BlockEnv,
    /// Transaction facts.
    pub tx: TxEnv,
    /// The wasmi engine and compiled modules.
    pub programs: Programs,
    /// The `vm_hooks` host functions.
    pub(crate) linker: Arc<Linker<HostCtx>>,
    /// Accounts with an open frame of either kind, outermost first (for
    /// `msg_reentrant`); delegate calls and callcodes run inside their caller's frame.
    pub(crate) open_frames: Vec<Address>,
    /// Current call depth.
    pub(crate) depth: usize,
    /// Receives the frames and host calls of a traced transaction.
    pub(crate) tracer: Option<Box<dyn Tracer>>,
    /// Stylus metering state of the transaction (memory pages, recent programs).
    pub meter: crate::meter::TxMeter,
}

impl Machine {
    /// A machine with empty state.
    pub fn new(block: BlockEnv) -> Self {
        let programs = Programs::new();
        let linker = Arc::new(host::linker(programs.engine()));
        Self {
            state: State::default(),
            block,
            tx: TxEnv::default(),
            programs,
            linker,
            open_frames: Vec::new(),
            depth: 0,
            tracer: None,
            meter: Default::default(),
        }
    }
}

/// Runs `msg` in a new frame; a failed frame's changes are rolled back.
pub fn execute(mut machine: Machine, msg: Message) -> (Machine, Outcome) {
    if machine.tracer.is_none() {
        return execute_frame(machine, msg);
    }
    trace::enter_call(&mut machine, &msg);
    let gas = msg.gas;
    let (mut machine, outcome) = execute_frame(machine, msg);
    trace::exit(&mut machine, &outcome.output, gas.saturating_sub(outcome.gas_left), outcome.error);
    (machine, outcome)
}

fn execute_frame(mut machine: Machine, msg: Message) -> (Machine, Outcome) {
    if machine.depth >= MAX_CALL_DEPTH {
        return (machine, Outcome { error: Some(Halt::Depth), ..Outcome::revert(Bytes::new(), msg.gas) });
    }
    let checkpoint = machine.state.checkpoint();
    machine.state.warm_account(msg.address);
    if msg.kind == CallKind::Call && !msg.value.is_zero() {
        if msg.is_static {
            return (machine, Outcome::halt(Halt::Exceptional("write protection")));
        }
        if machine.state.transfer(msg.caller, msg.address, msg.value).is_err() {
            return (machine, Outcome::revert(Bytes::new(), msg.gas));
        }
    }
    if msg.kind == CallKind::CallCode && machine.state.balance(msg.caller) < msg.value {
        return (machine, Outcome::revert(Bytes::new(), msg.gas));
    }
    machine.depth += 1;
    // A delegate call or callcode acts as its caller, whose frame is open.
    let opens_frame = !matches!(msg.kind, CallKind::Delegate | CallKind::CallCode);
    if opens_frame {
        machine.open_frames.push(msg.address);
    }
    let (mut machine, outcome) = dispatch(machine, msg);
    if opens_frame {
        machine.open_frames.pop();
    }
    machine.depth -= 1;
    if !outcome.success {
        machine.state.revert_to(checkpoint);
    }
    (machine, outcome)
}

fn dispatch(mut machine: Machine, msg: Message) -> (Machine, Outcome) {
    if msg.code_address == precompiles::STYLUS_DEPLOYER {
        return precompiles::deployer::run(machine, msg);
    }
    if let Some(outcome) = precompiles::run(&mut machine, &msg) {
        return (machine, outcome);
    }
    let code = machine.state.code(msg.code_address);
    if code.is_empty() {
        return (machine, Outcome::success(Bytes::new(), msg.gas));
    }
    if !crate::program::is_program(&code) {
        return evm::run_call(machine, &msg, code);
    }
    let code_hash = machine.state.code_hash(msg.code_address);
    if let Err(error) = precompiles::program_status(&machine.state, code_hash, machine.block.timestamp) {
        return (machine, Outcome::revert(alloy_sol_types::SolInterface::abi_encode(&error), msg.gas));
    }
    let program = match machine.programs.compile_for_call(&machine.state, code_hash, &code) {
        Ok(program) => program,
        Err(_) => return (machine, Outcome::failure()),
    };
    crate::meter::run_stylus(machine, code_hash, &program, msg)
}
