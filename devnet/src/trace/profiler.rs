//! The devnet's `keelProfiler`: where a transaction's ink goes, by WASM
//! function. Stylus frames run their profiling build (`meter::probes`: the
//! same ink, plus a probe on entry to and exit from every function), and
//! every stretch of ink between two events (a function starting or
//! returning, a host call) is charged to the stack of functions open at the
//! time; a host call is a leaf of its own (`[storage_flush_cache]`), charged
//! its ink minus the gas of the frames it ran, which are profiled apart.
//!
//! Answer: `{"frames": [...], "folded": [...]}`. Each Stylus frame (in the
//! order they started) has its `address`, `depth`, `moduleHash`, `gasUsed`
//! (nested frames included), `ink` (its own instructions and host calls:
//! nested frames and entry costs excluded, the sum of its functions' self
//! ink) and `functions`, by self ink: `name`, `index` (null for a host
//! call), `selfInk`, `totalInk` (with the functions it called in the same
//! frame; counted once per stack when recursive) and `calls`. `folded` are
//! flame-graph lines, `frame;fn_a;fn_b ink`, where a nested frame continues
//! its caller's stack and `[entry]` is a Stylus frame's entry costs (ink =
//! gas × 10,000; EVM frames appear as their address with their own gas).

use super::{FrameEnd, FrameStart, HostIo, Tracer};
use crate::gas::INK_PER_GAS;
use crate::program::FunctionNames;
use alloy_primitives::{Address, B256};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// What ink is charged to: a WASM function (by index) or a host call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    Func(u32),
    Host(&'static str),
}

/// A Stylus frame being profiled.
struct StylusFrame {
    module_hash: B256,
    names: FunctionNames,
    /// Ink left at the last event.
    last_ink: u64,
    /// Ink of nested frames that ended since the last event: part of the
    /// host call that ran them, profiled in their own frames.
    nested_ink: u64,
    /// Open functions, outermost first.
    stack: Vec<Node>,
    /// Ink by stack.
    samples: HashMap<Vec<Node>, u64>,
    /// Times each function was entered.
    calls: HashMap<u32, u64>,
}

impl StylusFrame {
    /// Charges the ink spent since the last event to `path`.
    fn charge(&mut self, path: Vec<Node>, ink: u64) {
        if ink > 0 {
            *self.samples.entry(path).or_default() += ink;
        }
    }

    /// Charges the ink spent down to `ink` to the open functions.
    fn advance(&mut self, ink: u64) {
        let spent = self.last_ink.saturating_sub(ink);
        self.last_ink = ink;
        self.charge(self.stack.clone(), spent);
    }

    fn name(&self, node: &Node) -> String {
        match node {
            Node::Func(index) => self.names.get(index).map_or_else(|| format!("func[{index}]"), |name| display_name(name)),
            Node::Host(name) => format!("[{name}]"),
        }
    }

    /// `;`-separated names of `path`.
    fn path_names(&self, path: &[Node]) -> String {
        path.iter().map(|node| format!(";{}", self.name(node))).collect()
    }
}

