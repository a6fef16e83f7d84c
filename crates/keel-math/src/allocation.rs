//! Unique-stake allocations of an operator's magnitude to operator sets.
//!
//! Per (operator, strategy) an operator holds a *max magnitude* (1e18 until
//! slashed, then only decreasing; it mirrors the DelegationManager's slashing
//! factor) and an *encumbered magnitude*: the sum of its allocations plus
//! their pending increases. Per (operator, operator set, strategy) it holds an
//! [`Allocation`]: the current magnitude and at most one pending change with
//! the time it takes effect. A set's slashable stake is
//! `operator shares × current / max`, so a slash in one set lowers `max` and
//! that set's `current` by the same amount and leaves every other set's stake
//! unchanged (unique stake).
//!
//! Increases encumber magnitude at once and become slashable after the
//! operator's allocation delay; decreases stay allocated, encumbered and
//! slashable until the deallocation delay has passed. `encumbered ≤ max`
//! always holds, so over-allocation is impossible. Changes are applied lazily
//! ([`Allocation::settle`]) when the allocation is next read or written.
//!
//! Magnitudes are at most 1e18 and fit in a `u64`; slashed magnitude rounds up.

use alloy_primitives::U256;

/// 1e18: the full magnitude of a strategy, and the unit of slash wads.
pub const FULL: u64 = 1_000_000_000_000_000_000;

/// One operator's magnitudes in one strategy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Magnitudes {
    /// The most the operator can allocate: 1e18 until slashed.
    pub max: u64,
    /// Allocated plus pending increases (decreases release it once effective).
    pub encumbered: u64,
}

impl Magnitudes {
    /// Unpacks a storage word; the zero word is an unslashed, unallocated operator.
    pub fn unpack(word: U256) -> Self {
        let limbs = word.as_limbs();
        Self { max: FULL.saturating_sub(limbs[0]), encumbered: limbs[1] }
    }

    /// One storage word: the slashed magnitude (so zero means 1e18) and the encumbered magnitude.
    pub fn pack(self) -> U256 {
        U256::from_limbs([FULL - self.max, self.encumbered, 0, 0])
    }

    /// Magnitude still free to allocate.
    pub fn allocatable(self) -> u64 {
        self.max.saturating_sub(self.encumbered)
    }
}

/// One operator's allocation to one operator set in one strategy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allocation {
    /// Magnitude slashable now.
    pub current: u64,
    /// Size of the pending change (zero: none).
    pub pending: u64,
    /// Whether the pending change is a decrease.
    pub decrease: bool,
    /// When the pending change takes effect.
    pub effective_at: u64,
}

/// Why an allocation cannot be changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocationError {
    /// A change is already pending, effective at this time.
    Pending(u64),
    /// The increase needs more free magnitude than is left (`available`).
    Insufficient {
        /// Free magnitude.
        available: u64,
        /// Increase asked for.
        requested: u64,
    },
}

impl Allocation {
    /// Unpacks a storage word.
    pub fn unpack(word: U256) -> Self {
        let l = word.as_limbs();
        Self { current: l[0], pending: l[1], effective_at: l[2], decrease: l[3] != 0 }
    }

    /// One storage word.
    pub fn pack(self) -> U256 {
        U256::from_limbs([self.current, self.pending, self.effective_at, self.decrease as u64])
    }

    /// The magnitude once the pending change (if any) has taken effect.
    pub fn target(self) -> u64 {
        if self.decrease {
            self.current - self.pending
        } else {
            self.current + self.pending
        }
    }

    /// The allocation as it is at `now`, and the magnitude a decrease that
    /// took effect releases from the encumbered total.
    pub fn settle(self, now: u64) -> (Self, u64) {
        if self.pending == 0 || now < self.effective_at {
            return (self, 0);
        }
        let released = if self.decrease { self.pending } else { 0 };
        (Self { current: self.target(), ..Self::default() }, released)
    }
}

/// Schedules the change of a settled allocation to `target`: an increase
/// (encumbering the difference at once) effective after `allocation_delay`, a
/// decrease effective after `deallocation_delay`. Asking for the current
/// magnitude changes nothing.
pub fn modify(
    allocation: Allocation,
    magnitudes: Magnitudes,
    target: u64,
    now: u64,
    allocation_delay: u64,
    deallocation_delay: u64,
) -> Result<(Allocation, Magnitudes), AllocationError> {
    if allocation.pending != 0 {
        return Err(AllocationError::Pending(allocation.effective_at));
    }
    let current = allocation.current;
    if target == current {
        return Ok((allocation, magnitudes));
    }
    if target > current {
        let requested = target - current;
        let available = magnitudes.allocatable();
        if requested > available {
            return Err(AllocationError::Insufficient { available, requested });
        }
        let next = Allocation { current, pending: requested, decrease: false, effective_at: now.saturating_add(allocation_delay) };
        return Ok((next, Magnitudes { encumbered: magnitudes.encumbered + requested, ..magnitudes }));
    }
    let next = Allocation { current, pending: current - target, decrease: true, effective_at: now.saturating_add(deallocation_delay) };
    Ok((next, magnitudes))
}

/// Magnitude a slash of `wad` (1e18 = all) takes from `allocated`, rounded up.
pub fn slashed_magnitude(allocated: u64, wad: u64) -> u64 {
    let product = allocated as u128 * wad.min(FULL) as u128;
    product.div_ceil(FULL as u128) as u64
}

