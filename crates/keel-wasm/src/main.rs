//! `keel-wasm pack [--no-size-limit] --out DIR FILE.wasm...`: normalises and
//! validates each contract as Arbitrum would, writes the module to DIR, and
//! prints the size table. Exits non-zero if any contract is invalid or too
//! large, except with `--no-size-limit` (intermediate builds).

use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some("pack") {
        eprintln!("usage: keel-wasm pack [--no-size-limit] --out DIR FILE.wasm...");
        return ExitCode::from(2);
    }
    let (mut out, mut inputs, mut enforce_limit) = (None, Vec::new(), true);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--no-size-limit" => enforce_limit = false,
            _ => inputs.push(PathBuf::from(arg)),
        }
    }
    let Some(out) = out.filter(|_| !inputs.is_empty()) else {
        eprintln!("usage: keel-wasm pack [--no-size-limit] --out DIR FILE.wasm...");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }

    let limit = keel_wasm::MAX_DEPLOYED_CODE;
    println!("{:<22} {:>10} {:>12} {:>10} {:>6} {:>5}  status", "contract", "raw bytes", "compressed", "limit", "funcs", "pages");
    let mut failed = false;
    for input in inputs {
        let name = input.file_stem().unwrap_or_default().to_string_lossy().replace('_', "-");
        match pack_one(&input, &out.join(format!("{name}.wasm"))) {
            Ok((raw, deployed, info)) => {
                let ok = deployed <= limit;
                failed |= enforce_limit && !ok;
                println!(
                    "{name:<22} {raw:>10} {deployed:>12} {limit:>10} {:>6} {:>5}  {}",
                    info.functions,
                    info.memory_pages,
                    if ok { "ok" } else { "TOO LARGE" }
                );
            }
            Err(e) => {
                failed = true;
                println!("{name:<22} error: {e}");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Normalises, validates and writes one module; returns (raw size, deployed size, info).
fn pack_one(input: &PathBuf, output: &PathBuf) -> Result<(usize, usize, keel_wasm::ModuleInfo), String> {
    let raw = std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let wasm = keel_wasm::normalize(&raw)?;
    let info = keel_wasm::validate(&wasm).map_err(|e| e.to_string())?;
    if wasm.len() > keel_wasm::MAX_DECOMPRESSED_WASM {
        return Err(format!("{} bytes exceed the decompressed limit", wasm.len()));
    }
    std::fs::write(output, &wasm).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    Ok((wasm.len(), keel_wasm::deployed_code(&wasm).len(), info))
}