/// A readable function name: demangled, without Rust's hash suffix.
fn display_name(name: &str) -> String {
    let name = match rustc_demangle::try_demangle(name) {
        Ok(demangled) => format!("{demangled:#}"),
        Err(_) => name.to_string(),
    };
    // Already demangled by the linker: drop a trailing `::h` + 16 hex digits.
    match name.rsplit_once("::h") {
        Some((path, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => path.to_string(),
        _ => name,
    }
}

/// A frame of either kind, open.
struct OpenFrame {
    address: Address,
    /// Order of entry.
    seq: usize,
    depth: usize,
    /// Folded-stack prefix, ending with this frame's label.
    prefix: String,
    /// Gas used by the frames it ran.
    nested_gas: u64,
    stylus: Option<StylusFrame>,
}

/// Profiles the Stylus frames of a transaction by function.
#[derive(Default)]
pub struct Profiler {
    open: Vec<OpenFrame>,
    /// Profiles of the Stylus frames that ended, with their order of entry.
    frames: Vec<(usize, Value)>,
    /// Folded stacks and their ink.
    folded: BTreeMap<String, u64>,
    entered: usize,
}

impl Profiler {
    fn stylus(&mut self) -> Option<&mut StylusFrame> {
        self.open.last_mut().and_then(|frame| frame.stylus.as_mut())
    }

    fn fold(&mut self, stack: String, ink: u64) {
        if ink > 0 {
            *self.folded.entry(stack).or_default() += ink;
        }
    }

    /// Records a Stylus frame that ended having used `gas_used`.
    fn close_stylus(&mut self, frame: &OpenFrame, stylus: &StylusFrame, gas_used: u64) {
        let ink: u64 = stylus.samples.values().sum();
        let mut functions: HashMap<&Node, (u64, u64)> = HashMap::new();
        for (path, sample) in &stylus.samples {
            if let Some(leaf) = path.last() {
                functions.entry(leaf).or_default().0 += sample;
            }
            let mut seen: Vec<&Node> = Vec::with_capacity(path.len());
            for node in path {
                if !seen.contains(&node) {
                    seen.push(node);
                    functions.entry(node).or_default().1 += sample;
                }
            }
            self.fold(format!("{}{}", frame.prefix, stylus.path_names(path)), *sample);
        }
        let entry = gas_used.saturating_sub(frame.nested_gas).saturating_mul(INK_PER_GAS).saturating_sub(ink);
        self.fold(format!("{};[entry]", frame.prefix), entry);
        let mut functions: Vec<_> = functions.into_iter().collect();
        functions.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(b.1 .1.cmp(&a.1 .1)));
        let functions: Vec<Value> = functions
            .into_iter()
            .map(|(node, (self_ink, total_ink))| {
                let (index, calls) = match node {
                    Node::Func(index) => (json!(index), stylus.calls.get(index).copied().unwrap_or(0)),
                    Node::Host(_) => (Value::Null, 0),
                };
                json!({"name": stylus.name(node), "index": index, "selfInk": self_ink, "totalInk": total_ink, "calls": calls})
            })
            .collect();
        let profile = json!({
            "address": frame.address,
            "depth": frame.depth,
            "moduleHash": stylus.module_hash,
            "gasUsed": gas_used,
            "ink": ink,
            "functions": functions,
        });
        self.frames.push((frame.seq, profile));
    }
}

impl Tracer for Profiler {
    fn enter(&mut self, start: &FrameStart<'_>) {
        let label = format!("{}", start.to);
        let prefix = match self.open.last() {
            Some(parent) => {
                let stack = parent.stylus.as_ref().map(|s| s.path_names(&s.stack)).unwrap_or_default();
                format!("{}{stack};{label}", parent.prefix)
            }
            None => label,
        };
        let frame = OpenFrame { address: start.to, seq: self.entered, depth: self.open.len(), prefix, nested_gas: 0, stylus: None };
        self.entered += 1;
        self.open.push(frame);
    }

    fn exit(&mut self, end: &FrameEnd<'_>) {
        let Some(mut frame) = self.open.pop() else { return };
        match frame.stylus.take() {
            Some(stylus) => self.close_stylus(&frame, &stylus, end.gas_used),
            None => {
                let own = end.gas_used.saturating_sub(frame.nested_gas).saturating_mul(INK_PER_GAS);
                self.fold(frame.prefix.clone(), own);
            }
        }
        if let Some(parent) = self.open.last_mut() {
            parent.nested_gas = parent.nested_gas.saturating_add(end.gas_used);
            if let Some(stylus) = parent.stylus.as_mut() {
                stylus.nested_ink = stylus.nested_ink.saturating_add(end.gas_used.saturating_mul(INK_PER_GAS));
            }
        }
    }

    fn hostio(&mut self, io: HostIo) {
        // The frame's entry and return are reported at its starting ink.
        if matches!(io.name, "user_entrypoint" | "user_returned") {
            return;
        }
        let Some(stylus) = self.stylus() else { return };
        stylus.advance(io.start_ink);
        let spent = io.start_ink.saturating_sub(io.end_ink).saturating_sub(std::mem::take(&mut stylus.nested_ink));
        let mut path = stylus.stack.clone();
        path.push(Node::Host(io.name));
        stylus.charge(path, spent);
        stylus.last_ink = io.end_ink;
    }

    fn profiles(&self) -> bool {
        true
    }

    fn stylus_enter(&mut self, module_hash: B256, names: FunctionNames, ink: u64) {
        if let Some(frame) = self.open.last_mut() {
            frame.stylus = Some(StylusFrame {
                module_hash,
                names,
                last_ink: ink,
                nested_ink: 0,
                stack: Vec::new(),
                samples: HashMap::new(),
                calls: HashMap::new(),
            });
        }
    }

    fn function_enter(&mut self, index: u32, ink: u64) {
        if let Some(stylus) = self.stylus() {
            stylus.advance(ink);
            stylus.stack.push(Node::Func(index));
            *stylus.calls.entry(index).or_default() += 1;
        }
    }

    fn function_exit(&mut self, ink: u64) {
        if let Some(stylus) = self.stylus() {
            stylus.advance(ink);
            stylus.stack.pop();
        }
    }

    fn stylus_exit(&mut self, ink_left: u64) {
        if let Some(stylus) = self.stylus() {
            stylus.advance(ink_left);
        }
    }

    fn result(mut self: Box<Self>, _gas_limit: u64, _gas_used: u64) -> Value {
        self.frames.sort_by_key(|(seq, _)| *seq);
        let frames: Vec<Value> = self.frames.into_iter().map(|(_, frame)| frame).collect();
        let folded: Vec<String> = self.folded.into_iter().map(|(stack, ink)| format!("{stack} {ink}")).collect();
        json!({"frames": frames, "folded": folded})
    }
}
