//! Signed transactions as clients send them to `eth_sendRawTransaction`:
//! legacy (with or without EIP-155), EIP-2930 and EIP-1559 envelopes.
//! Decoding recovers the sender; the dev accounts sign EIP-1559 envelopes.

use alloy_primitives::{keccak256, Address, Bytes, Signature, B256, U256};
use alloy_rlp::{Decodable, Encodable, Header, RlpDecodable, RlpEncodable};
use k256::ecdsa::SigningKey;
use serde::{Deserialize, Serialize};

/// Half the secp256k1 group order: signatures with a larger `s` are refused (EIP-2).
#[rustfmt::skip] // two rows of sixteen bytes, as the order is usually written
const HALF_ORDER: U256 = U256::from_be_slice(&[
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
]);

/// One entry of an EIP-2930 access list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, RlpEncodable, RlpDecodable)]
#[serde(rename_all = "camelCase")]
pub struct AccessListItem {
    /// Account to warm.
    pub address: Address,
    /// Its slots to warm.
    pub storage_keys: Vec<B256>,
}

/// The transaction envelope types the devnet accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxType {
    /// Type 0 (legacy).
    Legacy,
    /// Type 1 (EIP-2930).
    AccessList,
    /// Type 2 (EIP-1559).
    DynamicFee,
}

impl TxType {
    /// The type number of the envelope.
    pub fn number(self) -> u8 {
        match self {
            Self::Legacy => 0,
            Self::AccessList => 1,
            Self::DynamicFee => 2,
        }
    }
}

/// A decoded transaction with its sender and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTx {
    /// Envelope type.
    pub tx_type: TxType,
    /// Chain id (`None` for pre-EIP-155 legacy transactions).
    pub chain_id: Option<u64>,
    /// Sender nonce.
    pub nonce: u64,
    /// `gasPrice` (types 0 and 1) or `maxFeePerGas` (type 2).
    pub max_fee: U256,
    /// `maxPriorityFeePerGas` (type 2 only).
    pub max_priority_fee: Option<U256>,
    /// Gas limit.
    pub gas: u64,
    /// Recipient, `None` for a contract creation.
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Calldata or init code, exactly as signed.
    pub input: Bytes,
    /// Access list (types 1 and 2).
    pub access_list: Vec<AccessListItem>,
    /// Signature `r` (zero for impersonated senders).
    pub r: U256,
    /// Signature `s` (zero for impersonated senders).
    pub s: U256,
    /// Signature parity.
    pub y_parity: bool,
    /// The sender, recovered from the signature (or impersonated).
    pub from: Address,
    /// Transaction hash: keccak256 of the encoded envelope.
    pub hash: B256,
}

impl SignedTx {
    /// Price per gas actually paid at `base_fee`. Arbitrum drops the tip:
    /// every transaction type pays exactly the base fee (the node refuses a
    /// max fee or legacy gas price below it), whatever its priority fee.
    pub fn effective_gas_price(&self, base_fee: U256) -> U256 {
        base_fee
    }

    /// The envelope as signed and sent (geth's `MarshalBinary`; an
    /// impersonated transaction has a zero signature).
    pub fn marshal_binary(&self) -> Vec<u8> {
        let common = |fields: &mut Vec<Vec<u8>>| {
            fields.extend([encoded(&self.gas), encoded_to(self.to), encoded(&self.value), encoded(&self.input)]);
        };
        let mut fields = Vec::new();
        if self.tx_type != TxType::Legacy {
            fields.push(encoded(&self.chain_id.unwrap_or_default()));
        }
        fields.push(encoded(&self.nonce));
        if self.tx_type == TxType::DynamicFee {
            fields.push(encoded(&self.max_priority_fee.unwrap_or_default()));
        }
        fields.push(encoded(&self.max_fee));
        common(&mut fields);
        if self.tx_type != TxType::Legacy {
            fields.push(encoded(&self.access_list));
        }
        fields.extend([encoded(&self.v()), encoded(&self.r), encoded(&self.s)]);
        envelope(self.tx_type, &fields)
    }

