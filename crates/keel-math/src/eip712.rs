//! EIP-712 typed-data digests, ECDSA signature checks and EIP-1271 encoding.
//!
//! Every signed action in Keel is bound to a domain (name, version, chain id,
//! verifying contract), to its signer, to a nonce or single-use salt, and to an
//! expiry, so a signature cannot be replayed on another chain, contract or
//! after use, and is worthless after its deadline.

extern crate alloc;

use alloc::vec::Vec;
use alloy_primitives::{keccak256, Address, B256, U256};

/// Keccak-256 evaluated at compile time, for type hashes.
pub const fn const_keccak(input: &[u8]) -> B256 {
    B256::new(keccak_const::Keccak256::new().update(input).finalize())
}

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub const DOMAIN_TYPEHASH: B256 = const_keccak(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

/// Type hash of a StrategyManager deposit signed by the staker.
pub const DEPOSIT_TYPEHASH: B256 = const_keccak(b"Deposit(address staker,address token,uint256 amount,uint256 nonce,uint256 expiry)");

/// Type hash of an operator's delegation approver consenting to a delegation.
pub const DELEGATION_APPROVAL_TYPEHASH: B256 =
    const_keccak(b"DelegationApproval(address staker,address operator,bytes32 salt,uint256 expiry)");

/// Type hash of an EIP-2612 permit.
pub const PERMIT_TYPEHASH: B256 = const_keccak(b"Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

/// Half the secp256k1 group order: signatures with a larger `s` are malleable copies.
#[rustfmt::skip] // two rows of sixteen bytes, as the order is usually written
const SECP256K1_HALF_ORDER: U256 = U256::from_be_bytes([
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
]);

/// An address as a left-padded 32-byte ABI word.
pub fn address_word(address: Address) -> B256 {
    address.into_word()
}

/// `keccak256(abi.encode(words...))` for static 32-byte words.
pub fn hash_words(words: &[B256]) -> B256 {
    let mut buf = Vec::with_capacity(words.len() * 32);
    for word in words {
        buf.extend_from_slice(word.as_slice());
    }
    keccak256(buf)
}

/// The domain separator for a contract named `name` at `version`.
pub fn domain_separator(name: &str, version: &str, chain_id: u64, contract: Address) -> B256 {
    hash_words(&[
        DOMAIN_TYPEHASH,
        keccak256(name.as_bytes()),
        keccak256(version.as_bytes()),
        U256::from(chain_id).into(),
        address_word(contract),
    ])
}

/// The digest a wallet signs: `keccak256(0x1901 ‖ domainSeparator ‖ structHash)`.
pub fn typed_data_digest(domain_separator: B256, struct_hash: B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain_separator.as_slice());
    buf[34..66].copy_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

/// Struct hash of a deposit authorised by `staker`.
pub fn deposit_struct_hash(staker: Address, token: Address, amount: U256, nonce: U256, expiry: U256) -> B256 {
    hash_words(&[DEPOSIT_TYPEHASH, address_word(staker), address_word(token), amount.into(), nonce.into(), expiry.into()])
}

/// Struct hash of a delegation approval (single-use `salt`, `expiry`).
pub fn delegation_approval_struct_hash(staker: Address, operator: Address, salt: B256, expiry: U256) -> B256 {
    hash_words(&[DELEGATION_APPROVAL_TYPEHASH, address_word(staker), address_word(operator), salt, expiry.into()])
}

/// Struct hash of an EIP-2612 permit.
pub fn permit_struct_hash(owner: Address, spender: Address, value: U256, nonce: U256, deadline: U256) -> B256 {
    hash_words(&[PERMIT_TYPEHASH, address_word(owner), address_word(spender), value.into(), nonce.into(), deadline.into()])
}

/// Why a signature's bytes were refused before recovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// Not 65 bytes of `r ‖ s ‖ v`.
    BadLength,
    /// `v` is not 27 or 28 (0 and 1 are accepted and normalised).
    BadRecoveryId,
    /// `s` is in the upper half of the curve order (malleable).
    HighS,
}

/// A 65-byte ECDSA signature split into its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Recovery id, 27 or 28.
    pub v: u8,
    /// The `r` value.
    pub r: B256,
    /// The `s` value, in the lower half of the curve order.
    pub s: B256,
}

