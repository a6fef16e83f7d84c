//! Arbitrum's acceptance rules for Stylus WASM modules.

use crate::{MAX_FUNCTIONS, MAX_MEMORY_PAGES};
use wasmparser::{ExternalKind, FuncType, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures};

/// The WASM proposals Arbitrum enables; every other one is refused.
pub fn arbitrum_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
}

/// Facts about a module that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    /// Functions defined by the module (imports excluded).
    pub functions: u32,
    /// Initial memory size in 64 KiB pages.
    pub memory_pages: u64,
    /// Host functions imported, as `module::name`.
    pub imports: Vec<String>,
}

/// Why a module is not a valid Stylus program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationError {
    /// The binary is malformed or uses a WASM feature Arbitrum disables.
    Invalid(String),
    /// A required export is absent or has the wrong shape.
    MissingExport(&'static str),
    /// The module has a start function.
    StartFunction,
    /// The module imports something other than a host function.
    BadImport(String),
    /// The module declares more memory pages than allowed.
    TooMuchMemory(u64),
    /// The module defines more functions than allowed.
    TooManyFunctions(u32),
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(e) => write!(f, "invalid WASM for Arbitrum: {e}"),
            Self::MissingExport(name) => write!(f, "missing or mistyped export `{name}`"),
            Self::StartFunction => write!(f, "start functions are not allowed"),
            Self::BadImport(name) => write!(f, "import `{name}` is not a vm_hooks function"),
            Self::TooMuchMemory(p) => write!(f, "{p} memory pages exceed the limit of {MAX_MEMORY_PAGES}"),
            Self::TooManyFunctions(n) => write!(f, "{n} functions exceed the limit of {MAX_FUNCTIONS}"),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Validates `wasm` as Arbitrum does before activation.
pub fn validate(wasm: &[u8]) -> Result<ModuleInfo, ValidationError> {
    Validator::new_with_features(arbitrum_features()).validate_all(wasm).map_err(|e| ValidationError::Invalid(e.to_string()))?;

    let mut types: Vec<Option<FuncType>> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut info = ModuleInfo { functions: 0, memory_pages: 0, imports: Vec::new() };
    let mut has_memory_export = false;
    let mut entrypoint_index = None;

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| ValidationError::Invalid(e.to_string()))?;
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader.into_iter_err_on_gc_types() {
                    let func = group.map_err(|e| ValidationError::Invalid(e.to_string()))?;
                    types.push(Some(func));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| ValidationError::Invalid(e.to_string()))?;
                    let name = format!("{}::{}", import.module, import.name);
                    match import.ty {
                        TypeRef::Func(ty) if import.module == "vm_hooks" || import.module == "console" => {
                            func_types.push(ty);
                            info.imports.push(name);
                        }
                        _ => return Err(ValidationError::BadImport(name)),
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(|e| ValidationError::Invalid(e.to_string()))?);
                    info.functions += 1;
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|e| ValidationError::Invalid(e.to_string()))?;
                    info.memory_pages = info.memory_pages.max(memory.initial);
                }
            }
            Payload::StartSection { .. } => return Err(ValidationError::StartFunction),
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| ValidationError::Invalid(e.to_string()))?;
                    match (export.name, export.kind) {
                        ("memory", ExternalKind::Memory) => has_memory_export = true,
                        ("user_entrypoint", ExternalKind::Func) => entrypoint_index = Some(export.index),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    if !has_memory_export {
        return Err(ValidationError::MissingExport("memory"));
    }
    let entry_type = entrypoint_index.and_then(|i| func_types.get(i as usize)).and_then(|t| types.get(*t as usize).cloned().flatten());
    match entry_type {
        Some(ty) if ty.params() == [ValType::I32] && ty.results() == [ValType::I32] => {}
        _ => return Err(ValidationError::MissingExport("user_entrypoint")),
    }
    if info.memory_pages > MAX_MEMORY_PAGES {
        return Err(ValidationError::TooMuchMemory(info.memory_pages));
    }
    if info.functions > MAX_FUNCTIONS {
        return Err(ValidationError::TooManyFunctions(info.functions));
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(body: &str) -> Vec<u8> {
        wat::parse_str(format!("(module {body})")).unwrap()
    }

    const OK: &str = r#"
        (import "vm_hooks" "read_args" (func (param i32)))
        (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0)"#;

    #[test]
    fn accepts_a_minimal_program() {
        let info = validate(&module(OK)).unwrap();
        assert_eq!(info.functions, 1);
        assert_eq!(info.memory_pages, 1);
        assert_eq!(info.imports, vec!["vm_hooks::read_args".to_string()]);
    }

    #[test]
    fn refuses_missing_or_mistyped_exports() {
        let no_memory = module(r#"(memory 1) (func (export "user_entrypoint") (param i32) (result i32) i32.const 0)"#);
        assert_eq!(validate(&no_memory), Err(ValidationError::MissingExport("memory")));
        let bad_sig = module(r#"(memory (export "memory") 1) (func (export "user_entrypoint") (result i32) i32.const 0)"#);
        assert_eq!(validate(&bad_sig), Err(ValidationError::MissingExport("user_entrypoint")));
    }

    #[test]
    fn refuses_start_functions_foreign_imports_and_big_memory() {
        let start = module(&format!("{OK} (func $s) (start $s)"));
        assert_eq!(validate(&start), Err(ValidationError::StartFunction));
        let import = module(
            r#"(import "env" "f" (func)) (memory (export "memory") 1) (func (export "user_entrypoint") (param i32) (result i32) i32.const 0)"#,
        );
        assert_eq!(validate(&import), Err(ValidationError::BadImport("env::f".into())));
        let big = module(r#"(memory (export "memory") 129) (func (export "user_entrypoint") (param i32) (result i32) i32.const 0)"#);
        assert_eq!(validate(&big), Err(ValidationError::TooMuchMemory(129)));
    }

    #[test]
    fn refuses_disabled_features() {
        let simd = module(&format!("{OK} (func (result v128) v128.const i64x2 0 0)"));
        assert!(matches!(validate(&simd), Err(ValidationError::Invalid(_))));
        let multi_value = module(&format!("{OK} (func (result i32 i32) i32.const 0 i32.const 1)"));
        assert!(matches!(validate(&multi_value), Err(ValidationError::Invalid(_))));
    }

    #[test]
    fn normalize_keeps_a_module_valid() {
        let normalized = crate::normalize(&module(OK)).unwrap();
        assert_eq!(validate(&normalized).unwrap().functions, 1);
    }
}
