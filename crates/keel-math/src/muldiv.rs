//! Full-precision multiply-then-divide on 256-bit words.

use alloy_primitives::{ruint::Uint, U256};

/// Direction in which a division that is not exact is rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Toward zero: used for anything paid out to a user.
    Down,
    /// Away from zero: used for anything taken from a user.
    Up,
}

/// Computes `a * b / c` without intermediate overflow.
///
/// Returns `None` when `c` is zero or the quotient does not fit in 256 bits.
/// Uses binary long division over the 512-bit product: a few hundred WASM
/// instructions per call, and a fraction of the code size of a general
/// 512-bit division (which matters under Stylus's 24 KiB limit).
pub fn mul_div(a: U256, b: U256, c: U256, rounding: Rounding) -> Option<U256> {
    if c.is_zero() {
        return None;
    }
    let product: Uint<512, 8> = a.widening_mul(b);
    let limbs = product.as_limbs();
    let high = U256::from_limbs([limbs[4], limbs[5], limbs[6], limbs[7]]);
    let low = U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]]);
    // The quotient fits in 256 bits exactly when the high half is below c.
    if high >= c {
        return None;
    }
    let (mut quotient, mut remainder) = (U256::ZERO, high);
    for i in (0..256).rev() {
        let carry = remainder.bit(255);
        remainder = (remainder << 1) | U256::from(u8::from(low.bit(i)));
        if carry || remainder >= c {
            remainder = remainder.wrapping_sub(c);
            quotient.set_bit(i, true);
        }
    }
    if rounding == Rounding::Up && !remainder.is_zero() {
        quotient = quotient.checked_add(U256::from(1u8))?;
    }
    Some(quotient)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn exact_and_rounded_quotients() {
        assert_eq!(mul_div(u(6), u(7), u(3), Rounding::Down), Some(u(14)));
        assert_eq!(mul_div(u(6), u(7), u(3), Rounding::Up), Some(u(14)));
        assert_eq!(mul_div(u(10), u(1), u(3), Rounding::Down), Some(u(3)));
        assert_eq!(mul_div(u(10), u(1), u(3), Rounding::Up), Some(u(4)));
    }

    #[test]
    fn zero_divisor_and_overflow_are_refused() {
        assert_eq!(mul_div(u(1), u(1), U256::ZERO, Rounding::Down), None);
        assert_eq!(mul_div(U256::MAX, U256::MAX, u(1), Rounding::Down), None);
        assert_eq!(mul_div(U256::MAX, u(1), u(1), Rounding::Up), Some(U256::MAX));
    }

    #[test]
    fn intermediate_overflow_is_handled() {
        // (2^255 * 4) / 8 = 2^254: the product needs 257 bits.
        let big = U256::from(1u8) << 255;
        assert_eq!(mul_div(big, u(4), u(8), Rounding::Down), Some(U256::from(1u8) << 254));
    }

    proptest! {
        #[test]
        fn matches_ruint_division(a in any::<[u64; 4]>(), b in any::<[u64; 4]>(), c in any::<[u64; 4]>()) {
            let (a, b, c) = (U256::from_limbs(a), U256::from_limbs(b), U256::from_limbs(c));
            prop_assume!(!c.is_zero());
            let product: Uint<512, 8> = a.widening_mul(b);
            let (q, r) = product.div_rem(Uint::<512, 8>::from(c));
            let expected = U256::checked_from_limbs_slice(q.as_limbs());
            prop_assert_eq!(mul_div(a, b, c, Rounding::Down), expected);
            let up = expected.and_then(|q| if r.is_zero() { Some(q) } else { q.checked_add(U256::from(1u8)) });
            prop_assert_eq!(mul_div(a, b, c, Rounding::Up), up);
        }

        #[test]
        fn matches_u128_reference(a in any::<u64>(), b in any::<u64>(), c in 1u64..) {
            let exact = (a as u128) * (b as u128);
            let down = exact / c as u128;
            let up = down + u128::from(!exact.is_multiple_of(c as u128));
            prop_assert_eq!(mul_div(u(a as u128), u(b as u128), u(c as u128), Rounding::Down), Some(u(down)));
            prop_assert_eq!(mul_div(u(a as u128), u(b as u128), u(c as u128), Rounding::Up), Some(u(up)));
        }
    }
}