impl Signature {
    /// Parses `r ‖ s ‖ v`, refusing malleable or malformed signatures.
    pub fn parse(bytes: &[u8]) -> Result<Self, SignatureError> {
        if bytes.len() != 65 {
            return Err(SignatureError::BadLength);
        }
        let v = match bytes[64] {
            0 | 27 => 27,
            1 | 28 => 28,
            _ => return Err(SignatureError::BadRecoveryId),
        };
        let r = B256::from_slice(&bytes[..32]);
        let s = B256::from_slice(&bytes[32..64]);
        if U256::from_be_bytes(s.0) > SECP256K1_HALF_ORDER {
            return Err(SignatureError::HighS);
        }
        Ok(Self { v, r, s })
    }

    /// Input for the `ecrecover` precompile at address 0x01.
    pub fn ecrecover_input(&self, digest: B256) -> [u8; 128] {
        let mut input = [0u8; 128];
        input[..32].copy_from_slice(digest.as_slice());
        input[63] = self.v;
        input[64..96].copy_from_slice(self.r.as_slice());
        input[96..].copy_from_slice(self.s.as_slice());
        input
    }
}

/// Decodes the `ecrecover` precompile's output; the zero address means failure.
pub fn recovered_address(output: &[u8]) -> Option<Address> {
    if output.len() != 32 || output[..12].iter().any(|b| *b != 0) {
        return None;
    }
    let address = Address::from_slice(&output[12..]);
    (!address.is_zero()).then_some(address)
}

/// EIP-1271's `isValidSignature(bytes32,bytes)` selector, which is also the
/// magic value a contract signer returns to accept a signature.
pub const EIP1271_MAGIC: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];

/// Calldata asking a contract signer `isValidSignature(digest, signature)`.
pub fn is_valid_signature_calldata(digest: B256, signature: &[u8]) -> Vec<u8> {
    let padded = 100 + signature.len().div_ceil(32) * 32;
    let mut data = Vec::with_capacity(padded);
    data.extend_from_slice(&EIP1271_MAGIC);
    data.extend_from_slice(digest.as_slice());
    data.extend_from_slice(&U256::from(64).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(signature.len()).to_be_bytes::<32>());
    data.extend_from_slice(signature);
    data.resize(padded, 0);
    data
}