    /// The `v` value as JSON-RPC reports it.
    pub fn v(&self) -> u64 {
        let parity = u64::from(self.y_parity);
        match (self.tx_type, self.chain_id) {
            (TxType::Legacy, Some(chain_id)) => chain_id * 2 + 35 + parity,
            (TxType::Legacy, None) => 27 + parity,
            _ => parity,
        }
    }
}

/// Fields of an EIP-1559 transaction to sign or to send unsigned.
#[derive(Debug, Clone)]
pub struct UnsignedTx {
    /// Chain id.
    pub chain_id: u64,
    /// Sender nonce.
    pub nonce: u64,
    /// `maxFeePerGas`.
    pub max_fee: U256,
    /// `maxPriorityFeePerGas`.
    pub max_priority_fee: U256,
    /// Gas limit.
    pub gas: u64,
    /// Recipient, `None` for a contract creation.
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Calldata or init code.
    pub input: Bytes,
    /// Access list.
    pub access_list: Vec<AccessListItem>,
}

impl UnsignedTx {
    fn fields(&self) -> Vec<Vec<u8>> {
        vec![
            encoded(&self.chain_id),
            encoded(&self.nonce),
            encoded(&self.max_priority_fee),
            encoded(&self.max_fee),
            encoded(&self.gas),
            encoded_to(self.to),
            encoded(&self.value),
            encoded(&self.input),
            encoded(&self.access_list),
        ]
    }

    /// The EIP-1559 envelope with the signature values `v`, `r`, `s` as given.
    pub fn envelope_with(&self, v: U256, r: U256, s: U256) -> Vec<u8> {
        let mut fields = self.fields();
        fields.extend([encoded(&v), encoded(&r), encoded(&s)]);
        envelope(TxType::DynamicFee, &fields)
    }

    /// Signs as an EIP-1559 envelope; returns the raw bytes to send.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        let mut fields = self.fields();
        let sighash = keccak256(envelope(TxType::DynamicFee, &fields));
        let (signature, recovery) = key.sign_prehash_recoverable(sighash.as_slice()).expect("a 32-byte prehash signs");
        let signature = Signature::from((signature, recovery));
        fields.extend([encoded(&signature.v()), encoded(&signature.r()), encoded(&signature.s())]);
        envelope(TxType::DynamicFee, &fields)
    }

    /// The transaction as if sent by `from` without a signature (impersonation);
    /// its hash is that of the envelope with a zero signature and `from` appended.
    pub fn impersonated(&self, from: Address) -> SignedTx {
        let mut fields = self.fields();
        fields.extend([encoded(&false), encoded(&U256::ZERO), encoded(&U256::ZERO), encoded(&from)]);
        SignedTx {
            tx_type: TxType::DynamicFee,
            chain_id: Some(self.chain_id),
            nonce: self.nonce,
            max_fee: self.max_fee,
            max_priority_fee: Some(self.max_priority_fee),
            gas: self.gas,
            to: self.to,
            value: self.value,
            input: self.input.clone(),
            access_list: self.access_list.clone(),
            r: U256::ZERO,
            s: U256::ZERO,
            y_parity: false,
            from,
            hash: keccak256(envelope(TxType::DynamicFee, &fields)),
        }
    }
}

fn encoded<T: Encodable + ?Sized>(value: &T) -> Vec<u8> {
    alloy_rlp::encode(value)
}

fn encoded_to(to: Option<Address>) -> Vec<u8> {
    to.map(|a| encoded(&a)).unwrap_or_else(|| vec![alloy_rlp::EMPTY_STRING_CODE])
}

/// RLP list of already-encoded items.
fn list<T: AsRef<[u8]>>(items: &[T]) -> Vec<u8> {
    let payload_length = items.iter().map(|item| item.as_ref().len()).sum();
    let mut out = Vec::with_capacity(payload_length + 9);
    Header { list: true, payload_length }.encode(&mut out);
    items.iter().for_each(|item| out.extend_from_slice(item.as_ref()));
    out
}

fn envelope<T: AsRef<[u8]>>(tx_type: TxType, items: &[T]) -> Vec<u8> {
    let mut out = match tx_type {
        TxType::Legacy => Vec::new(),
        typed => vec![typed.number()],
    };
    out.extend(list(items));
    out
}

