//! The Solidity interface of a contract, written from its dispatch table so
//! that what is routed and what is published cannot drift apart.

use alloc::{format, string::String, vec::Vec};

/// One external function as the interface declares it.
pub struct Method {
    /// Solidity name.
    pub name: &'static str,
    /// Parameters: (name, Solidity type with data location).
    pub params: Vec<(&'static str, &'static str)>,
    /// Return types, with data location.
    pub returns: Vec<&'static str>,
    /// Whether the function only reads state.
    pub view: bool,
}

impl Method {
    fn declaration(&self) -> String {
        let params: Vec<String> = self.params.iter().map(|(name, ty)| format!("{ty} {name}")).collect();
        let mutability = if self.view { " view" } else { "" };
        let returns = if self.returns.is_empty() { String::new() } else { format!(" returns ({})", self.returns.join(", ")) };
        format!("    function {}({}) external{mutability}{returns};", self.name, params.join(", "))
    }
}

/// `interface <name> [is <bases>] { functions, then errors and events }`.
pub fn interface_block(name: &str, bases: &[&str], methods: &[Method], items: &[String]) -> String {
    let inherits = if bases.is_empty() { String::new() } else { format!(" is {}", bases.join(", ")) };
    let mut body = methods.iter().map(Method::declaration).collect::<Vec<_>>().join("\n\n");
    if !items.is_empty() {
        body.push_str("\n\n");
        body.push_str(&items.join("\n"));
    }
    format!("interface {name}{inherits} {{\n{body}\n}}\n")
}

/// The `error` and `event` declarations of the [`abi_items!`](crate::abi_items) blocks
/// `abis` (their `abi::contract()`), with parameter names and `indexed`: errors
/// then events, each sorted by name and declared once.
#[cfg(feature = "export-abi")]
pub fn item_declarations(abis: &[alloy_sol_types::private::alloy_json_abi::JsonAbi]) -> Vec<String> {
    let mut errors = alloc::collections::BTreeSet::new();
    let mut events = alloc::collections::BTreeSet::new();
    for abi in abis {
        for error in abi.errors() {
            let params: Vec<String> = error.inputs.iter().map(|p| format!("{} {}", p.ty, p.name)).collect();
            errors.insert(format!("    error {}({});", error.name, params.join(", ")));
        }
        for event in abi.events() {
            let params: Vec<String> =
                event.inputs.iter().map(|p| format!("{}{} {}", p.ty, if p.indexed { " indexed" } else { "" }, p.name)).collect();
            events.insert(format!("    event {}({});", event.name, params.join(", ")));
        }
    }
    errors.into_iter().chain(events).collect()
}
