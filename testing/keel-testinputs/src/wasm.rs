//! Incompressible bytes and programs above Stylus's 24 KiB compressed limit.

/// `len` incompressible bytes (a xorshift stream, fixed seed): brotli cannot
/// shrink them, so a module carrying them is about `len` bytes compressed.
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

/// `wasm` with a custom section named `padding` holding `bytes` appended
/// (engines and Arbitrum's validator ignore custom sections).
pub fn with_padding(wasm: &[u8], bytes: &[u8]) -> Vec<u8> {
    let body = [&leb128(7)[..], b"padding", bytes].concat();
    [wasm, &[0x00], &leb128(body.len()), &body].concat()
}

/// `n` as unsigned LEB128.
fn leb128(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        out.push(if n == 0 { byte } else { byte | 0x80 });
        if n == 0 {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_deterministic_and_not_constant() {
        assert_eq!(noise(64), noise(64));
        assert_eq!(noise(100).len(), 100);
        assert!(noise(256).windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn padding_is_a_custom_section_with_leb128_sizes() {
        assert_eq!(leb128(127), [0x7f]);
        assert_eq!(leb128(128), [0x80, 0x01]);
        let padded = with_padding(b"m", &[0xaa; 200]);
        // Section id 0, size 208 (name length, "padding", 200 bytes) as two LEB128 bytes.
        assert_eq!(&padded[..4], &[b'm', 0x00, 0xd0, 0x01]);
        assert_eq!(&padded[4..12], b"\x07padding");
        assert_eq!(padded.len(), 12 + 200);
    }
}
