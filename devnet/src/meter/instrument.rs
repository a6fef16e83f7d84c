//! Rewriting a program at activation the way nitro's prover middlewares do
//! (prover/src/binary.rs `instrument`, applied in nitro's order): the ink
//! meter (programs/meter.rs), the per-byte bulk-memory meter
//! (programs/dynamic.rs) and the stack-depth checker (programs/depth.rs).
//! The rewritten module exports the globals the host reads and writes.

use super::costs::ModuleShape;
use super::operators::{is_binary, is_unary};
use super::pricing::{
    ends_basic_block, operator_ink, BLOCK_HEADER_INK, MAX_FRAME_CONTENTION, MAX_FRAME_SIZE, MEMORY_COPY_BYTE_INK, MEMORY_FILL_BYTE_INK,
};
use super::probes::Probes;
use wasm_encoder::reencode::{utils, Error as ReencodeError, Reencode};
use wasm_encoder::{ConstExpr, ExportKind, ExportSection, GlobalSection, GlobalType, ImportSection, SectionId, TypeSection, ValType};
use wasmparser::{BlockType, Operator, Parser, Payload, TypeRef};

/// Ink left in the frame (nitro's `STYLUS_INK_LEFT`, an i64 global).
pub const INK_LEFT: &str = "stylus_ink_left";
/// Non-zero once the frame ran out of ink (nitro's `STYLUS_INK_STATUS`).
pub const INK_STATUS: &str = "stylus_ink_status";
/// Scratch space of the bulk-memory meter (nitro's `SCRATCH_GLOBAL`).
const SCRATCH: &str = "stylus_scratch_global";
/// Stack space left, in words (nitro's `STYLUS_STACK_LEFT`).
pub const STACK_LEFT: &str = "stylus_stack_left";
/// Prefix of the exports (followed by the global's index) through which the
/// host resets the program's own mutable globals before reusing an instance
/// (`host::pool`). Only the host sees exports; the program cannot tell.
pub const PROGRAM_GLOBAL_PREFIX: &str = "keel_devnet_global_";

/// Why a module could not be instrumented (nitro refuses the activation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstrumentError(pub String);

impl std::fmt::Display for InstrumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot instrument WASM: {}", self.0)
    }
}

impl std::error::Error for InstrumentError {}

/// An instrumented module and the shape of the original one.
pub struct Instrumented {
    /// The rewritten module, for wasmi.
    pub wasm: Vec<u8>,
    /// What the entry costs are computed from.
    pub shape: ModuleShape,
}

/// Instruments `wasm` (already validated against Arbitrum's rules).
pub fn instrument(wasm: &[u8]) -> Result<Instrumented, InstrumentError> {
    instrument_with(wasm, false)
}

/// The profiling build of `wasm`: instrumented as [`instrument`] does, same
/// ink, plus the function probes of [`super::probes`]; without custom sections.
pub fn instrument_for_profiling(wasm: &[u8]) -> Result<Instrumented, InstrumentError> {
    instrument_with(wasm, true)
}

fn instrument_with(wasm: &[u8], probes: bool) -> Result<Instrumented, InstrumentError> {
    let scan = Scan::of(wasm).map_err(|e| InstrumentError(e.to_string()))?;
    let probes = probes.then(|| Probes::new(scan.imported_funcs as u32, scan.types.len() as u32));
    let mut rewriter = Rewriter {
        globals_added: false,
        global_section_done: false,
        imports_added: false,
        first_global: scan.globals,
        code_ops: 0,
        bodies: 0,
        probes,
        scan,
    };
    let mut module = wasm_encoder::Module::new();
    rewriter.parse_core_module(&mut module, Parser::new(0), wasm).map_err(|e| match e {
        ReencodeError::UserError(message) => InstrumentError(message),
        other => InstrumentError(other.to_string()),
    })?;
    let scan = &rewriter.scan;
    let local_funcs = &scan.funcs[scan.imported_funcs..];
    let type_len = local_funcs.iter().map(|ty| scan.types[*ty as usize].0 + scan.types[*ty as usize].1).sum::<usize>();
    let shape = ModuleShape {
        funcs: local_funcs.len() as u64,
        type_len: type_len as u64,
        wasm_len: wasm.len() as u64,
        globals: scan.defined_globals + ADDED_GLOBALS,
        data_len: scan.data_len,
        footprint: scan.footprint,
        data_bytes: scan.data_bytes,
        elem_len: scan.elem_len,
        code_ops: rewriter.code_ops,
    };
    Ok(Instrumented { wasm: module.finish(), shape })
}

