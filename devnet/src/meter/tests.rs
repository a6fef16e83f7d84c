//! Hand-computed ink of small instrumented modules, run in wasmi.
//! Every basic block pays its operators (pricing.rs) plus 2,450 header ink.

use super::instrument::{instrument, INK_LEFT, INK_STATUS, STACK_LEFT};
use super::pricing::MAX_STACK_DEPTH;
use wasmi::{Engine, Instance, Linker, Module, Store, Val};

const START_INK: u64 = 10_000_000;

struct Run {
    store: Store<()>,
    instance: Instance,
}

impl Run {
    fn new(wat: &str) -> Self {
        let wasm = instrument(&wat::parse_str(wat).unwrap()).unwrap().wasm;
        let engine = Engine::default();
        let module = Module::new(&engine, &wasm).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine).instantiate_and_start(&mut store, &module).unwrap();
        let mut run = Self { store, instance };
        run.set(INK_LEFT, Val::I64(START_INK as i64));
        run.set(STACK_LEFT, Val::I32(MAX_STACK_DEPTH as i32));
        run
    }

    fn set(&mut self, name: &str, value: Val) {
        self.instance.get_global(&self.store, name).unwrap().set(&mut self.store, value).unwrap();
    }

    fn get(&self, name: &str) -> Val {
        self.instance.get_global(&self.store, name).unwrap().get(&self.store)
    }

    /// Calls export `f` with `args`; the ink it used, or `Err` if it trapped.
    fn ink_of(&mut self, args: &[Val]) -> Result<u64, wasmi::Error> {
        let before = self.get(INK_LEFT).i64().unwrap() as u64;
        let func = self.instance.get_func(&self.store, "f").unwrap();
        let mut results = vec![Val::I32(0); func.ty(&self.store).results().len()];
        func.call(&mut self.store, args, &mut results)?;
        Ok(before - self.get(INK_LEFT).i64().unwrap() as u64)
    }
}

#[test]
fn straight_line_code_is_one_block() {
    let mut run = Run::new(r#"(module (func (export "f") (result i32) i32.const 1 i32.const 2 i32.add))"#);
    // i32.const 1 + i32.const 1 + i32.add 70 + end 1, + header 2,450.
    assert_eq!(run.ink_of(&[]).unwrap(), 73 + 2_450);
}

#[test]
fn a_loop_pays_its_body_every_iteration() {
    let mut run = Run::new(
        r#"(module (func (export "f") (param i32)
            (loop $again
                local.get 0 i32.const 1 i32.sub local.tee 0 br_if $again)))"#,
    );
    // Blocks: [loop] 1, [local.get 75, i32.const 1, i32.sub 70, local.tee 75,
    // br_if 765] = 986 per iteration, [end of loop] 1, [end of function] 1.
    let fixed = 3 * (1 + 2_450);
    let per_iteration = 986 + 2_450;
    assert_eq!(run.ink_of(&[Val::I32(1)]).unwrap(), fixed + per_iteration);
    assert_eq!(run.ink_of(&[Val::I32(10)]).unwrap(), fixed + 10 * per_iteration);
}

#[test]
fn a_call_ends_a_block_and_the_callee_pays_its_own() {
    let mut run = Run::new(
        r#"(module
            (func $seven (result i32) i32.const 7)
            (func (export "f") (result i32) call $seven))"#,
    );
    // Caller: [call 3,800] and [end 1]; callee: [i32.const 1, end 1].
    assert_eq!(run.ink_of(&[]).unwrap(), (3_800 + 2_450) + (1 + 2_450) + (2 + 2_450));
}

#[test]
fn call_indirect_pays_per_parameter_and_br_table_per_target() {
    let mut run = Run::new(
        r#"(module
            (type $two (func (param i32 i32)))
            (table 1 funcref)
            (elem (i32.const 0) $sink)
            (func $sink (param i32 i32))
            (func (export "f")
                i32.const 1 i32.const 2 i32.const 0 call_indirect (type $two)
                (block (block (i32.const 1) (br_table 0 1 1)))))"#,
    );
    // [3 consts 3, call_indirect 13,610 + 2 * 650]; callee [end 1];
    // [block 1, block 1, i32.const 1, br_table 2,400 + 325 * 2]; [end 1] [end 1] [end 1].
    let call = 3 + 13_610 + 2 * 650 + 2_450;
    let callee = 1 + 2_450;
    let table = 3 + 2_400 + 2 * 325 + 2_450;
    // br_table 1 jumps past the outer block's end: only the function's end runs.
    assert_eq!(run.ink_of(&[]).unwrap(), call + callee + table + (1 + 2_450));
}

