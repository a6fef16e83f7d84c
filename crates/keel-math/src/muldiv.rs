//! Full-precision multiply-then-divide on 256-bit words.

use alloy_primitives::U256;

/// Direction in which a division that is not exact is rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Toward zero: used for anything paid out to a user.
    Down,
    /// Away from zero: used for anything taken from a user.
    Up,
}

/// Limbs of 32 bits in a 256-bit word.
const LIMBS: usize = 8;

/// Computes `a * b / c` without intermediate overflow.
///
/// Returns `None` when `c` is zero or the quotient does not fit in 256 bits.
/// Exact schoolbook arithmetic on 32-bit limbs (Knuth's algorithm D for the
/// division): every step is one native 64-bit WASM operation, with no `u128`
/// helper calls, and the loops run only over the operands' significant limbs,
/// so the common case (a product of two values under 2^128 divided by 1e18)
/// takes a few dozen multiply-adds.
pub fn mul_div(a: U256, b: U256, c: U256, rounding: Rounding) -> Option<U256> {
    let n = limb_count(&c);
    if n == 0 {
        return None;
    }
    let (la, lb) = (limb_count(&a), limb_count(&b));
    // The product, then the running remainder; one spare limb takes what the
    // normalising shift pushes out of the top.
    let mut rem = [0u32; 2 * LIMBS + 1];
    for i in 0..la {
        let mut carry = 0u64;
        for k in 0..lb {
            let t = u64::from(limb(&a, i)) * u64::from(limb(&b, k)) + u64::from(rem[i + k]) + carry;
            rem[i + k] = t as u32;
            carry = t >> 32;
        }
        rem[i + lb] = carry as u32;
    }
    let len = (la + lb).max(n);
    // Shifting both operands so that the divisor's top bit is set keeps the
    // quotient and makes each estimated quotient limb at most 2 too large.
    let mut v: [u32; LIMBS] = core::array::from_fn(|i| limb(&c, i));
    let shift = v[n - 1].leading_zeros();
    shift_left(&mut v[..n], shift);
    shift_left(&mut rem[..len + 1], shift);
    let top = u64::from(v[n - 1]);
    let mut quotient = [0u64; 4];
    for j in (0..len + 1 - n).rev() {
        let head = u64::from(rem[j + n]) << 32 | u64::from(rem[j + n - 1]);
        let (mut q, mut r) = (head / top, head % top);
        // Refine the estimate with the divisor's second limb: at most 1 too large after this.
        while q >> 32 != 0 || (n > 1 && q * u64::from(v[n - 2]) > (r << 32 | u64::from(rem[j + n - 2]))) {
            q -= 1;
            r += top;
            if r >> 32 != 0 {
                break;
            }
        }
        let window = &mut rem[j..j + n + 1];
        if subtract_multiple(window, &v[..n], q) {
            q -= 1;
            add_back(window, &v[..n]);
        }
        if j >= LIMBS {
            // A quotient limb at 2^256 or above: the quotient does not fit.
            if q != 0 {
                return None;
            }
        } else {
            quotient[j / 2] |= q << (j % 2 * 32);
        }
    }
    let quotient = U256::from_limbs(quotient);
    // The remainder, shifted left (zero exactly when it is), is in the low n limbs.
    if rounding == Rounding::Up && rem[..n].iter().any(|limb| *limb != 0) {
        return quotient.checked_add(U256::from(1u8));
    }
    Some(quotient)
}

/// 32-bit limb `i` of `x`, least significant first.
fn limb(x: &U256, i: usize) -> u32 {
    (x.as_limbs()[i / 2] >> (i % 2 * 32)) as u32
}

/// How many 32-bit limbs `x` has once its leading zero limbs are dropped.
fn limb_count(x: &U256) -> usize {
    x.bit_len().div_ceil(32)
}

/// Shifts the number in `x` left by `shift < 32` bits, dropping what leaves the top limb.
fn shift_left(x: &mut [u32], shift: u32) {
    for i in (0..x.len()).rev() {
        let below = if i == 0 { 0 } else { x[i - 1] };
        x[i] = ((u64::from(x[i]) << 32 | u64::from(below)) << shift >> 32) as u32;
    }
}

