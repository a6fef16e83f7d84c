//! Writes a Stylus program above 24 KiB compressed (a 40 kB incompressible
//! data segment; it returns the segment's last 32 bytes) to the path given,
//! for `scripts/stylus-check.sh`'s fragmented deployment with cargo-stylus.

use keel_testinputs::wasm::{data_program_wat, noise};

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: large_program OUT.wasm");
        std::process::exit(2);
    };
    let wasm = wat::parse_str(data_program_wat(&noise(40_000))).expect("valid WAT");
    std::fs::write(&out, &wasm).unwrap_or_else(|e| panic!("cannot write {out}: {e}"));
    println!("{out}: {} bytes, {} fragments", wasm.len(), keel_wasm::deployment(&wasm).fragment_count());
}
