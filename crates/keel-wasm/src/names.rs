//! Function names for profiles: a module is deployed without custom
//! sections, and a copy keeping its `name` section maps the deployed
//! module's function indices to names.

use std::collections::HashMap;
use wasmparser::{KnownCustom, Name, Parser, Payload};

/// `wasm` without its custom sections (names, producers, debug info): the
/// module that is deployed. Every other section is copied byte for byte,
/// so function indices are unchanged.
pub fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = wasm.get(..8).ok_or("not a WASM module")?.to_vec();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| format!("cannot parse module: {e}"))?;
        if let Some((id, range)) = payload.as_section() {
            let range = usize::try_from(range.start).map_err(|e| e.to_string())?..usize::try_from(range.end).map_err(|e| e.to_string())?;
            if id != 0 {
                // The section's id and size precede its contents.
                let start = section_start(wasm, range.start).ok_or("malformed section header")?;
                out.extend_from_slice(&wasm[start..range.end]);
            }
        }
    }
    Ok(out)
}

/// Where the section whose contents start at `contents` begins: one id
/// byte, then the LEB128 size that ends right before `contents`.
fn section_start(wasm: &[u8], contents: usize) -> Option<usize> {
    // The size's last byte has its high bit clear, the ones before set.
    let mut start = contents.checked_sub(1)?;
    while start > 0 && wasm[start - 1] & 0x80 != 0 {
        start -= 1;
    }
    start.checked_sub(1)
}

/// The function names of `wasm`'s `name` section, by function index
/// (imports included); a function it does not name but exports is named
/// after its export (`user_entrypoint`).
pub fn function_names(wasm: &[u8]) -> HashMap<u32, String> {
    let mut names = HashMap::new();
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Ok(Payload::ExportSection(reader)) = &payload {
            for export in reader.clone().into_iter().flatten() {
                if export.kind == wasmparser::ExternalKind::Func {
                    exports.push((export.index, export.name.to_string()));
                }
            }
        }
        let Ok(Payload::CustomSection(section)) = payload else { continue };
        let KnownCustom::Name(reader) = section.as_known() else { continue };
        for name in reader {
            let Ok(Name::Function(map)) = name else { continue };
            for naming in map.into_iter().flatten() {
                names.insert(naming.index, naming.name.to_string());
            }
        }
    }
    for (index, name) in exports {
        names.entry(index).or_insert(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMED: &str = r#"(module
        (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
        (func $helper (result i32) i32.const 7)
        (func $user_entrypoint (export "user_entrypoint") (param i32) (result i32) call $helper)
        (memory (export "memory") 1))"#;

    #[test]
    fn names_map_function_indices_imports_first() {
        let wasm = wat::parse_str(NAMED).unwrap();
        let names = function_names(&wasm);
        assert_eq!(names.get(&0).map(String::as_str), Some("reentrant"));
        assert_eq!(names.get(&1).map(String::as_str), Some("helper"));
        assert_eq!(names.get(&2).map(String::as_str), Some("user_entrypoint"));
    }

    #[test]
    fn stripping_drops_only_custom_sections() {
        let named = wat::parse_str(NAMED).unwrap();
        let stripped = strip_custom_sections(&named).unwrap();
        assert!(stripped.len() < named.len());
        let exported = HashMap::from([(2, "user_entrypoint".to_string())]);
        assert_eq!(function_names(&stripped), exported, "exports name what the name section no longer does");
        // Same as the module assembled without names.
        let unnamed = r#"(module
            (import "vm_hooks" "msg_reentrant" (func (result i32)))
            (func (result i32) i32.const 7)
            (func (export "user_entrypoint") (param i32) (result i32) call 1)
            (memory (export "memory") 1))"#;
        assert_eq!(stripped, wat::parse_str(unnamed).unwrap());
        assert_eq!(strip_custom_sections(&stripped).unwrap(), stripped, "idempotent");
    }
}
