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

/// `interface <name> [is <bases>] { functions }`.
pub fn interface_block(name: &str, bases: &[&str], methods: &[Method]) -> String {
    let inherits = if bases.is_empty() { String::new() } else { format!(" is {}", bases.join(", ")) };
    let body: Vec<String> = methods.iter().map(Method::declaration).collect();
    format!("interface {name}{inherits} {{\n{}\n}}\n", body.join("\n\n"))
}
