//! A program's instance is reused by the next frame of that program on the
//! same thread (`host::pool`): every frame must still start as a fresh
//! instance would, with the data segments in memory, the globals at their
//! initial values and the memory at its initial size.

mod common;

use alloy_primitives::{Address, U256};
use common::{install_wat, OWNER};
use keel_devnet::{spawn_with_execution_stack, Chain, Tx};

/// Returns three words: a mutable global and a data-segment byte, each
/// incremented by the frame, and `memory.size`; a first calldata byte of 1
/// grows the memory by a page first, 2 also traps after the writes.
const STATEFUL: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1)
    (global $counter (mut i32) (i32.const 40))
    (data (i32.const 512) "\07")
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $op i32)
        (call $read_args (i32.const 0))
        (local.set $op (i32.load8_u (i32.const 0)))
        (if (i32.ge_u (local.get $op) (i32.const 1)) (then (drop (memory.grow (i32.const 1)))))
        (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
        (i32.store8 (i32.const 512) (i32.add (i32.load8_u (i32.const 512)) (i32.const 1)))
        (if (i32.eq (local.get $op) (i32.const 2)) (then unreachable))
        (i32.store8 (i32.const 95) (global.get $counter))
        (i32.store8 (i32.const 127) (i32.load8_u (i32.const 512)))
        (i32.store8 (i32.const 159) (memory.size))
        (call $write_result (i32.const 64) (i32.const 96))
        (i32.const 0)))"#;

/// The three words a call of [`STATEFUL`] returns, or `None` if it failed.
fn call(chain: &mut Chain, program: Address, op: u8) -> Option<[u64; 3]> {
    let receipt = chain.call(Tx::call(OWNER, program, vec![op]).with_gas(1_000_000)).unwrap();
    receipt.status.then(|| {
        let word = |i: usize| U256::from_be_slice(&receipt.output[32 * i..32 * (i + 1)]).to::<u64>();
        [word(0), word(1), word(2)]
    })
}

#[test]
fn every_frame_starts_as_a_fresh_instance_would() {
    let outcomes = spawn_with_execution_stack("reuse", || {
        let mut chain = Chain::new(common::CHAIN_ID);
        chain.set_balance(OWNER, common::ether(1_000));
        let program = install_wat(&mut chain, STATEFUL);
        // 0: reused afterwards; 2: a trap after changing memory and the
        // global; 1: a grown memory (that instance is dropped).
        [0, 0, 2, 0, 1, 0, 1, 1, 0].map(|op| call(&mut chain, program, op))
    })
    .unwrap()
    .join()
    .unwrap();
    let fresh = Some([41, 8, 1]);
    let grown = Some([41, 8, 2]);
    assert_eq!(outcomes, [fresh, fresh, None, fresh, grown, fresh, grown, grown, fresh]);
}
