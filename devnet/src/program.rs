//! Stylus programs: turning deployed code into an instrumented (ink-metered)
//! and compiled wasmi module at activation, and caching it per code hash.

use alloy_primitives::{keccak256, B256};
use crate::meter::{instrument::instrument, EntryCosts};
use keel_wasm::{DecodeError, ValidationError, MAX_DECOMPRESSED_WASM};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use wasmi::{CompilationMode, Config, Engine, Module};

/// Stylus version reported by `stylusVersion()` and given to activated programs.
pub const STYLUS_VERSION: u16 = 2;

/// Why code could not be activated as a Stylus program.
#[derive(Debug, PartialEq, Eq)]
pub enum ActivationError {
    /// The deployed code is not Stylus code or its brotli stream is bad.
    Decode(DecodeError),
    /// The WASM fails Arbitrum's rules (features, exports, limits).
    Invalid(ValidationError),
    /// nitro's instrumentation refuses the module (frame too large,
    /// unsupported operator, costs out of range).
    Instrument(String),
    /// wasmi refused the module.
    Compile(String),
}

impl std::fmt::Display for ActivationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Decode(e) => write!(f, "cannot decode Stylus code: {e}"),
            Self::Invalid(e) => write!(f, "{e}"),
            Self::Instrument(e) => write!(f, "cannot instrument WASM: {e}"),
            Self::Compile(e) => write!(f, "cannot compile WASM: {e}"),
        }
    }
}

impl std::error::Error for ActivationError {}

/// A program checked and compiled at activation.
#[derive(Clone)]
pub struct CompiledProgram {
    /// The compiled instrumented module, instantiated afresh for every call.
    pub module: Module,
    /// Entry costs estimated at activation (nitro's `initCost`, `cachedCost`, footprint).
    pub costs: EntryCosts,
    /// Gas of activating it (nitro's estimate of the compile work).
    pub activation_gas: u64,
    /// Size of the decompressed WASM in bytes.
    pub wasm_len: usize,
    /// keccak256 of the decompressed WASM (ArbWasm's `moduleHash`).
    pub module_hash: B256,
}

/// The wasmi engine and the compiled modules, shared by every frame.
#[derive(Clone)]
pub struct Programs {
    engine: Engine,
    modules: Arc<Mutex<HashMap<B256, CompiledProgram>>>,
}

impl Default for Programs {
    fn default() -> Self {
        Self::new()
    }
}

impl Programs {
    /// An engine with Arbitrum's WASM feature set and wasmi's fuel off: ink
    /// is metered by the instrumentation added at activation. Modules are
    /// compiled eagerly, so a bad module fails at activation.
    pub fn new() -> Self {
        let mut config = Config::default();
        config
            .compilation_mode(CompilationMode::Eager)
            .consume_fuel(false)
            .wasm_multi_value(false)
            .wasm_reference_types(false)
            .wasm_tail_call(false)
            .wasm_multi_memory(false)
            .wasm_extended_const(false)
            .allow_start_fn(false);
        Self { engine: Engine::new(&config), modules: Arc::default() }
    }

    /// The engine every store must use.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Decodes, validates and compiles deployed code, caching the result by
    /// code hash (a program is compiled at most once).
    pub fn compile(&self, code: &[u8]) -> Result<CompiledProgram, ActivationError> {
        self.compile_with_hash(keccak256(code), code)
    }

    /// [`Programs::compile`] for callers that already know `code_hash`.
    pub fn compile_with_hash(&self, code_hash: B256, code: &[u8]) -> Result<CompiledProgram, ActivationError> {
        if let Some(program) = self.cached(code_hash) {
            return Ok(program);
        }
        let wasm = keel_wasm::decode_deployed_code(code, MAX_DECOMPRESSED_WASM).map_err(ActivationError::Decode)?;
        keel_wasm::validate(&wasm).map_err(ActivationError::Invalid)?;
        let instrumented = instrument(&wasm).map_err(|e| ActivationError::Instrument(e.0))?;
        let costs = instrumented.shape.entry_costs().map_err(ActivationError::Instrument)?;
        let module =
            Module::new(&self.engine, &instrumented.wasm).map_err(|e| ActivationError::Compile(e.to_string()))?;
        let activation_gas = instrumented.shape.activation_gas();
        let program = CompiledProgram { module, costs, activation_gas, wasm_len: wasm.len(), module_hash: keccak256(&wasm) };
        self.modules.lock().expect("module cache poisoned").insert(code_hash, program.clone());
        Ok(program)
    }

    /// The compiled program for `code_hash`, if it was compiled before.
    pub fn cached(&self, code_hash: B256) -> Option<CompiledProgram> {
        self.modules.lock().expect("module cache poisoned").get(&code_hash).cloned()
    }
}
