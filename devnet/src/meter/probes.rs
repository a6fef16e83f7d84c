//! The profiling build of a program: the same instrumented module (the
//! same ink, block for block) plus a call to an imported probe on entry to
//! every function and on every way out of it, so that a profiler can
//! attribute the ink spent to functions. The probes are added after the
//! meter and the depth checker ran, so they are neither metered nor
//! counted on the stack; only traced executions run this build.

use wasm_encoder::{EntityType, ImportSection, TypeSection, ValType};
use wasmparser::{BlockType, Operator};

/// Module of the probe imports.
pub const MODULE: &str = "keel_profile";
/// `enter(function_index: i32)`: a function starts.
pub const ENTER: &str = "enter";
/// `exit()`: the innermost function returns.
pub const EXIT: &str = "exit";

/// Stand-in function indices of the probes in rewritten bodies; the
/// re-encoder maps them to the probes' import indices.
const ENTER_MARK: u32 = u32::MAX;
const EXIT_MARK: u32 = u32::MAX - 1;

/// What adding the probes needs to know of the module.
pub(super) struct Probes {
    /// Functions the module imports (the probes are imported after them).
    imported_funcs: u32,
    /// Index of the first added type (the enter probe's; the exit probe's next).
    first_type: u32,
    /// Bodies rewritten so far.
    bodies: u32,
}

impl Probes {
    /// Probes for a module with `imported_funcs` imported functions and `types` types.
    pub fn new(imported_funcs: u32, types: u32) -> Self {
        Self { imported_funcs, first_type: types, bodies: 0 }
    }

    /// A function's index in the profiling build: defined functions move up
    /// by the two probes imported before them.
    pub fn function_index(&self, func: u32) -> u32 {
        match func {
            ENTER_MARK => self.imported_funcs,
            EXIT_MARK => self.imported_funcs + 1,
            defined if defined >= self.imported_funcs => defined + 2,
            imported => imported,
        }
    }

    /// Bodies rewritten so far (the next body is defined function number this).
    pub fn bodies(&self) -> u32 {
        self.bodies
    }

    /// Appends the probes' types (existing type indices are unchanged).
    pub fn add_types(&self, types: &mut TypeSection) {
        types.ty().function([ValType::I32], []);
        types.ty().function([], []);
    }

    /// Appends the probes' imports after the module's own.
    pub fn add_imports(&self, imports: &mut ImportSection) {
        imports.import(MODULE, ENTER, EntityType::Function(self.first_type));
        imports.import(MODULE, EXIT, EntityType::Function(self.first_type + 1));
    }

    /// Wraps the next body (instrumented, ending with `end`): `enter(index)`
    /// first, `exit()` before every `return`, and the body in a block whose
    /// end (reached by falling through or by a branch to the function's
    /// label) calls `exit()` too. `result` is the function's result type.
    pub fn wrap<'a>(&mut self, mut ops: Vec<Operator<'a>>, result: Option<wasmparser::ValType>) -> Vec<Operator<'a>> {
        let index = self.imported_funcs + self.bodies;
        self.bodies += 1;
        let last = ops.pop();
        let blockty = result.map_or(BlockType::Empty, BlockType::Type);
        let mut out = Vec::with_capacity(ops.len() + 8);
        out.extend([
            Operator::I32Const { value: index as i32 },
            Operator::Call { function_index: ENTER_MARK },
            Operator::Block { blockty },
        ]);
        for op in ops {
            if matches!(op, Operator::Return) {
                out.push(Operator::Call { function_index: EXIT_MARK });
            }
            out.push(op);
        }
        out.extend([Operator::End, Operator::Call { function_index: EXIT_MARK }]);
        out.extend(last);
        out
    }
}
