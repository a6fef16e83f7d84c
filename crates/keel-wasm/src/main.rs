//! `keel-wasm pack [--no-size-limit] [--max-fragments N] --out DIR FILE.wasm...`:
//! normalises and validates each contract as Arbitrum would, writes the module
//! to DIR, and prints the size table. A module whose compressed form exceeds
//! 24 KiB is deployed as fragments: it fits if it needs at most N fragments
//! (default: ArbOS 60's `MaxFragmentCount`, 2). Exits non-zero if any contract
//! is invalid or too large, except with `--no-size-limit` (intermediate builds).

use std::{path::PathBuf, process::ExitCode};

const USAGE: &str = "usage: keel-wasm pack [--no-size-limit] [--max-fragments N] --out DIR FILE.wasm...";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some("pack") {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let (mut out, mut inputs, mut enforce_limit) = (None, Vec::new(), true);
    let mut max_fragments = Some(keel_wasm::DEFAULT_MAX_FRAGMENTS);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--no-size-limit" => enforce_limit = false,
            "--max-fragments" => max_fragments = args.next().and_then(|n| n.parse().ok()),
            _ => inputs.push(PathBuf::from(arg)),
        }
    }
    let (Some(out), Some(max_fragments)) = (out.filter(|_| !inputs.is_empty()), max_fragments) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }

    println!(
        "{:<22} {:>10} {:>12} {:>5} {:>10} {:>9} {:>9} {:>6} {:>5}  status",
        "contract", "raw bytes", "compressed", "frags", "limit", "headroom", "raw room", "funcs", "pages"
    );
    let mut failed = false;
    for input in inputs {
        let name = input.file_stem().unwrap_or_default().to_string_lossy().replace('_', "-");
        match pack_one(&input, &out.join(format!("{name}.wasm"))) {
            Ok((raw, deployment, info)) => {
                let fragments = deployment.fragment_count();
                let (deployed, limit) = match &deployment {
                    keel_wasm::Deployment::Single(code) => (code.len(), keel_wasm::MAX_DEPLOYED_CODE),
                    // Fragments carry the compressed stream; the root only names them.
                    keel_wasm::Deployment::Fragmented(f) => (f.code_len(), usize::from(max_fragments) * keel_wasm::MAX_DEPLOYED_CODE),
                };
                let ok = fragments <= usize::from(max_fragments);
                failed |= enforce_limit && !ok;
                let headroom = limit as i64 - deployed as i64;
                let raw_room = keel_wasm::MAX_DECOMPRESSED_WASM as i64 - raw as i64;
                println!(
                    "{name:<22} {raw:>10} {deployed:>12} {fragments:>5} {limit:>10} {headroom:>9} {raw_room:>9} {:>6} {:>5}  {}",
                    info.functions,
                    info.memory_pages,
                    if !ok { "TOO LARGE" } else if fragments > 0 { "ok (fragmented)" } else { "ok" }
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

/// Normalises, validates and writes one module; returns (raw size, deployment form, info).
fn pack_one(input: &PathBuf, output: &PathBuf) -> Result<(usize, keel_wasm::Deployment, keel_wasm::ModuleInfo), String> {
    let raw = std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let wasm = keel_wasm::normalize(&raw)?;
    let info = keel_wasm::validate(&wasm).map_err(|e| e.to_string())?;
    if wasm.len() > keel_wasm::MAX_DECOMPRESSED_WASM {
        return Err(format!("{} bytes exceed the decompressed limit", wasm.len()));
    }
    std::fs::write(output, &wasm).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    Ok((wasm.len(), keel_wasm::deployment(&wasm), info))
}
