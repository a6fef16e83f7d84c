//! Host functions for calldata, results, message/block/transaction facts,
//! hashing, memory growth, early exit and console output.

use super::access::{HostAccess, HostResult};
use super::{HostCtx, HostTrap};
use crate::gas::{HOSTIO_INK, INK_PER_GAS, PTR_INK};
use crate::meter::hostio::{keccak_price, read_price, write_price};
use alloy_primitives::{keccak256, Address, B256, U256};
use wasmi::{Caller, Error, Linker};

/// Registers `$name` in module `vm_hooks`, reported to the machine's tracer
/// (or, untraced, in `$module`).
macro_rules! hook {
    ($linker:expr, $module:literal, $name:literal, $func:expr) => {
        $linker.func_wrap($module, $name, $func).expect(concat!("host function ", $name, " is defined once"))
    };
    ($linker:expr, $name:literal, |mut $c:ident : $ctx:ty $(, $arg:ident : $ty:ty)*| $(-> $ret:ty)? $body:block) => {
        hook!($linker, "vm_hooks", $name, |mut $c: $ctx $(, $arg: $ty)*| $(-> $ret)? {
            let start_ink = $crate::host::trace_hooks::hostio_enter(&mut $c);
            // A closure, so that the body's early returns (`?`) still reach the exit report.
            #[allow(clippy::redundant_closure_call)]
            let result = (|| $(-> $ret)? { $body })();
            $crate::host::trace_hooks::hostio_exit(&mut $c, $name, start_ink);
            result
        })
    };
    ($linker:expr, $name:literal, |mut $c:ident : $ctx:ty $(, $arg:ident : $ty:ty)*| $body:expr) => {
        hook!($linker, $name, |mut $c: $ctx $(, $arg: $ty)*| { $body })
    };
    ($linker:expr, $name:literal, |_ : $ctx:ty $(, $arg:ident : $ty:ty)*| $(-> $ret:ty)? $body:block) => {
        hook!($linker, $name, |mut caller: $ctx $(, $arg: $ty)*| $(-> $ret)? $body)
    };
}
pub(super) use hook;

type Ctx<'a> = Caller<'a, HostCtx>;

/// Charges a one-pointer host call and writes `word` at `dest`.
fn write_word(caller: &mut Ctx, dest: u32, word: &[u8]) -> HostResult<()> {
    caller.charge_ink(HOSTIO_INK + PTR_INK)?;
    caller.write(dest, word)
}

/// Writes the address `pick` selects at `dest`.
fn address_word(caller: &mut Ctx, dest: u32, pick: impl Fn(&mut Ctx) -> Address) -> HostResult<()> {
    let address = pick(caller);
    write_word(caller, dest, address.as_slice())
}

/// Writes the 256-bit value `pick` selects at `dest` (big-endian).
fn u256_word(caller: &mut Ctx, dest: u32, pick: impl Fn(&mut Ctx) -> U256) -> HostResult<()> {
    let value = pick(caller);
    write_word(caller, dest, &value.to_be_bytes::<32>())
}

/// Charges a host call and returns the number `pick` selects.
fn number(caller: &mut Ctx, pick: impl Fn(&mut Ctx) -> u64) -> HostResult<u64> {
    caller.charge_ink(HOSTIO_INK)?;
    Ok(pick(caller))
}

