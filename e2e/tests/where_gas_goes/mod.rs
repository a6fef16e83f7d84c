//! BENCHMARKS.md's "Where the gas goes": for the main operations, the
//! `keelProfiler`'s view of their Stylus frames (programs cached): how
//! much of the frames' own ink is host I/O (storage above all) and which
//! WASM functions spend the rest, by self ink, across the contracts called.

use alloy::primitives::Address;
use keel_cli::profile::Profile;
use std::collections::HashMap;
use std::fmt::Write;

/// WASM functions shown per operation.
const TOP_FUNCTIONS: usize = 6;
/// Host calls named per operation.
const TOP_HOST_CALLS: usize = 3;

/// One profiled operation.
pub struct Profiled {
    /// The operation's name in the gas table.
    pub operation: &'static str,
    /// Its receipt gas (programs cached).
    pub gas: u64,
    /// The profile of that transaction.
    pub profile: Profile,
}

/// Ink as gas, grouped: 1234567890 ink → "123,457".
fn gas(ink: u64, group: fn(u64) -> String) -> String {
    group((ink + 5_000) / 10_000)
}

/// The section; `labels` name contracts by address, `group` formats figures.
pub fn render(w: &mut String, operations: &[Profiled], labels: &HashMap<Address, String>, group: fn(u64) -> String) {
    writeln!(w, "\n## Where the gas goes\n").unwrap();
    writeln!(w, "From the devnet's `keelProfiler` (`keel profile TX_HASH`), programs cached. A frame's own ink is its").unwrap();
    writeln!(w, "instructions and host calls, without the frames it calls and without its entry cost; a host call's").unwrap();
    writeln!(w, "ink is its price plus the gas it charges (cold storage, SSTOREs at the flush, logs, calls' access).").unwrap();
    writeln!(w, "Functions are ranked by self ink summed over the operation's frames; \"WASM\" is everything but host").unwrap();
    writeln!(w, "calls.\n").unwrap();
    for op in operations {
        let label = |address: &Address| labels.get(address).cloned().unwrap_or_else(|| address.to_string());
        let (mut host, mut wasm) = (HashMap::<String, u64>::new(), HashMap::<(String, String), (u64, u64)>::new());
        let own: u64 = op.profile.frames.iter().map(|f| f.ink).sum();
        for frame in &op.profile.frames {
            for f in &frame.functions {
                if f.name.starts_with('[') {
                    *host.entry(f.name.trim_matches(|c| c == '[' || c == ']').to_string()).or_default() += f.self_ink;
                } else {
                    let entry = wasm.entry((label(&frame.address), f.name.clone())).or_default();
                    entry.0 += f.self_ink;
                    entry.1 += f.calls;
                }
            }
        }
        let host_ink: u64 = host.values().sum();
        let wasm_ink = own - host_ink;
        let mut host: Vec<_> = host.into_iter().collect();
        host.sort_by_key(|entry| std::cmp::Reverse(entry.1));
        let host_top: Vec<String> = host.iter().take(TOP_HOST_CALLS).map(|(name, ink)| format!("`{name}` {}", gas(*ink, group))).collect();
        let frames = op.profile.frames.len();
        writeln!(
            w,
            "**{}** ({} gas; {frames} Stylus frame{}): own ink {} gas, host I/O {} ({:.0}%: {}), WASM {} ({:.0}%).\n",
            op.operation,
            group(op.gas),
            if frames == 1 { "" } else { "s" },
            gas(own, group),
            gas(host_ink, group),
            100.0 * host_ink as f64 / own.max(1) as f64,
            host_top.join(", "),
            gas(wasm_ink, group),
            100.0 * wasm_ink as f64 / own.max(1) as f64
        )
        .unwrap();
        writeln!(w, "| WASM function | Contract | Self gas | Share of WASM | Calls |").unwrap();
        writeln!(w, "|---|---|---:|---:|---:|").unwrap();
        let mut wasm: Vec<_> = wasm.into_iter().collect();
        wasm.sort_by_key(|entry| std::cmp::Reverse(entry.1 .0));
        for ((contract, name), (ink, calls)) in wasm.into_iter().take(TOP_FUNCTIONS) {
            let share = 100.0 * ink as f64 / wasm_ink.max(1) as f64;
            writeln!(w, "| `{}` | {contract} | {} | {share:.1}% | {calls} |", name.replace('|', "\\|"), gas(ink, group)).unwrap();
        }
        writeln!(w).unwrap();
    }
}