/// Globals the instrumentation adds: ink, status, scratch, stack.
const ADDED_GLOBALS: u64 = 4;

/// What the rewrite needs to know of the module before rewriting it.
#[derive(Default)]
struct Scan {
    /// (params, results) of each type.
    types: Vec<(usize, usize)>,
    /// The result type of each type (at most one: no multi-value).
    type_results: Vec<Option<wasmparser::ValType>>,
    /// Type index of every function, imported first.
    funcs: Vec<u32>,
    imported_funcs: usize,
    /// Globals, imported and defined.
    globals: u32,
    defined_globals: u64,
    /// Indices of the defined globals the program can change.
    mutable_globals: Vec<u32>,
    /// Bytes of data and element segments (their encodings).
    data_len: u64,
    /// Bytes of the data segments' contents.
    data_bytes: u64,
    /// Bytes of the element segments' encodings.
    elem_len: u64,
    /// Initial pages of the memory.
    footprint: u16,
    has_exports: bool,
    has_imports: bool,
}

impl Scan {
    fn of(wasm: &[u8]) -> wasmparser::Result<Self> {
        let mut scan = Self::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        for ty in group?.into_types() {
                            let func = ty.unwrap_func();
                            scan.types.push((func.params().len(), func.results().len()));
                            scan.type_results.push(func.results().first().copied());
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    scan.has_imports = true;
                    for import in reader.into_imports() {
                        match import?.ty {
                            TypeRef::Func(ty) => scan.funcs.push(ty),
                            TypeRef::Global(_) => scan.globals += 1,
                            _ => {}
                        }
                    }
                    scan.imported_funcs = scan.funcs.len();
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        scan.funcs.push(ty?);
                    }
                }
                Payload::GlobalSection(reader) => {
                    scan.defined_globals = u64::from(reader.count());
                    for global in reader {
                        if global?.ty.mutable {
                            scan.mutable_globals.push(scan.globals);
                        }
                        scan.globals += 1;
                    }
                }
                Payload::ExportSection(_) => scan.has_exports = true,
                Payload::MemorySection(reader) => {
                    if let Some(memory) = reader.into_iter().next() {
                        scan.footprint = u16::try_from(memory?.initial).unwrap_or(u16::MAX);
                    }
                }
                Payload::DataSection(reader) => {
                    for data in reader {
                        let data = data?;
                        scan.data_len += data.range.end - data.range.start;
                        scan.data_bytes += data.data.len() as u64;
                    }
                }
                Payload::ElementSection(reader) => {
                    for element in reader {
                        let range = element?.range;
                        scan.data_len += range.end - range.start;
                        scan.elem_len += range.end - range.start;
                    }
                }
                _ => {}
            }
        }
        Ok(scan)
    }
}

/// The re-encoder that adds the globals and instruments each function body.
struct Rewriter {
    scan: Scan,
    /// Index of the first added global (ink left; then status, scratch, stack).
    first_global: u32,
    /// The added globals are in the global section.
    global_section_done: bool,
    /// The added globals are exported.
    globals_added: bool,
    /// Operators written so far, instrumentation included (probes excluded).
    code_ops: u64,
    /// Function bodies rewritten so far.
    bodies: usize,
    /// The function probes, for a profiling build.
    probes: Option<Probes>,
    /// The probes are in the import section.
    imports_added: bool,
}

impl Rewriter {
    fn ink(&self) -> u32 {
        self.first_global
    }
    fn status(&self) -> u32 {
        self.first_global + 1
    }
    fn scratch(&self) -> u32 {
        self.first_global + 2
    }
    fn stack(&self) -> u32 {
        self.first_global + 3
    }

    fn add_globals(&mut self, globals: &mut GlobalSection) {
        self.global_section_done = true;
        let global = |val_type| GlobalType { val_type, mutable: true, shared: false };
        globals.global(global(ValType::I64), &ConstExpr::i64_const(0));
        globals.global(global(ValType::I32), &ConstExpr::i32_const(0));
        globals.global(global(ValType::I32), &ConstExpr::i32_const(0));
        globals.global(global(ValType::I32), &ConstExpr::i32_const(0));
    }

    fn add_exports(&mut self, exports: &mut ExportSection) {
        for (name, index) in [(INK_LEFT, self.ink()), (INK_STATUS, self.status()), (SCRATCH, self.scratch()), (STACK_LEFT, self.stack())] {
            exports.export(name, ExportKind::Global, index);
        }
        for index in &self.scan.mutable_globals {
            exports.export(&format!("{PROGRAM_GLOBAL_PREFIX}{index}"), ExportKind::Global, *index);
        }
        self.globals_added = true;
    }

