//! Parsing of JSON-RPC parameters: quantities, data, block tags, call
//! requests, state overrides and log filters.

use super::rpc::RpcError;
use super::signed::AccessListItem;
use alloy_primitives::{Address, Bytes, B256, U256};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::HashMap;

/// The positional parameters of one request.
pub struct Params<'a>(pub &'a [Value]);

impl Params<'_> {
    /// Fails unless there are at most `max` parameters.
    pub fn at_most(&self, max: usize) -> Result<(), RpcError> {
        if self.0.len() > max {
            return Err(RpcError::invalid_params(format!("expected at most {max} parameters, got {}", self.0.len())));
        }
        Ok(())
    }

    /// Required parameter `index` (named `name` in errors).
    pub fn get<T: DeserializeOwned>(&self, index: usize, name: &str) -> Result<T, RpcError> {
        match self.0.get(index) {
            None | Some(Value::Null) => Err(RpcError::invalid_params(format!("missing parameter {index} ({name})"))),
            Some(value) => parse(value, index, name),
        }
    }

    /// Optional parameter `index`: absent or null gives `None`.
    pub fn opt<T: DeserializeOwned>(&self, index: usize, name: &str) -> Result<Option<T>, RpcError> {
        match self.0.get(index) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => parse(value, index, name).map(Some),
        }
    }
}

fn parse<T: DeserializeOwned>(value: &Value, index: usize, name: &str) -> Result<T, RpcError> {
    T::deserialize(value).map_err(|e| RpcError::invalid_params(format!("parameter {index} ({name}): {e}")))
}

/// A `u64` given as a hex quantity (`"0x1f"`) or a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity(pub u64);

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match Value::deserialize(deserializer)? {
            Value::Number(n) => n.as_u64().map(Quantity).ok_or_else(|| D::Error::custom("expected a non-negative integer")),
            Value::String(s) => parse_quantity(&s).map(Quantity).map_err(D::Error::custom),
            other => Err(D::Error::custom(format!("expected a hex quantity, got {other}"))),
        }
    }
}

fn parse_quantity(s: &str) -> Result<u64, String> {
    let digits = s.strip_prefix("0x").ok_or_else(|| format!("quantity {s:?} lacks the 0x prefix"))?;
    if digits.is_empty() || digits.len() > 16 {
        return Err(format!("quantity {s:?} must have 1 to 16 hex digits"));
    }
    u64::from_str_radix(digits, 16).map_err(|_| format!("quantity {s:?} is not hex"))
}

fn opt_quantity<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    Ok(Option::<Quantity>::deserialize(deserializer)?.map(|q| q.0))
}

/// A block named by tag, number or hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockId {
    /// `latest`, `pending`, `safe` or `finalized`: all the head with automining.
    Latest,
    /// `earliest` or a number.
    Number(u64),
    /// A block hash (`{"blockHash": ...}` or 32-byte hex).
    Hash(B256),
}

impl<'de> Deserialize<'de> for BlockId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = Value::deserialize(deserializer)?;
        match &value {
            Value::String(s) => match s.as_str() {
                "latest" | "pending" | "safe" | "finalized" => Ok(Self::Latest),
                "earliest" => Ok(Self::Number(0)),
                hash if hash.len() == 66 => hash.parse().map(Self::Hash).map_err(D::Error::custom),
                number => parse_quantity(number).map(Self::Number).map_err(D::Error::custom),
            },
            Value::Object(object) => {
                if let Some(hash) = object.get("blockHash") {
                    B256::deserialize(hash).map(Self::Hash).map_err(D::Error::custom)
                } else if let Some(number) = object.get("blockNumber") {
                    Quantity::deserialize(number).map(|q| Self::Number(q.0)).map_err(D::Error::custom)
                } else {
                    Err(D::Error::custom("a block object needs blockHash or blockNumber"))
                }
            }
            Value::Number(_) => Quantity::deserialize(&value).map(|q| Self::Number(q.0)).map_err(D::Error::custom),
            other => Err(D::Error::custom(format!("expected a block tag, number or hash, got {other}"))),
        }
    }
}

