//! Instances kept for the next frame of the same program on the same thread.
//!
//! Instantiating a module for every frame (resolving ~30 imports, an entity
//! per function, a zeroed memory with the data segments copied in) cost a
//! third of a Stylus `eth_call`. A frame that returns with its memory at the
//! size it started with leaves an instance that is as good as new once its
//! memory bytes and its mutable globals are put back as they were right
//! after instantiation; the instrumentation's own globals (ink, status,
//! stack) are set by every frame anyway. A frame that grew its memory drops
//! its instance, since WASM memory cannot shrink and the next frame would
//! see a different `memory.size`.
//!
//! Nothing is shared between threads: each thread keeps its own instances,
//! and a nested frame of a program already running on the thread gets one
//! of its own.

use super::{HostCtx, InkMeter};
use crate::meter::instrument::PROGRAM_GLOBAL_PREFIX;
use std::cell::RefCell;
use std::collections::HashMap;
use wasmi::{Engine, Global, Linker, Memory, Module, Store, TypedFunc, Val};

/// Programs with instances kept per thread; past it the pool starts over.
const PROGRAMS_KEPT: usize = 32;
/// Idle instances kept per program.
const INSTANCES_KEPT: usize = 2;
/// Largest initial memory of a program whose instances are kept (2 pages):
/// restoring a larger one would cost more than instantiating anew, and
/// the pool would hold too much memory per thread.
const MAX_KEPT_MEMORY: usize = 2 * 65_536;

thread_local! {
    /// Idle instances by [`crate::program::CompiledProgram`] id.
    static IDLE: RefCell<HashMap<u64, Vec<Instantiated>>> = RefCell::new(HashMap::new());
}

/// A program instantiated in a store of its own, with what a frame needs.
pub(crate) struct Instantiated {
    /// The store; its data is the running frame's, or [`HostCtx::idle`].
    pub store: Store<HostCtx>,
    pub memory: Memory,
    pub meter: InkMeter,
    pub entrypoint: TypedFunc<i32, i32>,
    /// The memory's bytes right after instantiation.
    initial_memory: Box<[u8]>,
    /// The program's mutable globals and their values right after instantiation.
    initial_globals: Vec<(Global, Val)>,
}

impl Instantiated {
    /// Instantiates `module` with the host functions of `linker`.
    pub fn new(engine: &Engine, linker: &Linker<HostCtx>, module: &Module) -> Result<Self, wasmi::Error> {
        let mut store = Store::new(engine, HostCtx::idle());
        let instance = linker.instantiate_and_start(&mut store, module)?;
        let missing = |name: &str| wasmi::Error::new(format!("no exported {name}"));
        let memory = instance.get_memory(&store, "memory").ok_or_else(|| missing("memory"))?;
        let meter = InkMeter::of(&instance, &store).ok_or_else(|| missing("meter globals"))?;
        let entrypoint = instance.get_typed_func::<i32, i32>(&store, "user_entrypoint")?;
        let initial_globals = instance
            .exports(&store)
            .filter(|export| export.name().starts_with(PROGRAM_GLOBAL_PREFIX))
            .filter_map(|export| export.into_global())
            .map(|global| (global, global.get(&store)))
            .collect();
        let initial_memory = memory.data(&store).into();
        Ok(Self { store, memory, meter, entrypoint, initial_memory, initial_globals })
    }

    /// Puts memory and globals back as they were after instantiation;
    /// `false` if the memory grew (the instance cannot be reused).
    fn restore(&mut self) -> bool {
        let memory = self.memory.data_mut(&mut self.store);
        if memory.len() != self.initial_memory.len() {
            return false;
        }
        memory.copy_from_slice(&self.initial_memory);
        for (global, value) in &self.initial_globals {
            if global.set(&mut self.store, value.clone()).is_err() {
                return false;
            }
        }
        true
    }
}

/// An idle instance of program `id`, if this thread kept one.
pub(crate) fn take(id: u64) -> Option<Instantiated> {
    IDLE.with(|idle| idle.borrow_mut().get_mut(&id)?.pop())
}

/// Keeps `instance` of program `id` for a later frame on this thread, if
/// it can be restored and there is room.
pub(crate) fn keep(id: u64, mut instance: Instantiated) {
    if instance.initial_memory.len() > MAX_KEPT_MEMORY || !instance.restore() {
        return;
    }
    IDLE.with(|idle| {
        let mut idle = idle.borrow_mut();
        if idle.len() >= PROGRAMS_KEPT && !idle.contains_key(&id) {
            idle.clear();
        }
        let kept = idle.entry(id).or_default();
        if kept.len() < INSTANCES_KEPT {
            kept.push(instance);
        }
    });
}
