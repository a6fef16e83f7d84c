//! Running a Stylus program: one wasmi instance per frame, the `vm_hooks`
//! host functions, ink metering through wasmi fuel.

mod access;
mod call_hooks;
mod context_hooks;
mod math_hooks;
mod storage_hooks;
mod trace_hooks;

use crate::exec::{Machine, Message, Outcome};
use crate::gas::{INK_PER_FUEL, INK_PER_GAS};
use crate::stylus_exit::{stylus_outcome, UserOutcome};
use alloy_primitives::{Bytes, B256};
use std::collections::HashMap;
use wasmi::{Engine, Linker, Memory, Module, Store};

/// Why a program's execution was stopped by the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostTrap {
    /// The frame ran out of ink.
    OutOfInk,
    /// A write (storage flush, log, value transfer, create) in a static call.
    WriteProtection,
    /// `emit_log` with more than four topics or fewer bytes than its topics.
    BadLog,
    /// A pointer or length outside the program's memory.
    BadMemoryAccess,
    /// The program called `exit_early(status)`.
    ExitEarly(i32),
}

impl std::fmt::Display for HostTrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OutOfInk => write!(f, "out of ink"),
            Self::WriteProtection => write!(f, "write in a static call"),
            Self::BadLog => write!(f, "malformed log"),
            Self::BadMemoryAccess => write!(f, "memory access out of bounds"),
            Self::ExitEarly(status) => write!(f, "exit_early({status})"),
        }
    }
}

impl std::error::Error for HostTrap {}
impl wasmi::errors::HostError for HostTrap {}

/// One entry of a frame's storage cache.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CachedSlot {
    pub value: B256,
    pub dirty: bool,
}

/// Per-frame data the host functions use.
pub(crate) struct Frame {
    pub msg: Message,
    pub reentrant: bool,
    pub memory: Option<Memory>,
    pub result: Vec<u8>,
    pub return_data: Bytes,
    pub cache: HashMap<B256, CachedSlot>,
    /// What the host call being traced read and wrote.
    pub io: trace_hooks::IoRecord,
}

/// Data of a frame's wasmi store. `machine` is lent to nested frames while
/// a call made by this frame runs, and is present otherwise.
pub struct HostCtx {
    pub(crate) machine: Option<Machine>,
    pub(crate) frame: Frame,
}

/// The linker with every host function a Stylus program may import.
pub(crate) fn linker(engine: &Engine) -> Linker<HostCtx> {
    let mut linker = Linker::new(engine);
    context_hooks::define(&mut linker);
    storage_hooks::define(&mut linker);
    call_hooks::define(&mut linker);
    math_hooks::define(&mut linker);
    linker
}

/// Instantiates `module` and runs `user_entrypoint` for `msg`.
pub(crate) fn run_program(machine: Machine, module: &Module, msg: Message) -> (Machine, Outcome) {
    // The running frame's address is open once already (its own call, or the
    // caller's frame a delegate call acts in): any further open frame of that
    // address makes this a re-entry. This is nitro's rule: its TxProcessor
    // counts open contracts per address, skipping delegate calls and
    // callcodes, and a program is re-entrant when its acting address is open
    // more than once. A vault delegate-calling its extension is therefore
    // not re-entrant.
    let reentrant = machine.open_frames.iter().filter(|a| **a == msg.address).count() > 1;
    let linker = machine.linker.clone();
    let engine = machine.programs.engine().clone();
    let args_len = msg.input.len() as i32;
    let starting_gas = msg.gas;
    let fuel = msg.gas.saturating_mul(INK_PER_GAS) / INK_PER_FUEL;
    let frame = Frame { msg, reentrant, memory: None, result: Vec::new(), return_data: Bytes::new(), cache: HashMap::new(), io: Default::default() };
    let mut store = Store::new(&engine, HostCtx { machine: Some(machine), frame });
    store.set_fuel(fuel).expect("fuel metering is enabled");

    let starting_ink = fuel * INK_PER_FUEL;
    trace_hooks::entered(store.data_mut(), args_len as u32, starting_ink);
    let status = call_entrypoint(&mut store, &linker, module, args_len);
    trace_hooks::returned(store.data_mut(), &status, starting_ink);
    let ink_left = store.get_fuel().expect("fuel metering is enabled") * INK_PER_FUEL;
    let HostCtx { machine, frame } = store.into_data();
    let machine = machine.expect("nested frames return the machine");
    (machine, stylus_outcome(UserOutcome::of(&status), frame.result, ink_left, starting_gas))
}

/// How `user_entrypoint` ended: its status, or the error that stopped it.
fn call_entrypoint(store: &mut Store<HostCtx>, linker: &Linker<HostCtx>, module: &Module, args_len: i32) -> Result<i32, wasmi::Error> {
    let instance = linker.instantiate_and_start(&mut *store, module)?;
    let memory = instance.get_memory(&*store, "memory").ok_or_else(|| wasmi::Error::new("no exported memory"))?;
    store.data_mut().frame.memory = Some(memory);
    let entrypoint = instance.get_typed_func::<i32, i32>(&*store, "user_entrypoint")?;
    entrypoint.call(&mut *store, args_len)
}
