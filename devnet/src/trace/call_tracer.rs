//! geth's `callTracer`: one JSON object per frame (type, from, to, value,
//! gas, gasUsed, input, output, error, revertReason) with its sub-calls.

use super::{FrameEnd, FrameStart, Tracer};
use crate::node::reason::revert_reason;
use crate::Halt;
use alloy_primitives::Bytes;
use serde_json::{json, Value};

/// Builds the call tree of a transaction.
#[derive(Debug, Default)]
pub struct CallTracer {
    /// Frames still open, outermost first; a closed frame moves into its parent's `calls`.
    open: Vec<Value>,
    /// The transaction's own frame, once closed.
    root: Option<Value>,
    /// geth's `onlyTopCall`: keep the transaction's frame only.
    only_top_call: bool,
}

impl CallTracer {
    /// A tracer; `only_top_call` drops the sub-calls.
    pub fn new(only_top_call: bool) -> Self {
        Self { only_top_call, ..Self::default() }
    }
}

impl Tracer for CallTracer {
    fn enter(&mut self, frame: &FrameStart<'_>) {
        let mut call = json!({
            "type": frame.kind.name(),
            "from": frame.from,
            "to": frame.to,
            "gas": format!("{:#x}", frame.gas),
            "input": Bytes::copy_from_slice(frame.input),
        });
        if let Some(value) = frame.value {
            call["value"] = json!(value);
        }
        self.open.push(call);
    }

    fn exit(&mut self, end: &FrameEnd<'_>) {
        let Some(mut call) = self.open.pop() else { return };
        call["gasUsed"] = json!(format!("{:#x}", end.gas_used));
        if !end.output.is_empty() {
            call["output"] = json!(Bytes::copy_from_slice(end.output));
        }
        if let Some(error) = end.error {
            call["error"] = json!(error.message());
            if error == Halt::Reverted {
                if let Some(reason) = revert_reason(end.output) {
                    call["revertReason"] = json!(reason);
                }
            }
        }
        match self.open.last_mut() {
            Some(_) if self.only_top_call => {}
            Some(parent) => match parent.get_mut("calls").and_then(Value::as_array_mut) {
                Some(calls) => calls.push(call),
                None => parent["calls"] = json!([call]),
            },
            None => self.root = Some(call),
        }
    }

    fn result(self: Box<Self>, gas_limit: u64, gas_used: u64) -> Value {
        let mut root = self.root.unwrap_or(Value::Null);
        if root.is_object() {
            // geth reports the transaction's gas limit and receipt gas (intrinsic gas included).
            root["gas"] = json!(format!("{gas_limit:#x}"));
            root["gasUsed"] = json!(format!("{gas_used:#x}"));
        }
        root
    }
}
