//! `keel-wasm pack [--no-size-limit] [--max-fragments N] [--names DIR] --out DIR FILE.wasm...`:
//! normalises and validates each contract as Arbitrum would, writes the module
//! to DIR, and prints the size table. With `--names DIR`, the module written
//! to `--out` loses its custom sections (as deployed) and a copy that keeps
//! its `name` section goes to the names folder (for `keel profile`). A module whose compressed form exceeds
//! 24 KiB is deployed as fragments: it fits if it needs at most N fragments
//! (default: ArbOS 60's `MaxFragmentCount`, 2). Exits non-zero if any contract
//! is invalid or too large, except with `--no-size-limit` (intermediate builds).

use std::{path::PathBuf, process::ExitCode};

const USAGE: &str = "usage: keel-wasm pack [--no-size-limit] [--max-fragments N] [--names DIR] --out DIR FILE.wasm...";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some("pack") {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let (mut out, mut inputs, mut enforce_limit, mut names) = (None, Vec::new(), true, None);
    let mut max_fragments = Some(keel_wasm::DEFAULT_MAX_FRAGMENTS);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--no-size-limit" => enforce_limit = false,
            "--names" => names = args.next().map(PathBuf::from),
            "--max-fragments" => max_fragments = args.next().and_then(|n| n.parse().ok()),
            _ => inputs.push(PathBuf::from(arg)),
        }
    }
    let (Some(out), Some(max_fragments)) = (out.filter(|_| !inputs.is_empty()), max_fragments) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    for dir in std::iter::once(&out).chain(names.as_ref()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }

    println!(
        "{:<22} {:>10} {:>12} {:>5} {:>10} {:>9} {:>9} {:>6} {:>5}  status",
        "contract", "raw bytes", "compressed", "frags", "limit", "headroom", "raw room", "funcs", "pages"
    );
    let mut failed = false;
    for input in inputs {
        let name = input.file_stem().unwrap_or_default().to_string_lossy().replace('_', "-");
        let named = names.as_ref().map(|dir| dir.join(format!("{name}.wasm")));
        match pack_one(&input, &out.join(format!("{name}.wasm")), named.as_ref()) {
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
                    if !ok {
                        "TOO LARGE"
                    } else if fragments > 0 {
                        "ok (fragmented)"
                    } else {
                        "ok"
                    }
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

/// Normalises, validates and writes one module (stripped of custom sections
/// if `named` is given, the normalised module with its names going there);
/// returns (deployed size, deployment form, info).
fn pack_one(
    input: &PathBuf,
    output: &PathBuf,
    named: Option<&PathBuf>,
) -> Result<(usize, keel_wasm::Deployment, keel_wasm::ModuleInfo), String> {
    let raw = std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let wasm = keel_wasm::normalize(&raw)?;
    // Limits and sizes are the deployed module's (without custom sections);
    // without a names folder the output keeps them, for the next pass.
    let deployed = keel_wasm::strip_custom_sections(&wasm)?;
    let info = keel_wasm::validate(&deployed).map_err(|e| e.to_string())?;
    if deployed.len() > keel_wasm::MAX_DECOMPRESSED_WASM {
        return Err(format!("{} bytes exceed the decompressed limit", deployed.len()));
    }
    let written = match named {
        Some(named) => {
            std::fs::write(named, &wasm).map_err(|e| format!("cannot write {}: {e}", named.display()))?;
            &deployed
        }
        None => &wasm,
    };
    std::fs::write(output, written).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    Ok((deployed.len(), keel_wasm::deployment(&deployed), info))
}
