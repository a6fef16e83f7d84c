//! Running a Stylus program: one wasmi instance per frame, the `vm_hooks`
//! host functions, and the ink counter the instrumented program and the host
//! functions share (the module's `stylus_ink_left` global).

mod access;
mod call_hooks;
mod context_hooks;
mod math_hooks;
mod storage_hooks;
mod trace_hooks;

use crate::exec::{Machine, Message, Outcome};
use crate::gas::INK_PER_GAS;
use crate::meter::instrument::{INK_LEFT, INK_STATUS, STACK_LEFT};
use crate::meter::pricing::MAX_STACK_DEPTH;
use crate::stylus_exit::{stylus_outcome, MeterState, UserOutcome};
use alloy_primitives::{Bytes, B256};
use std::collections::HashMap;
use wasmi::{AsContext, AsContextMut, Engine, Global, Instance, Linker, Memory, Module, Store, Val};

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

/// One entry of a frame's storage cache (nitro's `StorageWord`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CachedSlot {
    /// The slot's value in the program's view.
    pub value: B256,
    /// The value known to be in state, if read or flushed.
    pub known: Option<B256>,
}

impl CachedSlot {
    /// Whether the flush must write it.
    pub fn dirty(&self) -> bool {
        Some(self.value) != self.known
    }
}

/// The instrumented program's ink counter, out-of-ink flag and stack
/// space left (nitro's `MeteredMachine` and `DepthCheckedMachine` over
/// `stylus_ink_left`, `stylus_ink_status` and `stylus_stack_left`).
#[derive(Clone, Copy)]
pub(crate) struct InkMeter {
    ink: Global,
    status: Global,
    stack: Global,
}

impl InkMeter {
    fn of(instance: &Instance, store: impl AsContext) -> Option<Self> {
        let ink = instance.get_global(&store, INK_LEFT)?;
        let status = instance.get_global(&store, INK_STATUS)?;
        let stack = instance.get_global(&store, STACK_LEFT)?;
        Some(Self { ink, status, stack })
    }

    /// Whether the ink or the stack ran out.
    fn state(&self, store: impl AsContext) -> MeterState {
        let out_of_ink = self.status.get(&store).i32() != Some(0);
        let out_of_stack = self.stack.get(&store).i32() == Some(0);
        MeterState { out_of_ink, out_of_stack }
    }

    /// Gives the program nitro's full stack space.
    fn fill_stack(&self, mut store: impl AsContextMut) {
        self.stack.set(&mut store, Val::I32(MAX_STACK_DEPTH as i32)).expect("the stack global is a mutable i32");
    }

    /// Ink left, or `None` once the program ran out.
    pub fn ink_left(&self, store: impl AsContext) -> Option<u64> {
        let exhausted = self.status.get(&store).i32() != Some(0);
        let ink = self.ink.get(&store).i64()? as u64;
        (!exhausted).then_some(ink)
    }

    /// Sets the ink left (and clears the out-of-ink flag).
    pub fn set_ink(&self, mut store: impl AsContextMut, ink: u64) {
        self.ink.set(&mut store, Val::I64(ink as i64)).expect("the ink global is a mutable i64");
        self.status.set(&mut store, Val::I32(0)).expect("the ink status global is a mutable i32");
    }

    /// Marks the program out of ink (nitro's `out_of_ink`).
    pub fn exhaust(&self, mut store: impl AsContextMut) {
        self.ink.set(&mut store, Val::I64(0)).expect("the ink global is a mutable i64");
        self.status.set(&mut store, Val::I32(1)).expect("the ink status global is a mutable i32");
    }
}

/// Per-frame data the host functions use.
pub(crate) struct Frame {
    pub msg: Message,
    pub reentrant: bool,
    pub memory: Option<Memory>,
    /// The ink counter, once the program is instantiated.
    pub meter: Option<InkMeter>,
    pub result: Vec<u8>,
    pub return_data: Bytes,
    pub cache: HashMap<B256, CachedSlot>,
    /// Storage reads and writes so far (nitro's cache tiers).
    pub cache_reads: usize,
    pub cache_writes: usize,
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
    trace_hooks::define_probes(&mut linker);
    linker
}

/// Instantiates `module` and runs `user_entrypoint` for `msg`. The frame
/// had `starting_gas` before its entry costs (nitro's `startingGas`, which
/// bounds the gas a frame returning data leaves its caller).
pub(crate) fn run_program(machine: Machine, module: &Module, msg: Message, starting_gas: u64) -> (Machine, Outcome) {
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
    let starting_ink = msg.gas.saturating_mul(INK_PER_GAS);
    let frame = Frame {
        msg,
        reentrant,
        memory: None,
        meter: None,
        result: Vec::new(),
        return_data: Bytes::new(),
        cache: HashMap::new(),
        cache_reads: 0,
        cache_writes: 0,
        io: Default::default(),
    };
    let mut store = Store::new(&engine, HostCtx { machine: Some(machine), frame });

    trace_hooks::entered(store.data_mut(), args_len as u32, starting_ink);
    let status = call_entrypoint(&mut store, &linker, module, args_len, starting_ink);
    trace_hooks::returned(store.data_mut(), &status, starting_ink);
    let meter = store.data().frame.meter;
    let stopped = meter.map_or_else(MeterState::default, |meter| meter.state(&store));
    let ink_left = meter.and_then(|meter| meter.ink_left(&store)).unwrap_or(0);
    let HostCtx { machine, frame } = store.into_data();
    let mut machine = machine.expect("nested frames return the machine");
    if let Some(tracer) = machine.tracer.as_mut() {
        tracer.stylus_exit(ink_left);
    }
    (machine, stylus_outcome(UserOutcome::of(&status, stopped), frame.result, ink_left, starting_gas))
}

/// How `user_entrypoint` ended: its status, or the error that stopped it
/// (a trap of the program, its meter's, or a host function's).
fn call_entrypoint(
    store: &mut Store<HostCtx>,
    linker: &Linker<HostCtx>,
    module: &Module,
    args_len: i32,
    ink: u64,
) -> Result<i32, wasmi::Error> {
    let instance = linker.instantiate_and_start(&mut *store, module)?;
    let missing = |name: &str| wasmi::Error::new(format!("no exported {name}"));
    let memory = instance.get_memory(&*store, "memory").ok_or_else(|| missing("memory"))?;
    let meter = InkMeter::of(&instance, &*store).ok_or_else(|| missing("meter globals"))?;
    meter.set_ink(&mut *store, ink);
    meter.fill_stack(&mut *store);
    let frame = &mut store.data_mut().frame;
    frame.memory = Some(memory);
    frame.meter = Some(meter);
    let entrypoint = instance.get_typed_func::<i32, i32>(&*store, "user_entrypoint")?;
    entrypoint.call(&mut *store, args_len)
}
