//! The JSON-RPC 2.0 envelope: parsing requests (single or batch), error
//! objects and responses. Method dispatch is in [`super::methods`].

use super::reason::revert_reason;
use super::shared::Shared;
use super::{methods, reads};
use crate::Halt;
use alloy_primitives::Bytes;
use serde_json::{json, Map, Value};

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    /// Error code (-32700 parse, -32600 request, -32601 method, -32602
    /// params, -32603 internal, -32000 server, 3 revert).
    pub code: i64,
    /// Human-readable message.
    pub message: String,
    /// Extra data (revert data for code 3).
    pub data: Option<Value>,
}

impl RpcError {
    fn new(code: i64, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), data: None }
    }

    /// -32700: the body is not JSON.
    pub fn parse(message: impl std::fmt::Display) -> Self {
        Self::new(-32700, format!("parse error: {message}"))
    }

    /// -32600: JSON that is not a valid request.
    pub fn invalid_request(message: impl std::fmt::Display) -> Self {
        Self::new(-32600, format!("invalid request: {message}"))
    }

    /// -32601: unknown method.
    pub fn method_not_found(method: &str) -> Self {
        Self::new(-32601, format!("method not found: {method}"))
    }

    /// -32602: bad parameters.
    pub fn invalid_params(message: impl std::fmt::Display) -> Self {
        Self::new(-32602, format!("invalid params: {message}"))
    }

    /// -32603: a bug in the node.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::new(-32603, format!("internal error: {message}"))
    }

    /// -32000: the request is well-formed but refused (bad nonce, funds, ...).
    pub fn server(message: impl std::fmt::Display) -> Self {
        Self::new(-32000, message.to_string())
    }

    /// Execution reverted: code 3 with the revert data in `data` (the
    /// message adds what [`revert_reason`] decodes, as geth and nitro do), or
    /// -32000 "execution reverted" when there is no data.
    pub fn reverted(output: &Bytes) -> Self {
        if output.is_empty() {
            return Self::new(-32000, "execution reverted");
        }
        let message = match revert_reason(output) {
            Some(reason) => format!("execution reverted: {reason}"),
            None => "execution reverted".into(),
        };
        Self { code: 3, message, data: Some(json!(output)) }
    }

    /// A failed execution as geth reports it: [`RpcError::reverted`] for a
    /// revert (Stylus traps included, as in nitro), else -32000 with the
    /// halt's message ("out of gas", ...).
    pub fn failed(error: Option<Halt>, output: &Bytes) -> Self {
        match error {
            None | Some(Halt::Reverted) => Self::reverted(output),
            Some(halt) => Self::server(halt.message()),
        }
    }

    fn to_json(&self) -> Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(data) = &self.data {
            error["data"] = data.clone();
        }
        error
    }
}

fn response(id: Value, result: Result<Value, RpcError>) -> Value {
    match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err(error) => json!({ "jsonrpc": "2.0", "id": id, "error": error.to_json() }),
    }
}

/// Answers an HTTP body holding one request or a batch; `None` when every
/// request was a notification (no response is due).
pub fn handle(devnet: &Shared, body: &[u8]) -> Option<Vec<u8>> {
    let reply = match serde_json::from_slice::<Value>(body) {
        Err(e) => Some(response(Value::Null, Err(RpcError::parse(e)))),
        Ok(Value::Array(requests)) if requests.is_empty() => Some(response(Value::Null, Err(RpcError::invalid_request("empty batch")))),
        Ok(Value::Array(requests)) => {
            let replies: Vec<Value> = requests.into_iter().filter_map(|r| handle_one(devnet, r)).collect();
            (!replies.is_empty()).then_some(Value::Array(replies))
        }
        Ok(request) => handle_one(devnet, request),
    };
    reply.map(|value| serde_json::to_vec(&value).expect("JSON values serialize"))
}

/// One request object; `None` for a valid notification. Reads of the head
/// state ([`reads::is_read`]) run on its published view, without the lock.
fn handle_one(devnet: &Shared, request: Value) -> Option<Value> {
    let Value::Object(request) = request else {
        return Some(response(Value::Null, Err(RpcError::invalid_request("a request must be a JSON object"))));
    };
    let id = request.get("id").cloned();
    match &id {
        None | Some(Value::Null | Value::Number(_) | Value::String(_)) => {}
        Some(_) => return Some(response(Value::Null, Err(RpcError::invalid_request("id must be a number, a string or null")))),
    }
    let (method, params) = match validate(&request) {
        Ok(valid) => valid,
        Err(error) => return Some(response(id.unwrap_or(Value::Null), Err(error))),
    };
    let result = if reads::is_read(method) {
        let view = devnet.read_view();
        guarded(|| reads::dispatch(&view, method, params))
    } else {
        let mut devnet = devnet.lock();
        guarded(|| methods::dispatch(&mut devnet, method, params))
    };
    id.map(|id| response(id, result))
}

/// Runs a method; a panic in it is an internal error, not a lost connection.
fn guarded(method: impl FnOnce() -> Result<Value, RpcError>) -> Result<Value, RpcError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(method)).unwrap_or_else(|panic| {
        let text = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
        Err(RpcError::internal(text.unwrap_or_else(|| "the handler panicked".into())))
    })
}

fn validate(request: &Map<String, Value>) -> Result<(&str, &[Value]), RpcError> {
    if request.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return Err(RpcError::invalid_request("\"jsonrpc\" must be \"2.0\""));
    }
    let Some(Value::String(method)) = request.get("method") else {
        return Err(RpcError::invalid_request("\"method\" must be a string"));
    };
    let params = match request.get("params") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(params)) => params.as_slice(),
        Some(_) => return Err(RpcError::invalid_params("\"params\" must be an array (named parameters are not supported)")),
    };
    Ok((method, params))
}
