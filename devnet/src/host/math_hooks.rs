//! nitro's 256-bit math host functions; each writes its result over its
//! first operand. Division or modulus by zero gives zero, as in the EVM.
//! Prices are nitro's ink (user-host-trait `math_*`, arbutil pricing.rs).

use super::access::{HostAccess, HostResult};
use super::context_hooks::hook;
use super::HostCtx;
use crate::gas::{HOSTIO_INK, PTR_INK};
use crate::meter::hostio::{pow_price, ADD_MOD_INK, DIV_INK, MUL_MOD_INK};
use alloy_primitives::U256;
use wasmi::{Caller, Linker};

type Ctx<'a> = Caller<'a, HostCtx>;

/// Reads the operands at `ptrs`, applies `op` and writes the result at
/// `ptrs[0]`; pays the call, one pointer more than operands (nitro's
/// `MATH_*_BASE_INK`), and `ink` of the operands.
fn apply<const N: usize>(
    caller: &mut Ctx,
    ptrs: [u32; N],
    ink: impl Fn(&[U256; N]) -> u64,
    op: impl Fn(&[U256; N]) -> U256,
) -> HostResult<()> {
    let mut operands = [U256::ZERO; N];
    for (operand, ptr) in operands.iter_mut().zip(ptrs) {
        *operand = caller.read_u256(ptr)?;
    }
    caller.charge_ink(HOSTIO_INK + (N as u64 + 1) * PTR_INK + ink(&operands))?;
    caller.write(ptrs[0], &op(&operands).to_be_bytes::<32>())
}

/// Defines the math host functions.
pub(super) fn define(linker: &mut Linker<HostCtx>) {
    hook!(linker, "math_div", |mut c: Ctx, value: u32, divisor: u32| {
        apply(&mut c, [value, divisor], |_| DIV_INK, |[a, b]| a.checked_div(*b).unwrap_or_default())
    });
    hook!(linker, "math_mod", |mut c: Ctx, value: u32, modulus: u32| {
        apply(&mut c, [value, modulus], |_| DIV_INK, |[a, m]| a.checked_rem(*m).unwrap_or_default())
    });
    hook!(linker, "math_pow", |mut c: Ctx, value: u32, exponent: u32| {
        let ink = |[_, e]: &[U256; 2]| pow_price(e.to_be_bytes::<32>().into());
        apply(&mut c, [value, exponent], ink, |[a, e]| a.wrapping_pow(*e))
    });
    hook!(linker, "math_add_mod", |mut c: Ctx, value: u32, addend: u32, modulus: u32| {
        apply(&mut c, [value, addend, modulus], |_| ADD_MOD_INK, |[a, b, m]| a.add_mod(*b, *m))
    });
    hook!(linker, "math_mul_mod", |mut c: Ctx, value: u32, multiplier: u32, modulus: u32| {
        apply(&mut c, [value, multiplier, modulus], |_| MUL_MOD_INK, |[a, b, m]| a.mul_mod(*b, *m))
    });
}