/// The encoded items of the RLP list that is exactly `buf`.
fn items(buf: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut rest = buf;
    let header = Header::decode(&mut rest).map_err(|e| format!("bad RLP: {e}"))?;
    if !header.list {
        return Err("bad RLP: expected a list".into());
    }
    if rest.len() != header.payload_length {
        return Err("bad RLP: bytes after the transaction".into());
    }
    let mut items = Vec::new();
    while !rest.is_empty() {
        let mut after_header = rest;
        let item = Header::decode(&mut after_header).map_err(|e| format!("bad RLP: {e}"))?;
        let len = rest.len() - after_header.len() + item.payload_length;
        items.push(&rest[..len]);
        rest = &rest[len..];
    }
    Ok(items)
}

fn field<T: Decodable>(item: &[u8], name: &str) -> Result<T, String> {
    let mut buf = item;
    let value = T::decode(&mut buf).map_err(|e| format!("bad field {name}: {e}"))?;
    if buf.is_empty() {
        Ok(value)
    } else {
        Err(format!("bad field {name}: trailing bytes"))
    }
}

fn field_to(item: &[u8]) -> Result<Option<Address>, String> {
    if item == [alloy_rlp::EMPTY_STRING_CODE] {
        Ok(None)
    } else {
        field(item, "to").map(Some)
    }
}

/// Decodes a raw signed transaction and recovers its sender.
pub fn decode(raw: &[u8]) -> Result<SignedTx, String> {
    let (tx_type, body) = match raw.first() {
        None => return Err("empty transaction".into()),
        Some(0xc0..) => (TxType::Legacy, raw),
        Some(1) => (TxType::AccessList, &raw[1..]),
        Some(2) => (TxType::DynamicFee, &raw[1..]),
        Some(other) => return Err(format!("transaction type {other} is not supported")),
    };
    let items = items(body)?;
    let count = match tx_type {
        TxType::Legacy => 9,
        TxType::AccessList => 11,
        TxType::DynamicFee => 12,
    };
    if items.len() != count {
        return Err(format!("a type-{} transaction has {count} fields, got {}", tx_type.number(), items.len()));
    }
    // Offset of nonce, fee, gas...: typed envelopes start with the chain id;
    // EIP-1559 has one more fee field.
    let (chain_id, rest) = match tx_type {
        TxType::Legacy => (None, &items[..]),
        _ => (Some(field::<u64>(items[0], "chainId")?), &items[1..]),
    };
    let nonce = field(rest[0], "nonce")?;
    let (max_priority_fee, rest) = match tx_type {
        TxType::DynamicFee => (Some(field(rest[1], "maxPriorityFeePerGas")?), &rest[1..]),
        _ => (None, rest),
    };
    let max_fee = field(rest[1], "gasPrice")?;
    let gas = field(rest[2], "gas")?;
    let to = field_to(rest[3])?;
    let value = field(rest[4], "value")?;
    let input: Bytes = field(rest[5], "input")?;
    let access_list = match tx_type {
        TxType::Legacy => Vec::new(),
        _ => field(rest[6], "accessList")?,
    };
    let [v, r, s] = items[count - 3..] else { unreachable!("count checked") };
    let (v, r, s): (u64, U256, U256) = (field(v, "v")?, field(r, "r")?, field(s, "s")?);
    let (chain_id, y_parity, signed_payload) = match tx_type {
        TxType::Legacy => legacy_signing(&items, v)?,
        _ if v > 1 => return Err(format!("bad signature: yParity {v}")),
        _ => (chain_id, v == 1, envelope(tx_type, &items[..count - 3])),
    };
    if r.is_zero() || s.is_zero() || s > HALF_ORDER {
        return Err("invalid signature: r or s out of range".into());
    }
    let signature = Signature::new(r, s, y_parity);
    let from = signature.recover_address_from_prehash(&keccak256(&signed_payload)).map_err(|e| format!("invalid signature: {e}"))?;
    let tx = SignedTx {
        tx_type,
        chain_id,
        nonce,
        max_fee,
        max_priority_fee,
        gas,
        to,
        value,
        input,
        access_list,
        r,
        s,
        y_parity,
        from,
        hash: keccak256(raw),
    };
    Ok(tx)
}

