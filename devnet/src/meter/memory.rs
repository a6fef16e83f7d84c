//! nitro's memory model (arbos/programs/memory.go): a transaction's first
//! pages are free, then each page opened pays `PageGas`, and the most pages
//! ever open at once pay an exponential ramp.

use super::pricing::{FREE_PAGES, PAGE_GAS};

/// Pages of memory open in the transaction's Stylus frames, and the most
/// ever open at once (geth's `GetStylusPages`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pages {
    /// Pages open now.
    pub open: u16,
    /// Most pages open at once so far in the transaction.
    pub ever: u16,
}

impl Pages {
    /// Opens `new` pages, returning their gas (geth's `AddStylusPages`
    /// followed by `MemoryModel.GasCost` on the counts before it).
    pub fn open(&mut self, new: u16) -> u64 {
        let gas = gas_cost(new, self.open, self.ever);
        self.open = self.open.saturating_add(new);
        self.ever = self.ever.max(self.open);
        gas
    }
}

/// Gas of opening `new` pages when `open` are open and `ever` have been (memory.go `GasCost`).
pub fn gas_cost(new: u16, open: u16, ever: u16) -> u64 {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    if new_ever <= FREE_PAGES {
        return 0;
    }
    let beyond_free = |pages: u16| pages.saturating_sub(FREE_PAGES);
    let adding = beyond_free(new_open).saturating_sub(beyond_free(open));
    let linear = u64::from(adding) * PAGE_GAS;
    linear.saturating_add(ramp(new_ever).saturating_sub(ramp(ever)))
}

/// The exponential term for `pages` pages (memory.go `exp`: PageRamp precomputed).
fn ramp(pages: u16) -> u64 {
    MEMORY_EXPONENTS.get(pages as usize).map_or(u64::MAX, |gas| u64::from(*gas))
}

/// memory.go's `memoryExponents`.
const MEMORY_EXPONENTS: [u32; 129] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 22, 25, 29, 33, 38, 43, 50, 57, 65, 75, 85, 98, 112, 128,
    147, 168, 193, 221, 253, 289, 331, 379, 434, 497, 569, 651, 745, 853, 976, 1117, 1279, 1463, 1675, 1917, 2194, 2511, 2874, 3290, 3765,
    4309, 4932, 5645, 6461, 7395, 8464, 9687, 11087, 12689, 14523, 16621, 19024, 21773, 24919, 28521, 32642, 37359, 42758, 48938, 56010,
    64104, 73368, 83971, 96106, 109994, 125890, 144082, 164904, 188735, 216010, 247226, 282953, 323844, 370643, 424206, 485509, 555672,
    635973, 727880, 833067, 953456, 1091243, 1248941, 1429429, 1636000, 1872423, 2143012, 2452704, 2807151, 3212820, 3677113, 4208502,
    4816684, 5512756, 6309419, 7221210, 8264766, 9459129, 10826093, 12390601, 14181199, 16230562, 18576084, 21260563, 24332984, 27849408,
    31873999,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_two_pages_of_a_transaction_are_free() {
        let mut pages = Pages::default();
        assert_eq!(pages.open(2), 0);
        assert_eq!(pages, Pages { open: 2, ever: 2 });
    }

    #[test]
    fn pages_beyond_the_free_ones_pay_page_gas_and_the_ramp() {
        let mut pages = Pages { open: 2, ever: 2 };
        // 2 -> 5 pages: 3 * 1000 linear, ramp exp(5) - exp(2) = 1 - 1 = 0.
        assert_eq!(pages.open(3), 3_000);
        // 5 -> 12 pages: 7 * 1000, ramp exp(12) - exp(5) = 5 - 1.
        assert_eq!(pages.open(7), 7_004);
    }

    #[test]
    fn pages_reopened_after_a_frame_closed_pay_only_linear_gas() {
        // A frame that opened 10 pages returned: 0 open, 10 ever.
        let mut pages = Pages { open: 0, ever: 10 };
        // Reopening 10: linear for the 8 beyond the free 2, no new ramp.
        assert_eq!(pages.open(10), 8_000);
        assert_eq!(gas_cost(200, 0, 0), u64::MAX, "past the exponent table nothing can pay");
    }
}
