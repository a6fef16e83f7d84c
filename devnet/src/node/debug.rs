//! The `debug_` tracing methods: `debug_traceTransaction` and
//! `debug_traceCall` with geth's `callTracer`, nitro's `stylusTracer` or the
//! devnet's `keelProfiler`.

use super::devnet::Devnet;
use super::params::{CallRequest, Params};
use super::rpc::RpcError;
use crate::trace::{self, Tracer};
use alloy_primitives::B256;
use serde_json::Value;

/// The tracer a request's options name (`{"tracer": "callTracer", "tracerConfig": {...}}`).
fn tracer(options: Option<Value>) -> Result<Box<dyn Tracer>, RpcError> {
    let options = options.unwrap_or(Value::Null);
    let name = options.get("tracer").and_then(Value::as_str).unwrap_or_default();
    let config = options.get("tracerConfig").cloned().unwrap_or(Value::Null);
    trace::by_name(name, &config).ok_or_else(|| {
        RpcError::invalid_params(format!("tracer {name:?} is not supported: use \"callTracer\", \"stylusTracer\" or \"keelProfiler\""))
    })
}

/// `debug_traceTransaction(hash, options)`.
pub fn trace_transaction(devnet: &mut Devnet, p: &Params) -> Result<Value, RpcError> {
    p.at_most(2)?;
    let hash: B256 = p.get(0, "transaction hash")?;
    let tracer = tracer(p.opt(1, "tracer options")?)?;
    devnet.trace_transaction(hash, tracer)
}

/// `debug_traceCall(request, block, options)`, on the latest block.
pub fn trace_call(devnet: &mut Devnet, p: &Params) -> Result<Value, RpcError> {
    p.at_most(3)?;
    let request: CallRequest = p.get(0, "transaction")?;
    devnet.require_latest(p.opt(1, "block")?)?;
    let tracer = tracer(p.opt(2, "tracer options")?)?;
    devnet.trace_call(&request, tracer)
}