/// Whether a contract signer's `isValidSignature` output accepts: its first
/// word is exactly the magic value (as a left-aligned `bytes4`).
pub fn is_magic_value(output: &[u8]) -> bool {
    output.len() >= 32 && output[..4] == EIP1271_MAGIC && output[4..32].iter().all(|b| *b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, b256};
    use alloy_sol_types::{eip712_domain, sol, SolCall, SolStruct};

    sol! {
        struct Deposit { address staker; address token; uint256 amount; uint256 nonce; uint256 expiry; }
        struct Permit { address owner; address spender; uint256 value; uint256 nonce; uint256 deadline; }
        struct DelegationApproval { address staker; address operator; bytes32 salt; uint256 expiry; }
    }

    const CONTRACT: Address = address!("00000000000000000000000000000000000000c0");

    #[test]
    fn deposit_digest_matches_alloy() {
        let staker = address!("1111111111111111111111111111111111111111");
        let token = address!("2222222222222222222222222222222222222222");
        let ours = typed_data_digest(
            domain_separator("Keel StrategyManager", "1", 412346, CONTRACT),
            deposit_struct_hash(staker, token, U256::from(7), U256::from(3), U256::from(99)),
        );
        let domain = eip712_domain! { name: "Keel StrategyManager", version: "1", chain_id: 412346, verifying_contract: CONTRACT, };
        let msg = Deposit { staker, token, amount: U256::from(7), nonce: U256::from(3), expiry: U256::from(99) };
        assert_eq!(ours, msg.eip712_signing_hash(&domain));
    }

    #[test]
    fn permit_digest_matches_alloy_and_binds_the_chain() {
        let owner = address!("3333333333333333333333333333333333333333");
        let digest = |chain: u64| {
            typed_data_digest(
                domain_separator("Keel Test Token", "1", chain, CONTRACT),
                permit_struct_hash(owner, CONTRACT, U256::from(5), U256::ZERO, U256::from(10)),
            )
        };
        let domain = eip712_domain! { name: "Keel Test Token", version: "1", chain_id: 1, verifying_contract: CONTRACT, };
        let msg = Permit { owner, spender: CONTRACT, value: U256::from(5), nonce: U256::ZERO, deadline: U256::from(10) };
        assert_eq!(digest(1), msg.eip712_signing_hash(&domain));
        assert_ne!(digest(1), digest(412346));
    }

    #[test]
    fn delegation_approval_digest_matches_alloy() {
        let (staker, operator) =
            (address!("4444444444444444444444444444444444444444"), address!("5555555555555555555555555555555555555555"));
        let salt = B256::repeat_byte(9);
        let ours = typed_data_digest(
            domain_separator("Keel DelegationManager", "1", 412346, CONTRACT),
            delegation_approval_struct_hash(staker, operator, salt, U256::from(77)),
        );
        let domain = eip712_domain! { name: "Keel DelegationManager", version: "1", chain_id: 412346, verifying_contract: CONTRACT, };
        let msg = DelegationApproval { staker, operator, salt, expiry: U256::from(77) };
        assert_eq!(ours, msg.eip712_signing_hash(&domain));
    }

    #[test]
    fn signature_parsing_refuses_malformed_input() {
        let mut sig = [0u8; 65];
        sig[64] = 27;
        assert_eq!(Signature::parse(&sig).map(|s| s.v), Ok(27));
        sig[64] = 1;
        assert_eq!(Signature::parse(&sig).map(|s| s.v), Ok(28));
        sig[64] = 29;
        assert_eq!(Signature::parse(&sig), Err(SignatureError::BadRecoveryId));
        assert_eq!(Signature::parse(&sig[..64]), Err(SignatureError::BadLength));
        sig[64] = 27;
        sig[32..64].copy_from_slice(b256!("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1").as_slice());
        assert_eq!(Signature::parse(&sig), Err(SignatureError::HighS));
    }

    #[test]
    fn recovered_address_rejects_zero_and_dirty_words() {
        assert_eq!(recovered_address(&[0u8; 32]), None);
        let mut word = [0u8; 32];
        word[31] = 1;
        assert_eq!(recovered_address(&word), Some(address!("0000000000000000000000000000000000000001")));
        word[0] = 1;
        assert_eq!(recovered_address(&word), None);
        assert_eq!(recovered_address(&word[..31]), None);
    }

    #[test]
    fn is_valid_signature_calldata_matches_alloy() {
        sol! { function isValidSignature(bytes32 hash, bytes signature) returns (bytes4); }
        let digest = B256::repeat_byte(7);
        for len in [0usize, 1, 32, 65, 97] {
            let signature: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let ours = is_valid_signature_calldata(digest, &signature);
            let theirs = isValidSignatureCall { hash: digest, signature: signature.into() }.abi_encode();
            assert_eq!(ours, theirs, "{len}-byte signature");
        }
    }

    #[test]
    fn only_the_exact_magic_word_accepts() {
        let mut word = [0u8; 32];
        word[..4].copy_from_slice(&EIP1271_MAGIC);
        assert!(is_magic_value(&word));
        assert!(is_magic_value(&[word.as_slice(), &[1u8; 32]].concat()), "trailing data is ignored");
        assert!(!is_magic_value(&word[..31]), "short output");
        assert!(!is_magic_value(&EIP1271_MAGIC), "unpadded bytes4");
        let mut right_aligned = [0u8; 32];
        right_aligned[28..].copy_from_slice(&EIP1271_MAGIC);
        assert!(!is_magic_value(&right_aligned), "a uint32 is not a bytes4");
        word[31] = 1;
        assert!(!is_magic_value(&word), "dirty padding");
        assert!(!is_magic_value(&[]), "an account without code returns nothing");
    }
}
