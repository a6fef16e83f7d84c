//! Running a Stylus program: one wasmi instance per frame (new, or one an
//! earlier frame on the thread left, restored: [`pool`]), the `vm_hooks`
//! host functions, and the ink counter the instrumented program and the host
//! functions share (the module's `stylus_ink_left` global).

mod access;
mod call_hooks;
mod context_hooks;
mod math_hooks;
mod pool;
mod storage_hooks;
mod trace_hooks;

use crate::exec::{Machine, Message, Outcome};
use crate::gas::INK_PER_GAS;
use crate::meter::instrument::{INK_LEFT, INK_STATUS, STACK_LEFT};
use crate::meter::pricing::MAX_STACK_DEPTH;
use crate::stylus_exit::{stylus_outcome, MeterState, UserOutcome};
use alloy_primitives::{Bytes, B256};
use pool::Instantiated;
use std::collections::HashMap;
use wasmi::{AsContext, AsContextMut, Engine, Global, Instance, Linker, Memory, Module, Val};

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

impl Frame {
    /// A new frame running `msg`.
    fn new(msg: Message, reentrant: bool) -> Self {
        Self {
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
        }
    }
}

/// Data of a frame's wasmi store. `machine` is lent to nested frames while
/// a call made by this frame runs, and is present otherwise.
pub struct HostCtx {
    pub(crate) machine: Option<Machine>,
    pub(crate) frame: Frame,
}

impl HostCtx {
    /// The data of a store no frame runs in (a kept instance's).
    fn idle() -> Self {
        Self { machine: None, frame: Frame::new(Message::idle(), false) }
    }
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

/// Runs `user_entrypoint` of `module` for `msg`, on an instance this thread
/// kept from an earlier frame of program `pool_id` ([`pool`]) or on a new
/// one (always new without an id). The frame had `starting_gas` before its
/// entry costs (nitro's `startingGas`, which bounds the gas a frame
/// returning data leaves its caller).
pub(crate) fn run_program(machine: Machine, module: &Module, pool_id: Option<u64>, msg: Message, starting_gas: u64) -> (Machine, Outcome) {
    // The running frame's address is open once already (its own call, or the
    // caller's frame a delegate call acts in): any further open frame of that
    // address makes this a re-entry. This is nitro's rule: its TxProcessor
    // counts open contracts per address, skipping delegate calls and
    // callcodes, and a program is re-entrant when its acting address is open
    // more than once. A vault delegate-calling its extension is therefore
    // not re-entrant.
    let reentrant = machine.open_frames.iter().filter(|a| **a == msg.address).count() > 1;
    let args_len = msg.input.len() as i32;
    let starting_ink = msg.gas.saturating_mul(INK_PER_GAS);
    let instance = match pool_id.and_then(pool::take) {
        Some(kept) => Ok(kept),
        None => Instantiated::new(machine.programs.engine(), &machine.linker, module),
    };
    let mut ctx = HostCtx { machine: Some(machine), frame: Frame::new(msg, reentrant) };
    trace_hooks::entered(&mut ctx, args_len as u32, starting_ink);
    let (ctx, status, stopped, ink_left) = match instance {
        Ok(mut instance) => {
            *instance.store.data_mut() = ctx;
            let status = call_entrypoint(&mut instance, args_len, starting_ink);
            trace_hooks::returned(instance.store.data_mut(), &status, starting_ink);
            let stopped = instance.meter.state(&instance.store);
            let ink_left = instance.meter.ink_left(&instance.store).unwrap_or(0);
            let ctx = std::mem::replace(instance.store.data_mut(), HostCtx::idle());
            if let Some(id) = pool_id {
                pool::keep(id, instance);
            }
            (ctx, status, stopped, ink_left)
        }
        Err(error) => {
            let status = Err(error);
            trace_hooks::returned(&mut ctx, &status, starting_ink);
            (ctx, status, MeterState::default(), 0)
        }
    };
    let HostCtx { machine, frame } = ctx;
    let mut machine = machine.expect("nested frames return the machine");
    if let Some(tracer) = machine.tracer.as_mut() {
        tracer.stylus_exit(ink_left);
    }
    (machine, stylus_outcome(UserOutcome::of(&status, stopped), frame.result, ink_left, starting_gas))
}

/// How `user_entrypoint` ended: its status, or the error that stopped it
/// (a trap of the program, its meter's, or a host function's).
fn call_entrypoint(instance: &mut Instantiated, args_len: i32, ink: u64) -> Result<i32, wasmi::Error> {
    let store = &mut instance.store;
    instance.meter.set_ink(&mut *store, ink);
    instance.meter.fill_stack(&mut *store);
    let frame = &mut store.data_mut().frame;
    frame.memory = Some(instance.memory);
    frame.meter = Some(instance.meter);
    instance.entrypoint.call(&mut *store, args_len)
}
