//! Multi-fragment Stylus contracts (ArbOS 60): a module whose compressed
//! form exceeds the 24 KiB code limit is stored as fragment contracts plus a
//! root contract naming them.
//!
//! Formats, as nitro's geth fork reads them (`core/state/statedb_arbitrum.go`:
//! `StylusFragmentsDiscriminant`, `StylusRootDiscriminant`, `NewStylusRoot`,
//! `StripStylusFragmentPrefix`) and cargo-stylus writes them
//! (stylus-sdk-rs `stylus-tools/src/core/code/{fragments,contract}.rs`):
//! * fragment: `EF F0 01` + a slice of the brotli stream (no dictionary byte);
//! * root: `EF F0 02` + dictionary byte + decompressed WASM length (u32,
//!   big-endian) + the fragments' addresses (20 bytes each), in stream order.
//!
//! nitro's `arbos/programs/programs.go` (`getWasmFromRootStylus`) activates a
//! root by concatenating its fragments' payloads and decompressing the result
//! to exactly the declared length; [`decode_fragmented`] does the same.

use crate::deploy::{compress, decompress, DecodeError, DEPLOYED_CODE_PREFIX};
use crate::MAX_DEPLOYED_CODE;

/// Prefix of a fragment's code: Stylus magic and version 1 (fragment).
pub const FRAGMENT_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x01];
/// Prefix of a root's code: Stylus magic and version 2 (root).
pub const ROOT_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x02];
/// Length of a root's header: prefix, dictionary byte, decompressed length.
pub const ROOT_HEADER_LEN: usize = 8;
/// Most compressed bytes one fragment carries (the code limit minus its prefix).
pub const FRAGMENT_PAYLOAD: usize = MAX_DEPLOYED_CODE - FRAGMENT_PREFIX.len();
/// Fragments a root may name by default: the value ArbOS 60 sets at its
/// upgrade (nitro `arbos/programs/params.go`, `initialMaxFragmentCount`).
pub const DEFAULT_MAX_FRAGMENTS: u8 = 2;

/// Code-limit bytes a single contract must leave free; a module that would
/// leave less is deployed as fragments (one, at first), so that it can grow
/// without changing how it is deployed.
pub const MIN_SINGLE_HEADROOM: usize = 1024;

/// How a module is deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deployment {
    /// One contract: `EF F0 00 00` + brotli(WASM), within the code limit.
    Single(Vec<u8>),
    /// Fragment contracts, then a root naming their addresses.
    Fragmented(Fragmented),
}

/// A module split into fragment contracts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragmented {
    /// Each fragment's code (prefix + payload), in stream order.
    pub fragments: Vec<Vec<u8>>,
    /// Length of the decompressed WASM, recorded in the root.
    pub decompressed_len: u32,
}

impl Fragmented {
    /// The root's code once the fragments are deployed at `addresses` (in order).
    pub fn root_code(&self, addresses: &[[u8; 20]]) -> Vec<u8> {
        root_code(self.decompressed_len, addresses)
    }

    /// Bytes of code the fragments occupy together.
    pub fn code_len(&self) -> usize {
        self.fragments.iter().map(Vec::len).sum()
    }
}

impl Deployment {
    /// The single contract's code, or the concatenated fragments' code with
    /// the root's size (for size reports): total deployed bytes.
    pub fn code_len(&self) -> usize {
        match self {
            Self::Single(code) => code.len(),
            Self::Fragmented(f) => f.code_len() + ROOT_HEADER_LEN + 20 * f.fragments.len(),
        }
    }

    /// Number of fragment contracts (0 for a single contract).
    pub fn fragment_count(&self) -> usize {
        match self {
            Self::Single(_) => 0,
            Self::Fragmented(f) => f.fragments.len(),
        }
    }
}

/// Compresses `wasm` and splits it into fragments when the single form would
/// exceed the code limit, as cargo-stylus's `Code::split_if_large` does, or
/// leave less than [`MIN_SINGLE_HEADROOM`] of it (where cargo-stylus would
/// still deploy one contract; both forms run the same module).
pub fn deployment(wasm: &[u8]) -> Deployment {
    let compressed = compress(wasm);
    if DEPLOYED_CODE_PREFIX.len() + compressed.len() + MIN_SINGLE_HEADROOM <= MAX_DEPLOYED_CODE {
        return Deployment::Single([&DEPLOYED_CODE_PREFIX[..], &compressed].concat());
    }
    let fragments = compressed.chunks(FRAGMENT_PAYLOAD).map(|chunk| [&FRAGMENT_PREFIX[..], chunk].concat()).collect();
    let decompressed_len = u32::try_from(wasm.len()).expect("a WASM module is below 4 GiB");
    Deployment::Fragmented(Fragmented { fragments, decompressed_len })
}