/// Slashes `wad` of a settled allocation: its current magnitude, the
/// operator's max and encumbered magnitudes all fall by the slashed
/// magnitude; a pending decrease shrinks in proportion (a pending increase is
/// not slashable yet and stays). Returns the new state and the magnitude slashed.
pub fn slash(allocation: Allocation, magnitudes: Magnitudes, wad: u64) -> (Allocation, Magnitudes, u64) {
    let slashed = slashed_magnitude(allocation.current, wad);
    let mut next = Allocation { current: allocation.current - slashed, ..allocation };
    if allocation.decrease {
        next.pending -= slashed_magnitude(allocation.pending, wad);
        if next.pending == 0 {
            next = Allocation { current: next.current, ..Allocation::default() };
        }
    }
    let magnitudes = Magnitudes { max: magnitudes.max - slashed, encumbered: magnitudes.encumbered - slashed };
    (next, magnitudes, slashed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PCT: u64 = FULL / 100;
    const FRESH: Magnitudes = Magnitudes { max: FULL, encumbered: 0 };

    #[test]
    fn packing_round_trips_and_zero_is_fresh() {
        assert_eq!(Magnitudes::unpack(U256::ZERO), FRESH);
        let m = Magnitudes { max: 7 * PCT, encumbered: 3 * PCT };
        assert_eq!(Magnitudes::unpack(m.pack()), m);
        let a = Allocation { current: 5, pending: 2, decrease: true, effective_at: 99 };
        assert_eq!(Allocation::unpack(a.pack()), a);
        assert_eq!(Allocation::unpack(U256::ZERO), Allocation::default());
    }

    #[test]
    fn increases_wait_for_the_allocation_delay_and_decreases_for_the_deallocation_delay() {
        let (a, m) = modify(Allocation::default(), FRESH, 40 * PCT, 100, 10, 50).unwrap();
        assert_eq!((a.current, a.target(), a.effective_at, m.encumbered), (0, 40 * PCT, 110, 40 * PCT));
        assert_eq!(a.settle(109), (a, 0));
        let (a, released) = a.settle(110);
        assert_eq!((a.current, a.pending, released), (40 * PCT, 0, 0));
        let (d, m) = modify(a, m, 10 * PCT, 200, 10, 50).unwrap();
        assert_eq!((d.current, d.effective_at, m.encumbered), (40 * PCT, 250, 40 * PCT));
        assert_eq!(modify(d, m, 0, 201, 10, 50), Err(AllocationError::Pending(250)));
        assert_eq!(d.settle(250).0.current, 10 * PCT);
        assert_eq!(d.settle(250).1, 30 * PCT);
    }

    #[test]
    fn over_allocation_is_refused() {
        let m = Magnitudes { max: FULL, encumbered: 70 * PCT };
        let err = modify(Allocation::default(), m, 31 * PCT, 0, 0, 0).unwrap_err();
        assert_eq!(err, AllocationError::Insufficient { available: 30 * PCT, requested: 31 * PCT });
    }

    #[test]
    fn a_slash_rounds_up_and_shrinks_a_pending_decrease() {
        assert_eq!(slashed_magnitude(3, FULL / 2), 2);
        assert_eq!(slashed_magnitude(FULL, FULL), FULL);
        let a = Allocation { current: 50 * PCT, pending: 20 * PCT, decrease: true, effective_at: 9 };
        let m = Magnitudes { max: FULL, encumbered: 60 * PCT };
        let (a, m, slashed) = slash(a, m, 10 * PCT);
        assert_eq!(slashed, 5 * PCT);
        assert_eq!((a.current, a.pending, a.target()), (45 * PCT, 18 * PCT, 27 * PCT));
        assert_eq!((m.max, m.encumbered), (95 * PCT, 55 * PCT));
    }

    #[derive(Debug, Clone)]
    enum Step {
        Modify(usize, u64),
        Slash(usize, u64),
        Advance(u64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => (0..4usize, 0..=FULL).prop_map(|(s, t)| Step::Modify(s, t)),
            2 => (0..4usize, 1..=FULL).prop_map(|(s, w)| Step::Slash(s, w)),
            2 => (0u64..=60).prop_map(Step::Advance),
        ]
    }

    proptest! {
        /// Four sets of one operator in one strategy under random changes and slashes.
        #[test]
        fn magnitudes_only_fall_and_allocations_never_exceed_the_max(steps in proptest::collection::vec(step(), 1..60)) {
            let (mut sets, mut m, mut now) = ([Allocation::default(); 4], FRESH, 0u64);
            for step in steps {
                let before = m.max;
                match step {
                    Step::Modify(s, target) => {
                        let (a, released) = sets[s].settle(now);
                        m.encumbered -= released;
                        sets[s] = a;
                        if let Ok((a, next)) = modify(a, m, target.min(m.max), now, 10, 30) {
                            sets[s] = a;
                            m = next;
                        }
                    }
                    Step::Slash(s, wad) => {
                        let (a, released) = sets[s].settle(now);
                        m.encumbered -= released;
                        let (a, next, slashed) = slash(a, m, wad);
                        prop_assert!(slashed <= sets[s].settle(now).0.current);
                        prop_assert!((slashed as u128 * FULL as u128) < sets[s].settle(now).0.current as u128 * wad as u128 + FULL as u128);
                        sets[s] = a;
                        m = next;
                    }
                    Step::Advance(dt) => now += dt,
                }
                prop_assert!(m.max <= before, "max magnitude rose");
                prop_assert!(m.encumbered <= m.max, "encumbered {} > max {}", m.encumbered, m.max);
                let committed: u64 = sets.iter().map(|a| a.current.max(a.target())).sum();
                prop_assert_eq!(committed, m.encumbered);
                let slashable: u64 = sets.iter().map(|a| a.settle(now).0.current).sum();
                prop_assert!(slashable <= m.max);
            }
        }
    }
}
