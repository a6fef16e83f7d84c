//! nitro's `stylusTracer`: the host calls of the transaction's Stylus frames,
//! in order. A call a program makes (`call_contract`, ...) carries the
//! address called and, in `steps`, the host calls of the frames it ran.

use super::{FrameEnd, FrameKind, FrameStart, HostIo, Tracer};
use alloy_primitives::{Address, Bytes};
use serde_json::{json, Value};

/// Host calls that run a nested frame (nitro's `nestsHostios`).
const NESTING: [&str; 3] = ["call_contract", "delegate_call_contract", "static_call_contract"];

/// One entry of the trace.
#[derive(Debug)]
struct Entry {
    name: String,
    args: Vec<u8>,
    outs: Vec<u8>,
    start_ink: u64,
    end_ink: u64,
    address: Option<Address>,
    steps: Option<Vec<Entry>>,
}

impl Entry {
    fn to_json(&self) -> Value {
        let mut entry = json!({
            "name": self.name,
            "args": Bytes::copy_from_slice(&self.args),
            "outs": Bytes::copy_from_slice(&self.outs),
            "startInk": self.start_ink,
            "endInk": self.end_ink,
        });
        if let Some(address) = self.address {
            entry["address"] = json!(address);
        }
        if let Some(steps) = &self.steps {
            entry["steps"] = Value::Array(steps.iter().map(Entry::to_json).collect());
        }
        entry
    }
}

/// Records every host call, nested under the calls that led to them.
#[derive(Debug, Default)]
pub struct StylusTracer {
    /// The list being appended to (the innermost frame's).
    open: Vec<Entry>,
    /// The lists of the enclosing frames, outermost first.
    stack: Vec<Vec<Entry>>,
    /// Frames entered, to skip the transaction's own.
    depth: usize,
}

impl Tracer for StylusTracer {
    fn enter(&mut self, frame: &FrameStart<'_>) {
        self.depth += 1;
        if self.depth == 1 {
            return;
        }
        let name = match frame.kind {
            FrameKind::Call => "evm_call_contract",
            FrameKind::StaticCall => "evm_static_call_contract",
            FrameKind::DelegateCall | FrameKind::CallCode => "evm_delegate_call_contract",
            FrameKind::Create => "evm_create1",
            FrameKind::Create2 => "evm_create2",
        };
        let placeholder =
            Entry { name: name.into(), args: Vec::new(), outs: Vec::new(), start_ink: 0, end_ink: 0, address: Some(frame.to), steps: None };
        self.open.push(placeholder);
        self.stack.push(std::mem::take(&mut self.open));
    }

    fn exit(&mut self, _end: &FrameEnd<'_>) {
        self.depth -= 1;
        if self.depth == 0 {
            return;
        }
        let steps = std::mem::replace(&mut self.open, self.stack.pop().unwrap_or_default());
        if let Some(placeholder) = self.open.last_mut() {
            placeholder.steps = Some(steps);
        }
    }

    fn hostio(&mut self, io: HostIo) {
        let mut entry = Entry {
            name: io.name.into(),
            args: io.args,
            outs: io.outs,
            start_ink: io.start_ink,
            end_ink: io.end_ink,
            address: None,
            steps: None,
        };
        // The nested frame left a placeholder: the host call takes its place.
        let nests = NESTING.contains(&io.name) || io.name.starts_with("create");
        if nests && self.open.last().is_some_and(|last| last.name.starts_with("evm_")) {
            let placeholder = self.open.pop().expect("checked above");
            entry.address = placeholder.address;
            entry.steps = placeholder.steps;
        }
        self.open.push(entry);
    }

    fn result(self: Box<Self>, _gas_limit: u64, _gas_used: u64) -> Value {
        Value::Array(self.open.iter().map(Entry::to_json).collect())
    }
}
