//! Compact ABI routing for Keel's contracts.
//!
//! stylus-sdk's `#[public]` router decodes each function's arguments with
//! alloy's decoder instantiated for that function's argument tuple, which
//! costs several hundred bytes of WASM per function; under Stylus's 24 KiB
//! compressed limit a contract with 30 functions does not fit. Here every ABI
//! type has one decoding and one encoding function, shared by all functions:
//!
//! * [`contract_abi!`](crate::contract_abi) declares a contract's functions once and generates its
//!   entry point (`dispatch`) and its Solidity interface;
//! * [`decode`] validates calldata as alloy's validating decoder does;
//! * [`encode`] writes return values as Solidity does.
//!
//! Behaviour kept from stylus-sdk's router: empty, short or unknown calldata
//! and any call with value (no Keel function is payable) revert with no data;
//! the constructor runs once, through the SDK's constructor selector and
//! guard slot, so `cargo stylus deploy` and StylusDeployer work unchanged.

mod decode;
pub(crate) mod encode;
mod interface;

pub use decode::{AbiArg, Decoder, FromWord, Reject};
pub use encode::{Encode, Returns};
#[cfg(feature = "export-abi")]
pub use interface::item_declarations;
pub use interface::{interface_block, Method};

use alloc::vec::Vec;
use stylus_sdk::prelude::*;

impl From<Reject> for Vec<u8> {
    fn from(_: Reject) -> Self {
        Vec::new()
    }
}

/// Splits calldata into selector and arguments; refuses value and calldata
/// without a selector (both revert with no data, as stylus-sdk's router).
pub fn selector<'a>(input: &'a [u8], host: &dyn Host) -> Result<(u32, &'a [u8]), Vec<u8>> {
    if input.len() < 4 || !host.msg_value().is_zero() {
        return Err(Vec::new());
    }
    let (selector, args) = input.split_at(4);
    Ok((u32::from_be_bytes([selector[0], selector[1], selector[2], selector[3]]), args))
}