/// A root's code: prefix, dictionary `00`, `decompressed_len` and `addresses`.
pub fn root_code(decompressed_len: u32, addresses: &[[u8; 20]]) -> Vec<u8> {
    let mut code = Vec::with_capacity(ROOT_HEADER_LEN + 20 * addresses.len());
    code.extend_from_slice(&ROOT_PREFIX);
    code.push(0);
    code.extend_from_slice(&decompressed_len.to_be_bytes());
    addresses.iter().for_each(|address| code.extend_from_slice(address));
    code
}

/// A parsed root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// Brotli dictionary of the concatenated stream (0: none).
    pub dictionary: u8,
    /// Exact length of the decompressed WASM.
    pub decompressed_len: u32,
    /// The fragments' addresses, in stream order.
    pub fragments: Vec<[u8; 20]>,
}

/// Whether `code` is a root (nitro: `IsStylusRootProgramPrefix`, which needs
/// at least one byte after the prefix).
pub fn is_root(code: &[u8]) -> bool {
    code.len() > ROOT_PREFIX.len() && code.starts_with(&ROOT_PREFIX)
}

/// Whether `code` is a fragment (nitro: `IsStylusFragmentPrefix`).
pub fn is_fragment(code: &[u8]) -> bool {
    code.len() > FRAGMENT_PREFIX.len() && code.starts_with(&FRAGMENT_PREFIX)
}

/// Parses a root's code (nitro: `NewStylusRoot`).
pub fn parse_root(code: &[u8]) -> Result<Root, DecodeError> {
    if !is_root(code) {
        return Err(DecodeError::NotStylus);
    }
    if code.len() < ROOT_HEADER_LEN || !(code.len() - ROOT_HEADER_LEN).is_multiple_of(20) {
        return Err(DecodeError::MalformedRoot);
    }
    let fragments = code[ROOT_HEADER_LEN..].chunks_exact(20).map(|a| a.try_into().expect("20-byte chunk")).collect();
    let decompressed_len = u32::from_be_bytes(code[4..8].try_into().expect("4 bytes"));
    Ok(Root { dictionary: code[3], decompressed_len, fragments })
}

/// The compressed payload of a fragment's code (nitro: `StripStylusFragmentPrefix`).
pub fn fragment_payload(code: &[u8]) -> Result<&[u8], DecodeError> {
    if !is_fragment(code) {
        return Err(DecodeError::NotFragment);
    }
    Ok(&code[FRAGMENT_PREFIX.len()..])
}

/// Limits an activation enforces on a root (nitro checks them only when
/// activating; a call recompiling an activated root skips them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentLimits {
    /// Largest decompressed WASM (ArbOS's `MaxWasmSize`).
    pub max_wasm: usize,
    /// Most fragments a root may name (ArbOS's `MaxFragmentCount`).
    pub max_fragments: u8,
}

/// Checks a root against `limits` before any fragment is read, in nitro's
/// order: declared length, fragment count, then at least one fragment.
pub fn check_root(root: &Root, limits: Option<FragmentLimits>) -> Result<(), DecodeError> {
    if let Some(limits) = limits {
        if root.decompressed_len as usize > limits.max_wasm {
            return Err(DecodeError::TooLarge { limit: limits.max_wasm });
        }
        if root.fragments.len() > usize::from(limits.max_fragments) {
            return Err(DecodeError::TooManyFragments { limit: limits.max_fragments });
        }
    }
    if root.fragments.is_empty() {
        return Err(DecodeError::NoFragments);
    }
    Ok(())
}