/// Chain id, parity and signed payload of a legacy transaction with `v`.
fn legacy_signing(items: &[&[u8]], v: u64) -> Result<(Option<u64>, bool, Vec<u8>), String> {
    let mut fields: Vec<Vec<u8>> = items[..6].iter().map(|item| item.to_vec()).collect();
    match v {
        27 | 28 => Ok((None, v == 28, list(&fields))),
        35.. => {
            let chain_id = (v - 35) / 2;
            fields.extend([encoded(&chain_id), encoded(&0u8), encoded(&0u8)]);
            Ok((Some(chain_id), (v - 35) % 2 == 1, list(&fields)))
        }
        _ => Err(format!("bad signature: v {v}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, hex};

    fn key() -> SigningKey {
        SigningKey::from_slice(&[0x11; 32]).unwrap()
    }

    fn sample() -> UnsignedTx {
        UnsignedTx {
            chain_id: 412_346,
            nonce: 7,
            max_fee: U256::from(200_000_000u64),
            max_priority_fee: U256::from(1u64),
            gas: 50_000,
            to: Some(address!("00000000000000000000000000000000000000bb")),
            value: U256::from(5u64),
            input: Bytes::from_static(&[1, 2, 3]),
            access_list: vec![AccessListItem { address: Address::ZERO, storage_keys: vec![B256::with_last_byte(1)] }],
        }
    }

    #[test]
    fn signed_eip1559_transactions_decode_to_their_fields_and_signer() {
        let raw = sample().sign(&key());
        let tx = decode(&raw).unwrap();
        let signer = Address::from_private_key(&key());
        assert_eq!(tx.from, signer);
        assert_eq!((tx.tx_type, tx.chain_id, tx.nonce, tx.gas), (TxType::DynamicFee, Some(412_346), 7, 50_000));
        assert_eq!(tx.input.as_ref(), &[1, 2, 3]);
        assert_eq!(tx.access_list, sample().access_list);
        assert_eq!(tx.hash, keccak256(&raw));
        assert_eq!(tx.marshal_binary(), raw, "re-encoded exactly as signed");
        assert_eq!(tx.effective_gas_price(U256::from(100_000_000u64)), U256::from(100_000_000u64), "Arbitrum drops the tip");
    }

    #[test]
    fn the_eip155_example_transaction_recovers_its_sender() {
        // The example of EIP-155 (chain id 1), signed by the key 0x4646...46.
        let raw = hex!("f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
        let tx = decode(&raw).unwrap();
        assert_eq!(tx.from, address!("9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"));
        assert_eq!((tx.tx_type, tx.chain_id, tx.nonce, tx.v()), (TxType::Legacy, Some(1), 9, 37));
        assert_eq!(tx.max_fee, U256::from(20_000_000_000u64));
        assert_eq!(tx.marshal_binary(), raw.to_vec(), "re-encoded exactly as signed");
    }

    #[test]
    fn tampered_or_truncated_transactions_are_refused_or_change_signer() {
        let raw = sample().sign(&key());
        assert!(decode(&raw[..raw.len() - 1]).is_err());
        assert!(decode(&[]).is_err());
        assert!(decode(&[3, 0xc0]).unwrap_err().contains("type 3"));
        let mut extra = raw.clone();
        extra.push(0);
        assert!(decode(&extra).unwrap_err().contains("after the transaction"));
        let mut tampered = raw.clone();
        let nonce_at = raw.iter().position(|b| *b == 7).unwrap();
        tampered[nonce_at] = 8;
        if let Ok(tx) = decode(&tampered) {
            assert_ne!(tx.from, decode(&raw).unwrap().from);
        }
    }

    #[test]
    fn impersonated_transactions_have_distinct_hashes_per_sender() {
        let a = sample().impersonated(address!("00000000000000000000000000000000000000a1"));
        let b = sample().impersonated(address!("00000000000000000000000000000000000000a2"));
        assert_ne!(a.hash, b.hash);
        assert_eq!(a.from, address!("00000000000000000000000000000000000000a1"));
    }
}
