//! `keel profile TX_HASH`: where a transaction's Stylus ink went, by WASM
//! function, from the devnet's `keelProfiler` tracer: the top functions of
//! each Stylus frame by self and total ink, folded stacks for flame-graph
//! tools and a flame graph rendered with inferno. Function names come from
//! the named modules `make wasm` leaves in `target/wasm-names`, registered
//! with the devnet first (`keel_registerWasmNames`).

use crate::status::table;
use alloy::primitives::{Address, Bytes, B256};
use alloy::providers::{DynProvider, Provider};
use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// Ink per gas (Stylus).
const INK_PER_GAS: u64 = 10_000;

/// The profiler's answer.
#[derive(Debug, Clone, Deserialize)]
pub struct Profile {
    /// Stylus frames in the order they started.
    pub frames: Vec<FrameProfile>,
    /// Folded stacks, `frame;fn_a;fn_b ink`.
    pub folded: Vec<String>,
}

/// One Stylus frame.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameProfile {
    /// The contract whose code ran.
    pub address: Address,
    /// Call depth (0: the transaction's own call).
    pub depth: u64,
    /// Gas the frame used, nested frames included.
    pub gas_used: u64,
    /// Ink of its own instructions and host calls.
    pub ink: u64,
    /// Functions by self ink, highest first.
    pub functions: Vec<FunctionInk>,
}

/// One function (or host call, `[name]`) of a frame.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionInk {
    /// Demangled name, `func[N]` if unknown.
    pub name: String,
    /// Ink spent in the function itself.
    pub self_ink: u64,
    /// Ink spent in it and the functions it called in the frame.
    pub total_ink: u64,
    /// Times it was entered (0 for host calls).
    pub calls: u64,
}

/// Registers every named module in `dir` with the devnet; returns how many.
pub async fn register_names(provider: &DynProvider, dir: &Path) -> Result<usize> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read {} (run `make wasm`)", dir.display()))?;
    let mut registered = 0;
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "wasm")) {
        let wasm = Bytes::from(std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?);
        let _: B256 = provider
            .raw_request("keel_registerWasmNames".into(), (wasm,))
            .await
            .context("the node does not profile (keel_registerWasmNames): use keel-devnet")?;
        registered += 1;
    }
    Ok(registered)
}

/// Traces `tx` with the `keelProfiler`.
pub async fn fetch(provider: &DynProvider, tx: B256) -> Result<Profile> {
    let options = serde_json::json!({ "tracer": "keelProfiler" });
    provider
        .raw_request("debug_traceTransaction".into(), (tx, options))
        .await
        .with_context(|| format!("cannot profile {tx} (keel-devnet's keelProfiler)"))
}

/// `ink` as gas with one decimal.
fn gas(ink: u64) -> String {
    format!("{:.1}", ink as f64 / INK_PER_GAS as f64)
}

fn percent(part: u64, whole: u64) -> String {
    format!("{:.1}%", 100.0 * part as f64 / whole.max(1) as f64)
}

/// The top `top` functions of each frame by self ink, with their total ink,
/// in gas (ink / 10,000); frames are labelled by `labels` (contract names)
/// when known.
pub fn tables(profile: &Profile, top: usize, labels: &HashMap<Address, String>) -> String {
    let mut out = String::new();
    for frame in &profile.frames {
        let label = labels.get(&frame.address).map_or_else(|| frame.address.to_string(), |name| format!("{name} {}", frame.address));
        let title = format!(
            "{}{label}: {} gas used, {} gas of own ink (nested frames and entry costs excluded)",
            "  ".repeat(frame.depth as usize),
            frame.gas_used,
            gas(frame.ink)
        );
        let mut t = table::new(&["function", "self gas", "self", "total gas", "total", "calls"], 1);
        for f in frame.functions.iter().take(top) {
            let calls = if f.calls == 0 { "-".to_string() } else { f.calls.to_string() };
            t.add_row(vec![
                f.name.clone(),
                gas(f.self_ink),
                percent(f.self_ink, frame.ink),
                gas(f.total_ink),
                percent(f.total_ink, frame.ink),
                calls,
            ]);
        }
        out.push_str(&table::section(&title, &t));
    }
    out
}

/// Writes the folded stacks, one per line.
pub fn write_folded(profile: &Profile, path: &Path) -> Result<()> {
    std::fs::write(path, profile.folded.join("\n") + "\n").with_context(|| format!("cannot write {}", path.display()))
}

/// Renders the folded stacks as a flame graph SVG (inferno).
pub fn write_svg(profile: &Profile, path: &Path, title: &str) -> Result<()> {
    let mut options = inferno::flamegraph::Options::default();
    options.title = title.to_string();
    options.count_name = "ink".to_string();
    let file = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let lines = profile.folded.iter().map(String::as_str);
    inferno::flamegraph::from_lines(&mut options, lines, std::io::BufWriter::new(file))
        .with_context(|| format!("cannot render {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Profile {
        serde_json::from_value(serde_json::json!({
            "frames": [{
                "address": "0x00000000000000000000000000000000000000aa", "depth": 0, "moduleHash": "0x00",
                "gasUsed": 30_000, "ink": 200_000_000,
                "functions": [
                    {"name": "deposit", "index": 3, "selfInk": 150_000_000, "totalInk": 200_000_000, "calls": 1},
                    {"name": "[storage_flush_cache]", "index": null, "selfInk": 50_000_000, "totalInk": 50_000_000, "calls": 0}
                ]
            }],
            "folded": ["0xaa;deposit 150000000", "0xaa;deposit;[storage_flush_cache] 50000000"]
        }))
        .unwrap()
    }

    #[test]
    fn the_table_shows_gas_and_shares_of_the_frame() {
        let sm = Address::with_last_byte(0xaa);
        let text = tables(&sample(), 1, &HashMap::from([(sm, "StrategyManager".to_string())]));
        assert!(text.contains(&format!("StrategyManager {sm}: 30000 gas used, 20000.0 gas of own ink")), "{text}");
        assert!(text.contains("deposit") && text.contains("15000.0") && text.contains("75.0%") && text.contains("100.0%"), "{text}");
        assert!(!text.contains("storage_flush_cache"), "top 1 only: {text}");
    }

    #[test]
    fn folded_stacks_render_as_a_flame_graph() {
        let dir = std::env::temp_dir().join(format!("keel-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (folded, svg) = (dir.join("deposit.folded"), dir.join("deposit.svg"));
        write_folded(&sample(), &folded).unwrap();
        assert_eq!(std::fs::read_to_string(&folded).unwrap(), "0xaa;deposit 150000000\n0xaa;deposit;[storage_flush_cache] 50000000\n");
        write_svg(&sample(), &svg, "deposit").unwrap();
        let svg = std::fs::read_to_string(&svg).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("deposit") && svg.contains("storage_flush_cache"));
    }
}
