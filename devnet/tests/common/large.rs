//! Programs above 24 KiB compressed, for the fragment tests and
//! `examples/large_program.rs` (cargo-stylus's fragmented deployment).

/// `len` incompressible bytes (a xorshift stream): brotli cannot shrink them,
/// so a module carrying them is about `len` bytes compressed.
pub fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A program whose data segment holds `data` at offset 0; it returns the
/// segment's last 32 bytes, so a call proves the whole module arrived.
pub fn data_program_wat(data: &[u8]) -> String {
    assert!(data.len() >= 32 && data.len() <= 65_536 - 32);
    let escaped: String = data.iter().map(|b| format!("\\{b:02x}")).collect();
    format!(
        r#"(module
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1 1)
    (data (i32.const 0) "{escaped}")
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $write_result (i32.const {}) (i32.const 32))
        (i32.const 0)))"#,
        data.len() - 32
    )
}