    /// nitro's `FuncMeter`: before each basic block (ops up to and including
    /// one that ends it), trap if the ink left is below the block's cost plus
    /// the header cost, else subtract it.
    fn meter<'a>(&self, ops: Vec<Operator<'a>>) -> Vec<Operator<'a>> {
        let (ink, status) = (self.ink(), self.status());
        let mut out = Vec::with_capacity(ops.len() * 2);
        let mut block = Vec::new();
        let mut cost: u64 = 0;
        for op in ops {
            let end = ends_basic_block(&op);
            cost = cost.saturating_add(operator_ink(&op, |ty| self.scan.types.get(ty as usize).map_or(0, |t| t.0)));
            block.push(op);
            if end {
                let block_ink = std::mem::take(&mut cost).saturating_add(BLOCK_HEADER_INK) as i64;
                out.extend([
                    Operator::GlobalGet { global_index: ink },
                    Operator::I64Const { value: block_ink },
                    Operator::I64LtU,
                    Operator::If { blockty: BlockType::Empty },
                    Operator::I32Const { value: 1 },
                    Operator::GlobalSet { global_index: status },
                    Operator::Unreachable,
                    Operator::End,
                    Operator::GlobalGet { global_index: ink },
                    Operator::I64Const { value: block_ink },
                    Operator::I64Sub,
                    Operator::GlobalSet { global_index: ink },
                ]);
                out.append(&mut block);
            }
        }
        // A body ends with `end`, which ends a block: nothing is left over.
        out.append(&mut block);
        out
    }

    /// nitro's `FuncDynamicMeter`: `memory.fill` and `memory.copy` first pay
    /// a per-byte price on their size operand.
    fn bulk_memory<'a>(&self, ops: Vec<Operator<'a>>) -> Result<Vec<Operator<'a>>, String> {
        let (ink, status, scratch) = (self.ink(), self.status(), self.scratch());
        let linear = |per_byte: u64| {
            [
                Operator::GlobalSet { global_index: scratch },
                Operator::GlobalGet { global_index: ink },
                Operator::GlobalGet { global_index: ink },
                Operator::GlobalGet { global_index: scratch },
                Operator::I64ExtendI32U,
                Operator::I64Const { value: per_byte as i64 },
                Operator::I64Mul,
                Operator::I64Sub,
                Operator::GlobalSet { global_index: ink },
                Operator::GlobalGet { global_index: ink },
                Operator::I64LtU,
                Operator::If { blockty: BlockType::Empty },
                Operator::I32Const { value: 1 },
                Operator::GlobalSet { global_index: status },
                Operator::Unreachable,
                Operator::End,
                Operator::GlobalGet { global_index: scratch },
            ]
        };
        let mut out = Vec::with_capacity(ops.len());
        for op in ops {
            match op {
                Operator::MemoryFill { .. } => out.extend(linear(MEMORY_FILL_BYTE_INK)),
                Operator::MemoryCopy { .. } => out.extend(linear(MEMORY_COPY_BYTE_INK)),
                Operator::MemoryInit { .. }
                | Operator::DataDrop { .. }
                | Operator::ElemDrop { .. }
                | Operator::TableInit { .. }
                | Operator::TableCopy { .. }
                | Operator::TableFill { .. }
                | Operator::TableGet { .. }
                | Operator::TableSet { .. }
                | Operator::TableGrow { .. }
                | Operator::TableSize { .. } => return Err(format!("opcode not supported: {op:?}")),
                _ => {}
            }
            out.push(op);
        }
        Ok(out)
    }

    /// nitro's `FuncDepthChecker`: on entry, trap unless more stack space is
    /// left than the function's worst-case frame, and take it; give it back
    /// before every return (one `return` is added before the final `end`).
    fn depth<'a>(&self, mut ops: Vec<Operator<'a>>, locals: u32) -> Result<Vec<Operator<'a>>, String> {
        let size = self.worst_case_depth(&ops)? + locals + 4;
        if size > MAX_FRAME_SIZE {
            return Err(format!("frame too large: {size} > {MAX_FRAME_SIZE}-word limit"));
        }
        let (stack, size) = (self.stack(), size as i32);
        let mut out = vec![
            Operator::GlobalGet { global_index: stack },
            Operator::I32Const { value: size },
            Operator::I32LeU,
            Operator::If { blockty: BlockType::Empty },
            Operator::I32Const { value: 0 },
            Operator::GlobalSet { global_index: stack },
            Operator::Unreachable,
            Operator::End,
            Operator::GlobalGet { global_index: stack },
            Operator::I32Const { value: size },
            Operator::I32Sub,
            Operator::GlobalSet { global_index: stack },
        ];
        let last = ops.pop().ok_or("empty function body")?;
        ops.extend([Operator::Return, last]);
        for op in ops {
            if matches!(op, Operator::Return) {
                out.extend([
                    Operator::GlobalGet { global_index: stack },
                    Operator::I32Const { value: size },
                    Operator::I32Add,
                    Operator::GlobalSet { global_index: stack },
                ]);
            }
            out.push(op);
        }
        Ok(out)
    }

    /// The meter's and the depth checker's checks as the devnet runs them:
    /// each reads its global (ink, stack left) twice, once to compare and
    /// once to subtract; here the first read is kept in a local of the
    /// function (`ink_local`, `stack_local`, added after its own) and the
    /// second reads that. Same values, same traps, same stack depth (a
    /// `local.tee` takes nothing from the stack), one global read fewer
    /// per basic block and per call: global reads are wasmi's slowest
    /// instruction on this path.
    fn read_counters_once<'a>(&self, ops: Vec<Operator<'a>>, ink_local: u32, stack_local: u32) -> Vec<Operator<'a>> {
        let (ink, stack) = (self.ink(), self.stack());
        let mut out = Vec::with_capacity(ops.len() + ops.len() / 8);
        for (i, op) in ops.iter().enumerate() {
            let next = |k: usize| ops.get(i + k);
            match op {
                Operator::GlobalGet { global_index } if *global_index == ink || *global_index == stack => {
                    let local = if *global_index == ink { ink_local } else { stack_local };
                    let constant = matches!(next(1), Some(Operator::I64Const { .. } | Operator::I32Const { .. }));
                    match next(2) {
                        Some(Operator::I64LtU | Operator::I32LeU) if constant => {
                            out.extend([op.clone(), Operator::LocalTee { local_index: local }]);
                        }
                        Some(Operator::I64Sub | Operator::I32Sub) if constant => out.push(Operator::LocalGet { local_index: local }),
                        _ => out.push(op.clone()),
                    }
                }
                _ => out.push(op.clone()),
            }
        }
        out
    }

    /// The most values alive at once in a function (`worst_case_depth`, depth.rs).
    fn worst_case_depth(&self, ops: &[Operator]) -> Result<u32, String> {
        use Operator::*;
        let (mut worst, mut stack) = (0u32, 0u32);
        let mut scopes = vec![0u32];
        let types = &self.scan.types;
        let signature = |ty: u32| types.get(ty as usize).copied().ok_or(format!("missing type {ty}"));
        for op in ops {
            let (push, pop): (usize, usize) = match op {
                Block { blockty } | Loop { blockty } | If { blockty } => {
                    if matches!(op, If { .. }) {
                        stack = stack.saturating_sub(1);
                    }
                    let (ins, outs) = match blockty {
                        BlockType::Empty => (0, 0),
                        BlockType::Type(_) => (0, 1),
                        BlockType::FuncType(ty) => signature(*ty)?,
                    };
                    stack += outs as u32;
                    worst = worst.max(stack);
                    stack = stack.saturating_sub(ins as u32);
                    scopes.push(stack);
                    continue;
                }
                Else => {
                    stack = *scopes.last().ok_or("malformed if-else scope")?;
                    continue;
                }
                End => {
                    stack = scopes.pop().ok_or("malformed scoping")?;
                    continue;
                }
                Call { function_index } => {
                    let ty = self.scan.funcs.get(*function_index as usize).ok_or("missing function")?;
                    let (ins, outs) = signature(*ty)?;
                    (outs, ins)
                }
                CallIndirect { type_index, .. } => {
                    let (ins, outs) = signature(*type_index)?;
                    stack += outs as u32;
                    worst = worst.max(stack);
                    stack = stack.saturating_sub(ins as u32 + 1);
                    continue;
                }
                MemoryFill { .. } | MemoryCopy { .. } => (0, 3),
                LocalGet { .. }
                | GlobalGet { .. }
                | MemorySize { .. }
                | I32Const { .. }
                | I64Const { .. }
                | F32Const { .. }
                | F64Const { .. } => (1, 0),
                Select
                | I32Store { .. }
                | I64Store { .. }
                | F32Store { .. }
                | F64Store { .. }
                | I32Store8 { .. }
                | I32Store16 { .. }
                | I64Store8 { .. }
                | I64Store16 { .. }
                | I64Store32 { .. } => (0, 2),
                BrIf { .. } | BrTable { .. } | LocalSet { .. } | GlobalSet { .. } | Drop => (0, 1),
                _ if is_binary(op) => (0, 1),
                _ if is_unary(op) => (0, 0),
                _ => return Err(format!("operator not supported: {op:?}")),
            };
            stack += push as u32;
            worst = worst.max(stack);
            stack = stack.saturating_sub(pop as u32);
        }
        if worst > MAX_FRAME_CONTENTION {
            return Err(format!("too many values on the stack at once: {worst} > {MAX_FRAME_CONTENTION}"));
        }
        Ok(worst)
    }
}