#[test]
fn bulk_copy_and_fill_pay_100_ink_per_byte() {
    let mut run = Run::new(
        r#"(module (memory 1)
            (func (export "f") (param i32)
                i32.const 0 i32.const 100 local.get 0 memory.copy))"#,
    );
    // [i32.const 1, i32.const 1, local.get 75, memory.copy 950, end 1] + header.
    let block = 1028 + 2_450;
    assert_eq!(run.ink_of(&[Val::I32(0)]).unwrap(), block);
    assert_eq!(run.ink_of(&[Val::I32(100)]).unwrap(), block + 100 * 100);
    let mut fill = Run::new(
        r#"(module (memory 1)
            (func (export "f") (param i32) i32.const 0 i32.const 0 local.get 0 memory.fill))"#,
    );
    assert_eq!(fill.ink_of(&[Val::I32(64)]).unwrap(), block + 64 * 100);
}

#[test]
fn running_out_of_ink_traps_and_sets_the_status() {
    let mut run = Run::new(r#"(module (func (export "f") (result i32) i32.const 1 i32.const 2 i32.add))"#);
    run.set(INK_LEFT, Val::I64(73 + 2_450 - 1));
    assert!(run.ink_of(&[]).is_err());
    assert_eq!(run.get(INK_STATUS).i32(), Some(1));
    run.set(INK_LEFT, Val::I64(73 + 2_450));
    run.set(INK_STATUS, Val::I32(0));
    assert_eq!(run.ink_of(&[]).unwrap(), 73 + 2_450, "exactly enough ink runs");
}

#[test]
fn a_bulk_copy_beyond_the_ink_left_traps() {
    let mut run = Run::new(r#"(module (memory 1) (func (export "f") (param i32) i32.const 0 i32.const 0 local.get 0 memory.copy))"#);
    run.set(INK_LEFT, Val::I64(3_478 + 99 * 100));
    assert!(run.ink_of(&[Val::I32(100)]).is_err());
    assert_eq!(run.get(INK_STATUS).i32(), Some(1));
}

#[test]
fn the_depth_checker_reserves_each_frame_and_gives_it_back() {
    // Worst case 2 values (the meter's own ink check), 2 locals, plus 4: 8 words.
    let wat = r#"(module (func (export "f") (local i32 i32) i32.const 1 drop))"#;
    let mut run = Run::new(wat);
    run.set(STACK_LEFT, Val::I32(9));
    run.ink_of(&[]).unwrap();
    assert_eq!(run.get(STACK_LEFT).i32(), Some(9), "the frame is given back on return");
    run.set(STACK_LEFT, Val::I32(8));
    assert!(run.ink_of(&[]).is_err(), "no more than the frame left: trap");
    assert_eq!(run.get(STACK_LEFT).i32(), Some(0));
}

#[test]
fn unbounded_recursion_traps_on_the_depth_limit() {
    let mut run = Run::new(r#"(module (func $f (export "f") call $f))"#);
    run.set(STACK_LEFT, Val::I32(60));
    assert!(run.ink_of(&[]).is_err());
    assert_eq!(run.get(STACK_LEFT).i32(), Some(0));
    // Each frame is 2 + 4 = 6 words: 9 entered (60 - 54 = 6 left) before the trap.
    assert_eq!(run.get(INK_STATUS).i32(), Some(0), "not an out-of-ink trap");
}

#[test]
fn oversized_frames_and_unsupported_operators_are_refused() {
    let too_many_locals = r#"(module (func (local i64 i64) (local i32) (local i32)) (func (local i32)))"#;
    assert!(instrument(&wat::parse_str(too_many_locals).unwrap()).is_ok());
    let huge = format!("(module (func (local {})))", "i32 ".repeat(10 * 1024));
    assert!(instrument(&wat::parse_str(huge).unwrap()).is_err(), "frame over 10 Ki words");
    let table = r#"(module (table 1 funcref) (func (result i32) table.size 0))"#;
    assert!(instrument(&wat::parse_str(table).unwrap()).is_err());
}

#[test]
fn module_shape_counts_what_nitro_counts() {
    let wat = r#"(module
        (import "vm_hooks" "read_args" (func (param i32)))
        (memory 3)
        (global (mut i32) (i32.const 0))
        (data (i32.const 0) "abcdefgh")
        (func (param i32 i32) (result i32) i32.const 0)
        (func))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let shape = instrument(&wasm).unwrap().shape;
    assert_eq!(shape.funcs, 2, "imports are not counted");
    assert_eq!(shape.type_len, 3);
    assert_eq!(shape.globals, 1 + 4, "nitro counts its four added globals");
    assert_eq!(shape.footprint, 3);
    assert_eq!(shape.wasm_len, wasm.len() as u64);
    assert!(shape.data_len >= 8, "the segment's bytes and its header");
}
