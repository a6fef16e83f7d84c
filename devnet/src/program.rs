//! Stylus programs: turning deployed code (a single contract, or a root and
//! its fragments) into an instrumented (ink-metered) and compiled wasmi
//! module at activation, and caching it per code hash.

use crate::meter::instrument::{instrument, instrument_for_profiling};
use crate::meter::EntryCosts;
use crate::state::State;
use alloy_primitives::{keccak256, Address, B256};
use keel_wasm::{DecodeError, FragmentLimits, ValidationError, MAX_DECOMPRESSED_WASM};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
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
    /// The code is a fragment: only its root can be activated.
    Fragment,
}

impl std::fmt::Display for ActivationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Decode(e) => write!(f, "cannot decode Stylus code: {e}"),
            Self::Invalid(e) => write!(f, "{e}"),
            Self::Instrument(e) => write!(f, "cannot instrument WASM: {e}"),
            Self::Compile(e) => write!(f, "cannot compile WASM: {e}"),
            Self::Fragment => write!(f, "fragmented stylus programs cannot be activated directly; activate the root program instead"),
        }
    }
}

impl std::error::Error for ActivationError {}

/// A program checked and compiled at activation.
#[derive(Clone)]
pub struct CompiledProgram {
    /// The compiled instrumented module.
    pub module: Module,
    /// Unique to this compilation: names the module's instances a thread
    /// keeps for reuse (`host::pool`).
    pub(crate) id: u64,
    /// Entry costs estimated at activation (nitro's `initCost`, `cachedCost`, footprint).
    pub costs: EntryCosts,
    /// Gas of activating it (nitro's estimate of the compile work).
    pub activation_gas: u64,
    /// Size of the decompressed WASM in bytes.
    pub wasm_len: usize,
    /// keccak256 of the decompressed WASM (ArbWasm's `moduleHash`).
    pub module_hash: B256,
    /// The decompressed WASM, for the profiling build.
    wasm: Arc<[u8]>,
    /// The profiling build (same ink, function probes), compiled on first
    /// use by a profiler; `None` if it could not be built.
    profiled: Arc<OnceLock<Option<Module>>>,
}

impl CompiledProgram {
    /// The profiling build of the program (see `meter::probes`), compiled
    /// once; `None` if it cannot be built (the frame then runs unprofiled).
    pub fn profiled_module(&self, engine: &Engine) -> Option<&Module> {
        self.profiled
            .get_or_init(|| {
                let instrumented = instrument_for_profiling(&self.wasm).ok()?;
                Module::new(engine, &instrumented.wasm).ok()
            })
            .as_ref()
    }

    /// The decompressed WASM the program runs.
    pub fn wasm(&self) -> &[u8] {
        &self.wasm
    }
}

/// Function names by index, for profiles.
pub type FunctionNames = Arc<HashMap<u32, String>>;