impl Reencode for Rewriter {
    type Error = String;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<String>> {
        Ok(self.probes.as_ref().map_or(func, |probes| probes.function_index(func)))
    }

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), ReencodeError<String>> {
        utils::parse_type_section(self, types, section)?;
        if let Some(probes) = &self.probes {
            probes.add_types(types);
        }
        Ok(())
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), ReencodeError<String>> {
        utils::parse_import_section(self, imports, section)?;
        if let Some(probes) = &self.probes {
            probes.add_imports(imports);
            self.imports_added = true;
        }
        Ok(())
    }

    fn parse_custom_section(
        &mut self,
        module: &mut wasm_encoder::Module,
        section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), ReencodeError<String>> {
        // The profiling build keeps no names: indices moved, and names come from the original.
        if self.probes.is_some() {
            return Ok(());
        }
        utils::parse_custom_section(self, module, section)
    }

    fn parse_global_section(
        &mut self,
        globals: &mut GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), ReencodeError<String>> {
        utils::parse_global_section(self, globals, section)?;
        self.add_globals(globals);
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), ReencodeError<String>> {
        // A module without a global or export section gets one, in its place.
        let fits =
            |section: SectionId| after.is_none_or(|id| (id as u8) < section as u8) && before.is_none_or(|id| (id as u8) > section as u8);
        if let Some(probes) = self.probes.as_ref().filter(|_| !self.scan.has_imports && !self.imports_added) {
            if fits(SectionId::Import) {
                let mut imports = ImportSection::new();
                probes.add_imports(&mut imports);
                module.section(&imports);
                self.imports_added = true;
            }
        }
        if self.scan.defined_globals == 0 && !self.global_section_done && fits(SectionId::Global) {
            let mut globals = GlobalSection::new();
            self.add_globals(&mut globals);
            module.section(&globals);
        }
        if !self.scan.has_exports && !self.globals_added && fits(SectionId::Export) {
            let mut exports = ExportSection::new();
            self.add_exports(&mut exports);
            module.section(&exports);
        }
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), ReencodeError<String>> {
        utils::parse_export_section(self, exports, section)?;
        self.add_exports(exports);
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), ReencodeError<String>> {
        let mut locals = Vec::new();
        let mut declared: u32 = 0;
        for pair in func.get_locals_reader()? {
            let (count, ty) = pair?;
            declared = declared.saturating_add(count);
            locals.push((count, self.val_type(ty)?));
        }
        let index = self.scan.imported_funcs + self.bodies;
        self.bodies += 1;
        let params = self.scan.funcs.get(index).and_then(|ty| self.scan.types.get(*ty as usize)).map_or(0, |ty| ty.0 as u32);
        let mut reader = func.get_operators_reader()?;
        let mut ops = Vec::new();
        while !reader.eof() {
            ops.push(reader.read()?);
        }
        let ops = self.meter(ops);
        let ops = self.bulk_memory(ops).map_err(ReencodeError::UserError)?;
        let ops = self.depth(ops, declared).map_err(ReencodeError::UserError)?;
        // nitro's operators are counted (activation gas) and the stack
        // depth computed before the checks are made to read their globals once.
        self.code_ops += ops.len() as u64;
        let first_added = params.saturating_add(declared);
        locals.extend([(1, ValType::I64), (1, ValType::I32)]);
        let mut ops = self.read_counters_once(ops, first_added, first_added + 1);
        if let Some(probes) = self.probes.as_mut() {
            let func = self.scan.imported_funcs + probes.bodies() as usize;
            let result = self.scan.funcs.get(func).and_then(|ty| self.scan.type_results.get(*ty as usize)).copied().flatten();
            ops = probes.wrap(ops, result);
        }
        let mut function = wasm_encoder::Function::new(locals);
        for op in ops {
            function.instruction(&self.instruction(op)?);
        }
        code.function(&function);
        Ok(())
    }
}
