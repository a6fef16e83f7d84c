//! Tracing a transaction: an inspector-style [`Tracer`] that the frame
//! runner (`exec::execute`, `create::create_frame`) and the Stylus host
//! functions report to. A machine without a tracer pays one `Option` check
//! per frame and per host call.
//!
//! * [`CallTracer`]: geth's `callTracer` (the call tree across EVM and
//!   Stylus frames).
//! * [`StylusTracer`]: nitro's `stylusTracer` (each host call of each Stylus
//!   frame with its arguments, results and ink before and after).
//! * [`Profiler`]: the devnet's `keelProfiler` (each Stylus frame's ink by
//!   WASM function, self and total, and folded stacks for flame graphs).

mod call_tracer;
mod profiler;
mod stylus_tracer;

pub use call_tracer::CallTracer;
pub use profiler::Profiler;
pub use stylus_tracer::StylusTracer;

use crate::exec::{CallKind, Machine, Message};
use crate::program::FunctionNames;
use crate::Halt;
use alloy_primitives::{Address, B256, U256};
use serde_json::Value;

/// How a frame was entered, named as the EVM opcode that enters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// CALL (and the transaction's own call).
    Call,
    /// STATICCALL.
    StaticCall,
    /// DELEGATECALL.
    DelegateCall,
    /// CALLCODE.
    CallCode,
    /// CREATE (and a creation transaction).
    Create,
    /// CREATE2.
    Create2,
}

impl FrameKind {
    /// The opcode's name, as geth's `callTracer` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Call => "CALL",
            Self::StaticCall => "STATICCALL",
            Self::DelegateCall => "DELEGATECALL",
            Self::CallCode => "CALLCODE",
            Self::Create => "CREATE",
            Self::Create2 => "CREATE2",
        }
    }
}

/// A frame about to run.
#[derive(Debug, Clone)]
pub struct FrameStart<'a> {
    /// How it is entered.
    pub kind: FrameKind,
    /// The account making the call (for a delegate call: the account it acts as).
    pub from: Address,
    /// The account called (for a delegate call: whose code runs; for a creation: the new account).
    pub to: Address,
    /// Wei moved (or, for a delegate call, the frame's `msg.value`); `None` for a static call.
    pub value: Option<U256>,
    /// Gas given to the frame.
    pub gas: u64,
    /// Calldata, or init code for a creation.
    pub input: &'a [u8],
}

/// How a frame ended.
#[derive(Debug, Clone)]
pub struct FrameEnd<'a> {
    /// Return data, revert data, or the deployed code of a creation.
    pub output: &'a [u8],
    /// Gas the frame used.
    pub gas_used: u64,
    /// Why it failed; `None` on success.
    pub error: Option<Halt>,
}

/// One Stylus host call: nitro's `HostioTraceInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostIo {
    /// Host function name (`storage_load_bytes32`, ...).
    pub name: &'static str,
    /// Bytes the host read from the program's memory, in order.
    pub args: Vec<u8>,
    /// Bytes the host wrote to the program's memory, in order.
    pub outs: Vec<u8>,
    /// Ink left when the call started.
    pub start_ink: u64,
    /// Ink left when it returned.
    pub end_ink: u64,
}

/// Receives the events of a traced transaction; every method but
/// [`Tracer::result`] does nothing unless overridden.
pub trait Tracer: Send {
    /// A frame starts (depth 0 is the transaction's own frame).
    fn enter(&mut self, _frame: &FrameStart<'_>) {}
    /// The innermost open frame ends.
    fn exit(&mut self, _end: &FrameEnd<'_>) {}
    /// A Stylus host call returned.
    fn hostio(&mut self, _io: HostIo) {}
    /// Whether Stylus frames run their profiling build (function probes,
    /// same ink); only a profiler wants it.
    fn profiles(&self) -> bool {
        false
    }
    /// (Profiling only) the innermost frame runs the Stylus program with
    /// `module_hash` and function `names`, starting with `ink`.
    fn stylus_enter(&mut self, _module_hash: B256, _names: FunctionNames, _ink: u64) {}
    /// (Profiling only) function `index` starts, with `ink` left.
    fn function_enter(&mut self, _index: u32, _ink: u64) {}
    /// (Profiling only) the innermost function returns, with `ink` left.
    fn function_exit(&mut self, _ink: u64) {}
    /// The innermost Stylus frame's program stopped with `ink_left`.
    fn stylus_exit(&mut self, _ink_left: u64) {}
    /// The trace, once the transaction is done: `gas_limit` is the
    /// transaction's, `gas_used` its receipt's.
    fn result(self: Box<Self>, gas_limit: u64, gas_used: u64) -> Value;
}

/// The tracer named in a `debug_trace*` request (`callTracer`, `stylusTracer`, `keelProfiler`).
pub fn by_name(name: &str, config: &Value) -> Option<Box<dyn Tracer>> {
    match name {
        "callTracer" => Some(Box::new(CallTracer::new(config.get("onlyTopCall").and_then(Value::as_bool).unwrap_or(false)))),
        "stylusTracer" => Some(Box::new(StylusTracer::default())),
        "keelProfiler" => Some(Box::new(Profiler::default())),
        _ => None,
    }
}

/// Reports the start of the frame for `msg`, if the machine is traced.
pub(crate) fn enter_call(machine: &mut Machine, msg: &Message) {
    let Some(tracer) = machine.tracer.as_mut() else { return };
    let (kind, from, to) = match msg.kind {
        CallKind::Call => (FrameKind::Call, msg.caller, msg.address),
        CallKind::Static => (FrameKind::StaticCall, msg.caller, msg.address),
        CallKind::Delegate => (FrameKind::DelegateCall, msg.address, msg.code_address),
        CallKind::CallCode => (FrameKind::CallCode, msg.address, msg.code_address),
    };
    let value = (kind != FrameKind::StaticCall).then_some(msg.value);
    tracer.enter(&FrameStart { kind, from, to, value, gas: msg.gas, input: &msg.input });
}

/// Reports the end of the innermost frame, if the machine is traced.
pub(crate) fn exit(machine: &mut Machine, output: &[u8], gas_used: u64, error: Option<Halt>) {
    if let Some(tracer) = machine.tracer.as_mut() {
        tracer.exit(&FrameEnd { output, gas_used, error });
    }
}