/// Subtracts `q × v` (`q` below 2^32) from `u`, one limb longer than `v`;
/// returns whether the result went below zero (it is then off by 2^(32·len)).
fn subtract_multiple(u: &mut [u32], v: &[u32], q: u64) -> bool {
    let (mut carry, mut borrow) = (0u64, 0u64);
    for (i, limb) in u.iter_mut().enumerate() {
        let product = q * u64::from(v.get(i).copied().unwrap_or(0)) + carry;
        carry = product >> 32;
        let difference = u64::from(*limb).wrapping_sub(product & 0xffff_ffff).wrapping_sub(borrow);
        *limb = difference as u32;
        borrow = difference >> 63;
    }
    borrow != 0
}

/// Adds `v` back to `u` (one limb longer), dropping the final carry: undoes
/// one multiple of `v` from a subtraction that went below zero.
fn add_back(u: &mut [u32], v: &[u32]) {
    let mut carry = 0u64;
    for (i, limb) in u.iter_mut().enumerate() {
        let sum = u64::from(*limb) + u64::from(v.get(i).copied().unwrap_or(0)) + carry;
        *limb = sum as u32;
        carry = sum >> 32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::ruint::Uint;
    use proptest::prelude::*;

    type U512 = Uint<512, 8>;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    /// `a * b / c` from ruint's 512-bit division: `None` where `mul_div` must refuse.
    fn reference(a: U256, b: U256, c: U256, rounding: Rounding) -> Option<U256> {
        if c.is_zero() {
            return None;
        }
        let (q, r) = a.widening_mul::<256, 4, 512, 8>(b).div_rem(U512::from(c));
        let q = U256::checked_from_limbs_slice(q.as_limbs())?;
        if rounding == Rounding::Up && !r.is_zero() {
            return q.checked_add(u(1));
        }
        Some(q)
    }

    fn check(a: U256, b: U256, c: U256) {
        for rounding in [Rounding::Down, Rounding::Up] {
            assert_eq!(mul_div(a, b, c, rounding), reference(a, b, c, rounding), "{a} * {b} / {c} {rounding:?}");
        }
    }

    /// A word built from 32-bit limbs drawn from values that stress the
    /// quotient estimate (0, 1, the top bit alone or missing, all ones) and
    /// random ones, with a random number of leading zero limbs.
    fn word() -> impl Strategy<Value = U256> {
        let limb = prop_oneof![Just(0u32), Just(1), Just(0x7fff_ffff), Just(0x8000_0000), Just(u32::MAX), any::<u32>()];
        (proptest::collection::vec(limb, LIMBS), 0..=LIMBS).prop_map(|(limbs, keep)| {
            let mut word = U256::ZERO;
            for limb in &limbs[..keep] {
                word = (word << 32) | U256::from(*limb);
            }
            word
        })
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
        assert_eq!(mul_div(U256::ZERO, U256::ZERO, U256::ZERO, Rounding::Up), None);
        assert_eq!(mul_div(U256::MAX, U256::MAX, u(1), Rounding::Down), None);
        assert_eq!(mul_div(U256::MAX, u(1), u(1), Rounding::Up), Some(U256::MAX));
        // 2^256 exactly: one past the largest quotient.
        assert_eq!(mul_div(U256::from(1u8) << 128, U256::from(1u8) << 128, u(1), Rounding::Down), None);
        // MAX * 3 / 2 = 1.5 MAX.
        assert_eq!(mul_div(U256::MAX, u(3), u(2), Rounding::Down), None);
        // MAX * 3 / 3 is exact: rounding up adds nothing.
        assert_eq!(mul_div(U256::MAX, u(3), u(3), Rounding::Up), Some(U256::MAX));
    }

    #[test]
    fn quotients_just_above_max_are_refused() {
        // MAX * MAX / (MAX - 1) = MAX + 1 + 1 / (MAX - 1).
        assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX - u(1), Rounding::Down), None);
        // MAX * (MAX - 1) / MAX = MAX - 1 exactly.
        assert_eq!(mul_div(U256::MAX, U256::MAX - u(1), U256::MAX, Rounding::Up), Some(U256::MAX - u(1)));
        // MAX * (MAX - 2) / (MAX - 1) = MAX - 2 + 1 / (MAX - 1): rounding up gives MAX - 1.
        assert_eq!(mul_div(U256::MAX, U256::MAX - u(2), U256::MAX - u(1), Rounding::Down), Some(U256::MAX - u(2)));
        assert_eq!(mul_div(U256::MAX, U256::MAX - u(2), U256::MAX - u(1), Rounding::Up), Some(U256::MAX - u(1)));
        // A quotient of MAX with a remainder: fits rounded down, overflows rounded up.
        // 2^257 - 1 (the Mersenne number M257, a product of two 129-bit factors) / 2 = MAX + 1/2.
        let a: U256 = "0x1d12803812a2b913633c73681a2850bcf".parse().unwrap();
        let b: U256 = "0x119c7d242f69f19a967903f450593e4d1".parse().unwrap();
        assert_eq!(mul_div(a, b, u(2), Rounding::Down), Some(U256::MAX));
        assert_eq!(mul_div(a, b, u(2), Rounding::Up), None);
    }

    #[test]
    fn divisor_one_and_max_values() {
        for x in [U256::ZERO, u(1), u(u128::MAX), U256::MAX >> 1, U256::MAX] {
            assert_eq!(mul_div(x, u(1), u(1), Rounding::Down), Some(x));
            assert_eq!(mul_div(u(1), x, u(1), Rounding::Up), Some(x));
            check(x, U256::MAX, U256::MAX);
            check(U256::MAX, x, u(1));
            check(x, x, U256::MAX);
        }
        assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX, Rounding::Up), Some(U256::MAX));
    }

    #[test]
    fn intermediate_overflow_is_handled() {
        // (2^255 * 4) / 8 = 2^254: the product needs 257 bits.
        let big = U256::from(1u8) << 255;
        assert_eq!(mul_div(big, u(4), u(8), Rounding::Down), Some(U256::from(1u8) << 254));
    }

    #[test]
    fn products_just_above_two_to_the_256() {
        // (2^128 + 1)^2 = 2^256 + 2^129 + 1.
        let x = (U256::from(1u8) << 128) + u(1);
        assert_eq!(mul_div(x, x, u(2), Rounding::Down), Some((U256::from(1u8) << 255) + (U256::from(1u8) << 128)));
        assert_eq!(mul_div(x, x, u(2), Rounding::Up), Some((U256::from(1u8) << 255) + (U256::from(1u8) << 128) + u(1)));
        assert_eq!(mul_div(x, x, u(1), Rounding::Down), None);
        // MAX * 2 has 257 bits.
        check(U256::MAX, u(2), u(3));
        check(U256::MAX, u(2), u(2));
        check(x, x, x);
        check(x, x - u(2), x - u(1));
    }

    #[test]
    fn ceiling_at_exact_multiples_does_not_round() {
        let wad = u(10u128.pow(18));
        for (a, b, c) in [
            (wad * u(3), wad, wad),
            (u(7), U256::MAX / u(7), U256::MAX / u(7)),
            (U256::MAX, wad, wad),
            (u(1) << 200, u(1) << 100, u(1) << 60),
        ] {
            let down = mul_div(a, b, c, Rounding::Down);
            assert_eq!(mul_div(a, b, c, Rounding::Up), down, "{a} * {b} / {c}");
            check(a, b, c);
        }
    }

    #[test]
    fn quotient_limbs_estimated_too_high_are_corrected() {
        // Dividend (as 32-bit limbs, most significant first) 7fffffff 80000000 00000000 00000000 over
        // 80000000 00000000 00000001: the first estimate exceeds the quotient limb and the partial
        // remainder goes below zero, so one multiple of the divisor is added back.
        let dividend = U256::from(0x7fff_ffff_8000_0000_0000_0000_0000_0000u128);
        let divisor = U256::from(0x8000_0000_0000_0000_0000_0001u128);
        check(dividend, u(1), divisor);
        assert_eq!(mul_div(dividend, u(1), divisor, Rounding::Down), Some(u(0xffff_fffe)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4_096))]

        #[test]
        fn matches_512_bit_reference(a in word(), b in word(), c in word()) {
            check(a, b, c);
        }

        #[test]
        fn matches_512_bit_reference_on_random_words(a in any::<[u64; 4]>(), b in any::<[u64; 4]>(), c in any::<[u64; 4]>(), shift in 0usize..256) {
            let (a, b, c) = (U256::from_limbs(a), U256::from_limbs(b), U256::from_limbs(c));
            check(a, b, c);
            check(a >> shift, b, c);
            check(a, b >> shift, c >> shift);
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