/// The wasmi engine and the compiled modules, shared by every frame.
#[derive(Clone)]
pub struct Programs {
    engine: Engine,
    /// Compiled modules by code hash, read by every call (from many threads).
    modules: Arc<RwLock<HashMap<B256, CompiledProgram>>>,
    /// Function names registered for modules deployed without them, by module hash.
    names: Arc<Mutex<HashMap<B256, FunctionNames>>>,
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
        Self { engine: Engine::new(&config), modules: Arc::default(), names: Arc::default() }
    }

    /// The engine every store must use.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Decodes, validates and compiles deployed code as an activation does:
    /// a root's fragments are read from `state` and checked against `limits`
    /// even if the root was compiled before (its fragments or the limits
    /// may differ, e.g. under a state override). Caches the result by code hash.
    pub fn compile(&self, state: &State, code: &[u8], limits: FragmentLimits) -> Result<CompiledProgram, ActivationError> {
        let wasm = wasm_of(state, code, Some(limits))?;
        self.compile_wasm(keccak256(code), &wasm)
    }

    /// The compiled program for a call to code with `code_hash` (activated
    /// before): from the cache, else compiled without activation's limits.
    pub fn compile_for_call(&self, state: &State, code_hash: B256, code: &[u8]) -> Result<CompiledProgram, ActivationError> {
        if let Some(program) = self.cached(code_hash) {
            return Ok(program);
        }
        let wasm = wasm_of(state, code, None)?;
        self.compile_wasm(code_hash, &wasm)
    }

    /// Validates, instruments and compiles `wasm` for `code_hash`, reusing
    /// the cached module if it is the same WASM.
    fn compile_wasm(&self, code_hash: B256, wasm: &[u8]) -> Result<CompiledProgram, ActivationError> {
        let module_hash = keccak256(wasm);
        if let Some(program) = self.cached(code_hash).filter(|program| program.module_hash == module_hash) {
            return Ok(program);
        }
        keel_wasm::validate(wasm).map_err(ActivationError::Invalid)?;
        let instrumented = instrument(wasm).map_err(|e| ActivationError::Instrument(e.0))?;
        let costs = instrumented.shape.entry_costs().map_err(ActivationError::Instrument)?;
        let module = Module::new(&self.engine, &instrumented.wasm).map_err(|e| ActivationError::Compile(e.to_string()))?;
        let activation_gas = instrumented.shape.activation_gas();
        static COMPILED: AtomicU64 = AtomicU64::new(0);
        let program = CompiledProgram {
            module,
            id: COMPILED.fetch_add(1, Ordering::Relaxed),
            costs,
            activation_gas,
            wasm_len: wasm.len(),
            module_hash,
            wasm: wasm.into(),
            profiled: Arc::default(),
        };
        self.modules.write().expect("module cache poisoned").insert(code_hash, program.clone());
        Ok(program)
    }

    /// Registers the function names of `named_wasm` (a module with its
    /// `name` section) for the module deployed without custom sections;
    /// returns that module's hash (ArbWasm's `moduleHash`).
    pub fn register_names(&self, named_wasm: &[u8]) -> Result<B256, String> {
        let deployed = keel_wasm::strip_custom_sections(named_wasm)?;
        let module_hash = keccak256(&deployed);
        let names = Arc::new(keel_wasm::function_names(named_wasm));
        self.names.lock().expect("names poisoned").insert(module_hash, names);
        Ok(module_hash)
    }

    /// The function names of `program`: registered ones, else its own `name` section.
    pub fn names(&self, program: &CompiledProgram) -> FunctionNames {
        let registered = self.names.lock().expect("names poisoned").get(&program.module_hash).cloned();
        registered.unwrap_or_else(|| Arc::new(keel_wasm::function_names(&program.wasm)))
    }

    /// The compiled program for `code_hash`, if it was compiled before.
    pub fn cached(&self, code_hash: B256) -> Option<CompiledProgram> {
        self.modules.read().expect("module cache poisoned").get(&code_hash).cloned()
    }
}

/// The WASM of deployed Stylus code, as nitro's `getWasmFromContractCode`
/// (`arbos/programs/programs.go`) finds it: a single contract's own brotli
/// stream, or a root's fragments concatenated in order and decompressed to
/// the declared length. `limits` (activation only) bound a root's declared
/// length and fragment count; a fragment itself cannot be a program.
pub fn wasm_of(state: &State, code: &[u8], limits: Option<FragmentLimits>) -> Result<Vec<u8>, ActivationError> {
    if keel_wasm::is_root(code) {
        let root = keel_wasm::parse_root(code).map_err(ActivationError::Decode)?;
        keel_wasm::check_root(&root, limits).map_err(ActivationError::Decode)?;
        let mut stream = Vec::new();
        for fragment in &root.fragments {
            let fragment_code = state.code(Address::from(*fragment));
            stream.extend_from_slice(keel_wasm::fragment_payload(&fragment_code).map_err(ActivationError::Decode)?);
        }
        return keel_wasm::decode_fragmented(&root, &stream).map_err(ActivationError::Decode);
    }
    if keel_wasm::is_fragment(code) {
        return Err(ActivationError::Fragment);
    }
    let max_wasm = limits.map_or(MAX_DECOMPRESSED_WASM, |limits| limits.max_wasm);
    keel_wasm::decode_deployed_code(code, max_wasm).map_err(ActivationError::Decode)
}

/// Whether code runs as a Stylus program: a single contract or a root
/// (nitro's geth: `IsStylusDeployableProgramPrefix`; a fragment runs as EVM
/// code, whose leading 0xEF is an invalid opcode).
pub fn is_program(code: &[u8]) -> bool {
    (code.len() > 3 && code.starts_with(&keel_wasm::DEPLOYED_CODE_PREFIX[..3])) || keel_wasm::is_root(code)
}

/// Whether code may be deposited despite its leading 0xEF (EIP-3541):
/// a program or a fragment (nitro's geth: `IsStylusComponentPrefix`).
pub fn is_stylus_component(code: &[u8]) -> bool {
    is_program(code) || keel_wasm::is_fragment(code)
}
