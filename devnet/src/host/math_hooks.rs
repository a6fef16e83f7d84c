//! nitro's 256-bit math host functions; each writes its result over its
//! first operand. Division or modulus by zero gives zero, as in the EVM.

use super::access::{HostAccess, HostResult};
use super::context_hooks::hook;
use super::HostCtx;
use crate::gas::{HOSTIO_INK, PTR_INK};
use alloy_primitives::U256;
use wasmi::{Caller, Linker};

type Ctx<'a> = Caller<'a, HostCtx>;

/// EVM gas of DIV / MOD.
const DIV_GAS: u64 = 5;
/// EVM gas of ADDMOD / MULMOD.
const MODMATH_GAS: u64 = 8;
/// EVM gas of EXP, plus [`EXP_BYTE_GAS`] per byte of exponent.
const EXP_GAS: u64 = 10;
/// EVM gas per significant byte of an EXP exponent.
const EXP_BYTE_GAS: u64 = 50;

/// Reads the operands at `ptrs`, applies `op` and writes the result at `ptrs[0]`.
fn apply<const N: usize>(caller: &mut Ctx, ptrs: [u32; N], gas: impl Fn(&[U256; N]) -> u64, op: impl Fn(&[U256; N]) -> U256) -> HostResult<()> {
    caller.charge_ink(HOSTIO_INK + N as u64 * PTR_INK)?;
    let mut operands = [U256::ZERO; N];
    for (operand, ptr) in operands.iter_mut().zip(ptrs) {
        *operand = caller.read_u256(ptr)?;
    }
    caller.charge_gas(gas(&operands))?;
    caller.write(ptrs[0], &op(&operands).to_be_bytes::<32>())
}

/// Defines the math host functions.
pub(super) fn define(linker: &mut Linker<HostCtx>) {
    hook!(linker, "math_div", |mut c: Ctx, value: u32, divisor: u32| {
        apply(&mut c, [value, divisor], |_| DIV_GAS, |[a, b]| a.checked_div(*b).unwrap_or_default())
    });
    hook!(linker, "math_mod", |mut c: Ctx, value: u32, modulus: u32| {
        apply(&mut c, [value, modulus], |_| DIV_GAS, |[a, m]| a.checked_rem(*m).unwrap_or_default())
    });
    hook!(linker, "math_pow", |mut c: Ctx, value: u32, exponent: u32| {
        let gas = |[_, e]: &[U256; 2]| EXP_GAS + EXP_BYTE_GAS * e.byte_len() as u64;
        apply(&mut c, [value, exponent], gas, |[a, e]| a.wrapping_pow(*e))
    });
    hook!(linker, "math_add_mod", |mut c: Ctx, value: u32, addend: u32, modulus: u32| {
        apply(&mut c, [value, addend, modulus], |_| MODMATH_GAS, |[a, b, m]| a.add_mod(*b, *m))
    });
    hook!(linker, "math_mul_mod", |mut c: Ctx, value: u32, multiplier: u32, modulus: u32| {
        apply(&mut c, [value, multiplier, modulus], |_| MODMATH_GAS, |[a, b, m]| a.mul_mod(*b, *m))
    });
}