/// Defines the context host functions.
pub(super) fn define(linker: &mut Linker<HostCtx>) {
    hook!(linker, "read_args", |mut c: Ctx, dest: u32| -> HostResult<()> {
        let args = c.frame().msg.input.clone();
        c.charge_ink(HOSTIO_INK + write_price(args.len()))?;
        c.write(dest, &args)
    });
    hook!(linker, "write_result", |mut c: Ctx, ptr: u32, len: u32| -> HostResult<()> {
        // nitro pays the read twice: into the host, then into geth.
        c.charge_ink(HOSTIO_INK + 2 * read_price(len as usize))?;
        c.frame().result = c.read(ptr, len)?;
        Ok(())
    });
    hook!(linker, "exit_early", |_: Ctx, status: i32| -> HostResult<()> { Err(Error::host(HostTrap::ExitEarly(status))) });

    hook!(linker, "contract_address", |mut c: Ctx, dest: u32| address_word(&mut c, dest, |c| c.frame().msg.address));
    hook!(linker, "msg_sender", |mut c: Ctx, dest: u32| address_word(&mut c, dest, |c| c.frame().msg.caller));
    hook!(linker, "tx_origin", |mut c: Ctx, dest: u32| address_word(&mut c, dest, |c| c.machine().tx.origin));
    hook!(linker, "block_coinbase", |mut c: Ctx, dest: u32| address_word(&mut c, dest, |c| c.machine().block.coinbase));
    hook!(linker, "msg_value", |mut c: Ctx, dest: u32| u256_word(&mut c, dest, |c| c.frame().msg.value));
    hook!(linker, "tx_gas_price", |mut c: Ctx, dest: u32| u256_word(&mut c, dest, |c| c.machine().tx.gas_price));
    hook!(linker, "block_basefee", |mut c: Ctx, dest: u32| u256_word(&mut c, dest, |c| c.machine().block.basefee));
    hook!(linker, "msg_reentrant", |mut c: Ctx| -> HostResult<u32> {
        c.charge_ink(HOSTIO_INK)?;
        Ok(c.frame().reentrant as u32)
    });

    hook!(linker, "chainid", |mut c: Ctx| number(&mut c, |c| c.machine().block.chain_id));
    hook!(linker, "block_number", |mut c: Ctx| number(&mut c, |c| c.machine().block.number));
    hook!(linker, "block_timestamp", |mut c: Ctx| number(&mut c, |c| c.machine().block.timestamp));
    hook!(linker, "block_gas_limit", |mut c: Ctx| number(&mut c, |c| c.machine().block.gas_limit));
    hook!(linker, "evm_gas_left", |mut c: Ctx| number(&mut c, |c| c.gas_left()));
    hook!(linker, "evm_ink_left", |mut c: Ctx| number(&mut c, |c| c.ink_left()));
    hook!(linker, "tx_ink_price", |mut c: Ctx| -> HostResult<u32> {
        c.charge_ink(HOSTIO_INK)?;
        Ok(INK_PER_GAS as u32)
    });

    hook!(linker, "native_keccak256", |mut c: Ctx, ptr: u32, len: u32, out: u32| -> HostResult<()> {
        c.charge_ink(keccak_price(len as usize))?;
        let hash: B256 = keccak256(c.read(ptr, len)?);
        c.write(out, hash.as_slice())
    });
    // nitro (user-host-trait `pay_for_memory_grow`): zero pages pay the host
    // call; otherwise only the memory model's gas for the pages opened.
    hook!(linker, "pay_for_memory_grow", |mut c: Ctx, pages: u32| -> HostResult<()> {
        if pages == 0 {
            return c.charge_ink(HOSTIO_INK);
        }
        let pages = u16::try_from(pages).unwrap_or(u16::MAX);
        let gas = c.machine().meter.pages.open(pages);
        c.charge_gas(gas)
    });

    hook!(linker, "console", "log_txt", |c: Ctx, ptr: u32, len: u32| -> HostResult<()> {
        eprintln!("[stylus console] {}", String::from_utf8_lossy(&c.read(ptr, len)?));
        Ok(())
    });
    hook!(linker, "console", "log_i32", |_: Ctx, value: i32| eprintln!("[stylus console] {value}"));
    hook!(linker, "console", "log_i64", |_: Ctx, value: i64| eprintln!("[stylus console] {value}"));
    hook!(linker, "console", "log_f32", |_: Ctx, value: f32| eprintln!("[stylus console] {value}"));
    hook!(linker, "console", "log_f64", |_: Ctx, value: f64| eprintln!("[stylus console] {value}"));
}