/// Decompresses the concatenated `payloads` of `root`'s fragments; the
/// result must be exactly the declared length.
pub fn decode_fragmented(root: &Root, payloads: &[u8]) -> Result<Vec<u8>, DecodeError> {
    if root.dictionary != 0 {
        return Err(DecodeError::UnknownDictionary(root.dictionary));
    }
    let expected = root.decompressed_len as usize;
    let wasm = decompress(payloads, expected)?;
    if wasm.len() != expected {
        return Err(DecodeError::LengthMismatch { expected, actual: wasm.len() });
    }
    Ok(wasm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_testinputs::wasm::noise;

    fn payloads(f: &Fragmented) -> Vec<u8> {
        f.fragments.iter().flat_map(|code| fragment_payload(code).unwrap().to_vec()).collect()
    }

    #[test]
    fn small_modules_stay_single() {
        let wasm = noise(1000);
        assert_eq!(deployment(&wasm), Deployment::Single(crate::deployed_code(&wasm)));
    }

    #[test]
    fn a_module_near_the_limit_is_one_fragment_so_that_it_can_grow() {
        let fits = noise(MAX_DEPLOYED_CODE - MIN_SINGLE_HEADROOM - 200);
        assert!(matches!(deployment(&fits), Deployment::Single(_)));
        let tight = noise(MAX_DEPLOYED_CODE - MIN_SINGLE_HEADROOM + 200);
        let Deployment::Fragmented(f) = deployment(&tight) else { panic!("less than 1 KiB of room must fragment") };
        assert_eq!(f.fragments.len(), 1);
        assert_eq!(payloads(&f), compress(&tight));
    }

    #[test]
    fn large_modules_split_into_full_fragments_that_reassemble() {
        let wasm = noise(60_000);
        let Deployment::Fragmented(f) = deployment(&wasm) else { panic!("60 kB of noise must fragment") };
        assert_eq!(f.fragments.len(), 3);
        assert!(f.fragments.iter().all(|code| code.len() <= MAX_DEPLOYED_CODE && code.starts_with(&FRAGMENT_PREFIX)));
        assert_eq!(f.fragments[0].len(), MAX_DEPLOYED_CODE, "every fragment but the last is full");
        assert_eq!(payloads(&f), compress(&wasm));
        let addresses = [[1u8; 20], [2; 20], [3; 20]];
        let root = parse_root(&f.root_code(&addresses)).unwrap();
        assert_eq!(root, Root { dictionary: 0, decompressed_len: 60_000, fragments: addresses.to_vec() });
        assert_eq!(decode_fragmented(&root, &payloads(&f)).unwrap(), wasm);
    }

    #[test]
    fn root_layout_is_nitros() {
        let code = root_code(0x0102_0304, &[[0xaa; 20]]);
        assert_eq!(&code[..8], &[0xEF, 0xF0, 0x02, 0x00, 0x01, 0x02, 0x03, 0x04]);
        assert_eq!(&code[8..], &[0xaa; 20]);
    }

    #[test]
    fn malformed_roots_and_fragments_are_refused() {
        assert_eq!(parse_root(&[0xEF, 0xF0, 0x02]), Err(DecodeError::NotStylus), "nothing after the prefix");
        assert_eq!(parse_root(&[0xEF, 0xF0, 0x02, 0, 0, 0]), Err(DecodeError::MalformedRoot));
        assert_eq!(parse_root(&[&root_code(5, &[])[..], &[7]].concat()), Err(DecodeError::MalformedRoot));
        assert_eq!(fragment_payload(&[0xEF, 0xF0, 0x00, 0x00, 1]), Err(DecodeError::NotFragment));
        assert_eq!(fragment_payload(&FRAGMENT_PREFIX), Err(DecodeError::NotFragment), "empty fragment");
    }

    #[test]
    fn limits_are_checked_in_nitros_order() {
        let limits = Some(FragmentLimits { max_wasm: 1000, max_fragments: 2 });
        let root = |len, count| Root { dictionary: 0, decompressed_len: len, fragments: vec![[0; 20]; count] };
        assert_eq!(check_root(&root(1001, 3), limits), Err(DecodeError::TooLarge { limit: 1000 }));
        assert_eq!(check_root(&root(1000, 3), limits), Err(DecodeError::TooManyFragments { limit: 2 }));
        assert_eq!(check_root(&root(1000, 0), limits), Err(DecodeError::NoFragments));
        assert_eq!(check_root(&root(1000, 2), limits), Ok(()));
        assert_eq!(check_root(&root(5000, 9), None), Ok(()), "no limits outside activation");
    }

    #[test]
    fn the_declared_length_must_match_exactly() {
        let wasm = noise(100);
        let stream = compress(&wasm);
        let root = |len| Root { dictionary: 0, decompressed_len: len, fragments: vec![[0; 20]] };
        assert_eq!(decode_fragmented(&root(101), &stream), Err(DecodeError::LengthMismatch { expected: 101, actual: 100 }));
        assert_eq!(decode_fragmented(&root(99), &stream), Err(DecodeError::TooLarge { limit: 99 }));
        assert_eq!(decode_fragmented(&Root { dictionary: 1, ..root(100) }, &stream), Err(DecodeError::UnknownDictionary(1)));
        assert_eq!(decode_fragmented(&root(100), &stream).unwrap(), wasm);
    }
}
