//! From rustc's WASM to a deployable Stylus program, the way Arbitrum sees it.
//!
//! * [`normalize`] round-trips a module through the text format so that it no
//!   longer uses the reference-types encodings Arbitrum's validator rejects.
//! * [`validate`] checks the module against Arbitrum's feature set and limits.
//! * [`compress`] / [`deployed_code`] / [`init_code`] produce the bytes a
//!   deployment transaction carries; [`decode_deployed_code`] reverses them.
//! * [`deployment`] splits a module too large for one contract into
//!   fragments and a root (ArbOS 60); [`decode_fragmented`] reassembles it.
//! * [`strip_custom_sections`] drops names and debug data for deployment;
//!   [`function_names`] reads them from the copy that keeps them (profiles).
//!
//! The WASM build, the deploy tool and the devnet share this crate, so a
//! program that passes here is what runs everywhere.

mod deploy;
mod fragments;
mod names;
mod validate;

pub use deploy::{compress, decode_deployed_code, deployed_code, init_code, DecodeError, DEPLOYED_CODE_PREFIX, INIT_CODE_PRELUDE_LEN};
pub use fragments::{
    check_root, decode_fragmented, deployment, fragment_payload, is_fragment, is_root, parse_root, root_code, Deployment, FragmentLimits,
    Fragmented, Root, DEFAULT_MAX_FRAGMENTS, FRAGMENT_PAYLOAD, FRAGMENT_PREFIX, ROOT_HEADER_LEN, ROOT_PREFIX,
};
pub use names::{function_names, strip_custom_sections};
pub use validate::{arbitrum_features, validate, ModuleInfo, ValidationError};

/// Largest deployed code (prefix + compressed WASM) Arbitrum accepts, in bytes.
pub const MAX_DEPLOYED_CODE: usize = 24 * 1024;
/// Largest decompressed WASM Arbitrum accepts, in bytes.
pub const MAX_DECOMPRESSED_WASM: usize = 128 * 1024;
/// Largest number of 64 KiB memory pages a program may declare.
pub const MAX_MEMORY_PAGES: u64 = 128;
/// Largest number of functions a program may define.
pub const MAX_FUNCTIONS: u32 = 4096;

/// Rewrites a module binary → text → binary, as cargo-stylus does, dropping
/// encodings (such as reference-types table indices) Arbitrum refuses.
pub fn normalize(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let text = wasmprinter::print_bytes(wasm).map_err(|e| format!("cannot print module: {e}"))?;
    wat::parse_str(&text).map_err(|e| format!("cannot re-assemble module: {e}"))
}