/// The transaction object of `eth_call`, `eth_estimateGas` and `eth_sendTransaction`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRequest {
    /// Sender (zero address if absent, for calls).
    pub from: Option<Address>,
    /// Recipient; absent for a creation.
    pub to: Option<Address>,
    /// Gas limit.
    #[serde(default, deserialize_with = "opt_quantity")]
    pub gas: Option<u64>,
    /// Legacy gas price.
    pub gas_price: Option<U256>,
    /// EIP-1559 max fee.
    pub max_fee_per_gas: Option<U256>,
    /// EIP-1559 tip.
    pub max_priority_fee_per_gas: Option<U256>,
    /// Wei sent.
    pub value: Option<U256>,
    /// Calldata (old name).
    pub data: Option<Bytes>,
    /// Calldata.
    pub input: Option<Bytes>,
    /// Sender nonce.
    #[serde(default, deserialize_with = "opt_quantity")]
    pub nonce: Option<u64>,
    /// EIP-2930 access list.
    pub access_list: Option<Vec<AccessListItem>>,
}

impl CallRequest {
    /// The calldata from `input` or `data` (which must agree if both are set).
    pub fn calldata(&self) -> Result<Bytes, RpcError> {
        match (&self.input, &self.data) {
            (Some(input), Some(data)) if input != data => Err(RpcError::invalid_params("both \"data\" and \"input\" are set and differ")),
            (Some(input), _) => Ok(input.clone()),
            (None, data) => Ok(data.clone().unwrap_or_default()),
        }
    }
}

/// Per-account overrides of `eth_call`'s third parameter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountOverride {
    /// Balance to use.
    pub balance: Option<U256>,
    /// Nonce to use.
    #[serde(default, deserialize_with = "opt_quantity")]
    pub nonce: Option<u64>,
    /// Code to use.
    pub code: Option<Bytes>,
    /// Complete storage to use (other slots read zero).
    pub state: Option<HashMap<B256, B256>>,
    /// Slots to change, others kept.
    pub state_diff: Option<HashMap<B256, B256>>,
}

/// `eth_call` state overrides by address.
pub type StateOverrides = HashMap<Address, AccountOverride>;

/// One value or a list of values (filter addresses and topics).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// Any of these values.
    Many(Vec<T>),
}

impl<T: PartialEq> OneOrMany<T> {
    /// True when `value` is (one of) the value(s).
    pub fn matches(&self, value: &T) -> bool {
        match self {
            Self::One(one) => one == value,
            Self::Many(many) => many.contains(value),
        }
    }
}

/// The filter of `eth_getLogs`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogFilter {
    /// First block (default latest).
    pub from_block: Option<BlockId>,
    /// Last block (default latest).
    pub to_block: Option<BlockId>,
    /// A single block by hash, instead of a range.
    pub block_hash: Option<B256>,
    /// Emitting contract(s).
    pub address: Option<OneOrMany<Address>>,
    /// Topic filters by position; `null` matches anything.
    #[serde(default)]
    pub topics: Vec<Option<OneOrMany<B256>>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_accept_hex_strings_and_numbers_only() {
        assert_eq!(serde_json::from_value::<Quantity>(json!("0x1f")).unwrap(), Quantity(31));
        assert_eq!(serde_json::from_value::<Quantity>(json!(7)).unwrap(), Quantity(7));
        for bad in [json!("1f"), json!("0x"), json!("0xzz"), json!(-1), json!("0x10000000000000000"), json!(true)] {
            assert!(serde_json::from_value::<Quantity>(bad.clone()).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn block_ids_parse_tags_numbers_and_hashes() {
        let parse = |v| serde_json::from_value::<BlockId>(v).unwrap();
        assert_eq!(parse(json!("pending")), BlockId::Latest);
        assert_eq!(parse(json!("earliest")), BlockId::Number(0));
        assert_eq!(parse(json!("0x2")), BlockId::Number(2));
        assert_eq!(parse(json!({ "blockNumber": "0x3" })), BlockId::Number(3));
        assert_eq!(parse(json!(format!("{}", B256::with_last_byte(9)))), BlockId::Hash(B256::with_last_byte(9)));
        assert!(serde_json::from_value::<BlockId>(json!("newest")).is_err());
    }

    #[test]
    fn calldata_comes_from_input_or_data() {
        let request: CallRequest = serde_json::from_value(json!({ "data": "0x01" })).unwrap();
        assert_eq!(request.calldata().unwrap().as_ref(), &[1]);
        let request: CallRequest = serde_json::from_value(json!({ "data": "0x01", "input": "0x02" })).unwrap();
        assert_eq!(request.calldata().unwrap_err().code, -32602);
    }
}