/// Declares a contract's external functions and generates, in the calling
/// module: `dispatch(input, vm)`, the contract's `#[entrypoint]` (the test
/// host calls it natively), and `solidity_interface()` (with the crate's
/// `export-abi` feature). The module must `use stylus_sdk::prelude::*` and
/// the contract must implement `TopLevelStorage`.
///
/// ```ignore
/// contract_abi! {
///     MyContract: "IMyContract", access: access, constructor(owner: Address) => init;
///     write setLimit(limit: U256) => set_limit;
///     view limit() -> (U256) => limit;
/// }
/// ```
/// Each line starts with `view`, `write` or `act` (anything else is a compile
/// error naming the word) and names the Solidity function, its parameters (Solidity names,
/// Rust types), its return types and the Rust method; methods return the
/// declared type or `Result` of it with an error that converts into revert
/// data. `access: field` adds the [`Access`](crate::access::Access)
/// functions of that field (interface `IAccessControl`).
///
/// Two optional hooks serve contracts split over an extension reached by
/// `delegatecall`: `fallback => method` receives the whole calldata of any
/// selector the table does not route (instead of a revert with no data) and
/// returns the output or a [`Revert`](crate::Revert); `guard => method` runs
/// before any function is routed and refuses the call with its error (the
/// extension's check that it runs as its vault). `batch: multicall` adds
/// `multicall(bytes[] data) returns (bytes[])`, routed before the contract
/// is built: each call goes through `dispatch` again (see
/// [`multicall`](crate::multicall)). `items: [Block, ...]` names the
/// [`abi_items!`](crate::abi_items) blocks whose errors and events the
/// interface declares. `appointees: field` adds the
/// [`Appointees`](crate::appointees::Appointees) functions of that field
/// (interface `IAppointees`): an `act` line is a write that acts as its
/// caller's operator or AVS identity, which the router passes as the
/// method's first argument: the caller itself, or the account an appointee
/// calls it for through `callAs`. Only `act` functions can be appointed.
///
/// The kind of a line is checked where the macro expands:
///
/// ```
/// assert!(keel_components::contract_abi!(@view view));
/// assert!(!keel_components::contract_abi!(@view write));
/// assert!(keel_components::contract_abi!(@acts act) && !keel_components::contract_abi!(@acts write));
/// ```
///
/// ```compile_fail
/// // A typo names itself in the error.
/// keel_components::contract_abi!(@view wirte);
/// ```
#[macro_export]
macro_rules! contract_abi {
    (
        $contract:ident : $interface:literal
        $(, access: $access:ident)?
        $(, constructor($($carg:ident : $cty:ty),* $(,)?) => $cmethod:ident)?
        $(, fallback => $fallback:ident)?
        $(, guard => $guard:ident)?
        $(, batch: $batch:ident)?
        $(, appointees: $appointees:ident)?
        $(, items: [$($($items:ident)::+),* $(,)?])? ;
        $($kind:ident $name:ident($($arg:ident : $ty:ty),* $(,)?) $(-> ($($ret:ty),*))? => $method:ident;)*
    ) => {
        pub use keel_entry::dispatch;

        // A module of its own, so that the SDK's generated `user_entrypoint`
        // (which has no doc) is exempt from `missing_docs`.
        #[allow(missing_docs)]
        mod keel_entry {
        use super::*;

        /// Routes one call: the contract's entry point on chain (through
        /// `user_entrypoint`), and its router in the native test host.
        #[stylus_sdk::prelude::entrypoint]
        pub fn dispatch(input: alloc::vec::Vec<u8>, vm: stylus_sdk::host::VM) -> stylus_sdk::ArbResult {
            dispatch_as(input, vm, None)
        }

        /// Whether an account may appoint others to call `selector`: the `act` functions.
        #[allow(dead_code, unused_variables)]
        fn appointable(selector: u32) -> bool {
            $(
                if $crate::contract_abi!(@acts $kind) && selector == u32::from_be_bytes(stylus_sdk::function_selector!(stringify!($name) $(, $ty)*)) {
                    return true;
                }
            )*
            false
        }

        /// Routes one call; `acting` is the account an appointee calls an
        /// `act` function for (`None`: the caller acts as itself).
        #[allow(non_snake_case, unused_parens, unreachable_code, unused_variables)]
        fn dispatch_as(input: alloc::vec::Vec<u8>, vm: stylus_sdk::host::VM, acting: Option<stylus_sdk::alloy_primitives::Address>) -> stylus_sdk::ArbResult {
            use $crate::abi::Returns;
            let (selector, args) = $crate::abi::selector(&input, &vm)?;
            $(
                if selector == u32::from_be_bytes(stylus_sdk::function_selector!(stringify!($batch), alloc::vec::Vec<stylus_sdk::alloy_primitives::Bytes>)) {
                    return $crate::multicall::multicall(args, &vm, dispatch);
                }
            )?
            #[allow(unused_variables)]
            let host = vm.clone();
            // SAFETY: the contract's storage is the whole of the program's storage, rooted at slot 0.
            #[allow(unused_mut)]
            let mut contract = unsafe { <$contract as stylus_sdk::storage::StorageType>::new(stylus_sdk::alloy_primitives::U256::ZERO, 0, vm) };
            #[allow(unused_mut, unused_variables)]
            let mut decoder = $crate::abi::Decoder::new(args);
            $(
                if selector == stylus_sdk::abi::CONSTRUCTOR_SELECTOR {
                    stylus_sdk::stylus_core::host::ConstructorGuard::check_constructor_slot(&contract)?;
                    $(let $carg: $cty = decoder.arg()?;)*
                    return Returns::<()>::into_output(contract.$cmethod($($carg),*));
                }
            )?
            $(contract.$guard().map_err(alloc::vec::Vec::<u8>::from)?;)?
            $(
                let _: bool = $crate::contract_abi!(@view $kind);
                if selector == u32::from_be_bytes(stylus_sdk::function_selector!(stringify!($name) $(, $ty)*)) {
                    $(let $arg: $ty = decoder.arg()?;)*
                    return Returns::<($($($ret),*)?)>::into_output($crate::contract_abi!(@call $kind contract host acting $method($($arg),*)));
                }
            )*
            $(
                if let Some(output) = $crate::access::route(&mut contract.$access, selector, &mut decoder) {
                    return output;
                }
            )?
            $(
                let run_as = |data, account| dispatch_as(data, host.clone(), Some(account));
                if let Some(output) = contract.$appointees.route(selector, &mut decoder, appointable, &run_as) {
                    return output;
                }
            )?
            $(return contract.$fallback(&input).map_err(alloc::vec::Vec::<u8>::from);)?
            Err(alloc::vec::Vec::new())
        }
        }

        /// The contract's Solidity interface (`interface` blocks).
        #[cfg(feature = "export-abi")]
        pub fn solidity_interface() -> alloc::string::String {
            use stylus_sdk::abi::AbiType;
            #[allow(unused_mut)]
            let mut methods = alloc::vec![$(
                $crate::abi::Method {
                    name: stringify!($name),
                    params: alloc::vec![$((stringify!($arg), <$ty as AbiType>::EXPORT_ABI_ARG.as_str())),*],
                    returns: alloc::vec![$($(<$ret as AbiType>::EXPORT_ABI_RET.as_str()),*)?],
                    view: $crate::contract_abi!(@view $kind),
                },
            )*];
            $(methods.push($crate::abi::Method {
                name: stringify!($batch),
                params: alloc::vec![("data", "bytes[] memory")],
                returns: alloc::vec!["bytes[] memory"],
                view: false,
            });)?
            #[allow(unused_mut)]
            let mut text = alloc::string::String::new();
            #[allow(unused_mut)]
            let mut bases: alloc::vec::Vec<&str> = alloc::vec::Vec::new();
            $(
                let _ = stringify!($access);
                text.push_str(&$crate::abi::interface_block("IAccessControl", &[], &$crate::access::interface_methods(), &[]));
                text.push('\n');
                bases.push("IAccessControl");
            )?
            $(
                let _ = stringify!($appointees);
                text.push_str(&$crate::abi::interface_block("IAppointees", &[], &$crate::appointees::interface_methods(), &[]));
                text.push('\n');
                bases.push("IAppointees");
            )?
            $(
                let constructor: alloc::vec::Vec<alloc::string::String> =
                    alloc::vec![$(alloc::format!("{} {}", <$cty as AbiType>::ABI.as_str(), stringify!($carg))),*];
                text.push_str(&alloc::format!("// constructor({})\n", constructor.join(", ")));
                let _ = stringify!($cmethod);
            )?
            $(
                let _ = stringify!($fallback);
                text.push_str("// fallback: any other selector runs in the extension set at construction (delegatecall)\n");
            )?
            #[allow(unused_mut)]
            let mut items: alloc::vec::Vec<alloc::string::String> = alloc::vec::Vec::new();
            $(items = $crate::abi::item_declarations(&[$($($items)::+::abi::contract()),*]);)?
            text.push_str(&$crate::abi::interface_block($interface, &bases, &methods, &items));
            text
        }
    };
    (@view view) => { true };
    (@view write) => { false };
    (@view act) => { false };
    (@acts act) => { true };
    (@acts $other:tt) => { false };
    (@call act $contract:ident $host:ident $acting:ident $method:ident($($arg:ident),*)) => {{
        let caller = $acting.unwrap_or_else(|| stylus_sdk::stylus_core::host::MessageAccess::msg_sender(&$host));
        $contract.$method(caller, $($arg),*)
    }};
    (@call $kind:ident $contract:ident $host:ident $acting:ident $method:ident($($arg:ident),*)) => {
        $contract.$method($($arg),*)
    };
    (@view $other:tt) => {
        compile_error!(concat!("contract_abi!: a function is `view`, `write` or `act`, not `", stringify!($other), "`"))
    };
}

/// Declares custom errors and events as a `sol!` interface named `$name`
/// whose items are re-exported into the calling module; with the calling
/// crate's `export-abi` feature, `$name::abi::contract()` also returns their
/// JSON ABI, from which [`contract_abi!`](crate::contract_abi)'s `items`
/// writes them into the published interface (names and `indexed` included).
#[macro_export]
macro_rules! abi_items {
    ($(#[$attr:meta])* $name:ident { $($item:tt)* }) => {
        #[cfg(feature = "export-abi")]
        alloy_sol_types::sol! { $(#[$attr])* #[allow(clippy::too_many_arguments)] #[sol(abi)] interface $name { $($item)* } }
        #[cfg(not(feature = "export-abi"))]
        alloy_sol_types::sol! { $(#[$attr])* #[allow(clippy::too_many_arguments)] interface $name { $($item)* } }
        pub use $name::*;
    };
}

#[cfg(test)]
mod tests;
