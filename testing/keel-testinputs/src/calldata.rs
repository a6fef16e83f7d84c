//! Deterministic ABI calldata: well-formed argument lists of a given shape,
//! and the ways to break them (hostile offsets and lengths, overlapping
//! tails, truncations, trailing bytes, overwritten words, flipped bits).

use alloy_primitives::U256;

/// SplitMix64: deterministic cases from a seed.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }

    /// A random 32-byte word.
    pub fn word(&mut self) -> [u8; 32] {
        self.bytes(32).try_into().unwrap()
    }
}

/// A one-word ABI type, by how many of its low bytes may be non-zero and
/// whether only 0 and 1 are valid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Word {
    /// `uint256` and `bytes32`: every word is valid.
    Full,
    /// `address` (20), `uint64` (8), `uint32` (4), `uint8` (1): the high bytes must be zero.
    Low(usize),
    /// `bytes4` (4), `bytes20` (20): left-aligned, the low bytes must be zero.
    High(usize),
    /// `bool`: 0 or 1.
    Bool,
}

/// `address`.
pub const ADDRESS: Word = Word::Low(20);
/// `uint64`.
pub const UINT64: Word = Word::Low(8);

impl Word {
    /// A word of this type: usually valid, sometimes (15%) with dirty high
    /// bits or a bool above 1.
    pub fn value(self, rng: &mut Rng) -> [u8; 32] {
        let mut word = rng.word();
        let dirty = rng.chance(15);
        match self {
            Word::Full => {}
            Word::Low(bytes) if !dirty => word[..32 - bytes].fill(0),
            Word::High(bytes) if !dirty => word[bytes..].fill(0),
            Word::High(bytes) => {
                // One dirty byte somewhere in the padding that must be zero.
                word[bytes..].fill(0);
                let at = bytes + rng.below(32 - bytes);
                word[at] = word[at].max(1);
            }
            Word::Bool if !dirty => {
                word = [0; 32];
                word[31] = rng.below(2) as u8;
            }
            Word::Low(_) | Word::Bool => {
                // One dirty byte somewhere in what must be zero (or a bool of 2..=255).
                word[..31].fill(0);
                let at = rng.below(32);
                word[at] = word[at].max(2);
            }
        }
        word
    }

    /// The word type of Solidity type `ty` (`address`, `bool`, `bytesN`, `uintN`).
    pub fn of(ty: &str) -> Option<Word> {
        match ty {
            "address" => Some(ADDRESS),
            "bool" => Some(Word::Bool),
            "bytes32" | "uint256" => Some(Word::Full),
            _ => match ty.strip_prefix("bytes") {
                Some(n) => n.parse::<usize>().ok().filter(|n| (1..32).contains(n)).map(Word::High),
                None => ty
                    .strip_prefix("uint")?
                    .parse::<usize>()
                    .ok()
                    .filter(|bits| bits % 8 == 0 && *bits < 256)
                    .map(|bits| Word::Low(bits / 8)),
            },
        }
    }
}

/// The shape of one parameter, to build calldata for it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param {
    /// One head word.
    Static(Word),
    /// `bytes`.
    Bytes,
    /// `string` (mostly ASCII, sometimes invalid UTF-8).
    String,
    /// A dynamic array of words.
    Array(Word),
    /// `bytes[]` (a batch of calls: short random byte strings).
    ByteStrings,
}

impl Param {
    /// The shape of Solidity type `ty`, if the generator supports it (no tuples, no fixed arrays).
    pub fn of(ty: &str) -> Option<Param> {
        match ty {
            "bytes" => Some(Param::Bytes),
            "string" => Some(Param::String),
            "bytes[]" => Some(Param::ByteStrings),
            _ => match ty.strip_suffix("[]") {
                Some(element) => Word::of(element).map(Param::Array),
                None => Word::of(ty).map(Param::Static),
            },
        }
    }

    /// Whether the parameter lives in the tail (its head word is an offset).
    pub fn is_dynamic(self) -> bool {
        !matches!(self, Param::Static(_))
    }
}

/// The contents of a `bytes[]` after its length word: one offset per
/// element (counted from the first of them), then each element's length and
/// padded bytes.
fn byte_strings(elements: &[Vec<u8>]) -> Vec<u8> {
    let (mut heads, mut tails) = (Vec::new(), Vec::new());
    for element in elements {
        heads.extend(usize_word(32 * elements.len() + tails.len()));
        tails.extend(usize_word(element.len()));
        tails.extend(element);
        tails.resize(tails.len().div_ceil(32) * 32, 0);
    }
    [heads, tails].concat()
}

/// A 32-byte big-endian word holding `value`.
pub fn usize_word(value: usize) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

/// Calldata built for an argument list (after the selector), with where
/// each dynamic parameter's offset word and length word are.
pub struct Built {
    /// The encoded arguments.
    pub data: Vec<u8>,
    /// Positions of the dynamic parameters' offset words (in the head).
    pub offsets: Vec<usize>,
    /// Positions of their length words (in the tail).
    pub lengths: Vec<usize>,
}

/// Well-formed calldata for `params`: random words (see [`Word::value`]),
/// short random `bytes`, strings and arrays.
pub fn well_formed(params: &[Param], rng: &mut Rng) -> Built {
    let head_len = 32 * params.len();
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let (mut offsets, mut lengths) = (Vec::new(), Vec::new());
    for param in params {
        let (len, mut content) = match *param {
            Param::Static(word) => {
                head.extend(word.value(rng));
                continue;
            }
            Param::Bytes => {
                let len = rng.below(70);
                (len, rng.bytes(len))
            }
            Param::String => {
                let len = rng.below(40);
                let text = if rng.chance(70) { (0..len).map(|_| b' ' + rng.below(95) as u8).collect() } else { rng.bytes(len) };
                (len, text)
            }
            Param::Array(word) => {
                let len = rng.below(5);
                (len, (0..len).flat_map(|_| word.value(rng)).collect())
            }
            Param::ByteStrings => {
                let len = rng.below(4);
                let elements: Vec<Vec<u8>> = (0..len)
                    .map(|_| {
                        let n = rng.below(70);
                        rng.bytes(n)
                    })
                    .collect();
                (len, byte_strings(&elements))
            }
        };
        offsets.push(head.len());
        head.extend(usize_word(head_len + tail.len()));
        lengths.push(head_len + tail.len());
        tail.extend(usize_word(len));
        content.resize(content.len().div_ceil(32) * 32, 0);
        tail.extend(content);
    }
    Built { data: [head, tail].concat(), offsets, lengths }
}

/// Values an offset or length word is set to: in and around the calldata,
/// unaligned, near the limits of `u32` and `usize`, or with dirty high bits.
pub fn hostile_size(rng: &mut Rng, data_len: usize, current: usize) -> [u8; 32] {
    let value = match rng.below(12) {
        0 => U256::from(rng.below(data_len + 64)),
        1 => U256::from(current.saturating_sub(32 * (1 + rng.below(4)))),
        2 => U256::from(current) + U256::from(1 + rng.below(64)),
        3 => U256::from(data_len.saturating_sub(rng.below(40))),
        4 => U256::from(u32::MAX) - U256::from(rng.below(64)),
        5 => U256::from(u32::MAX) + U256::from(rng.below(64)),
        6 => U256::from(usize::MAX) - U256::from(rng.below(64)),
        7 => U256::from(usize::MAX) + U256::from(rng.below(64)),
        8 => U256::MAX - U256::from(rng.below(64)),
        // Dirty high bits over a plausible value.
        9 => (U256::from(1u8) << (64 + rng.below(192))) | U256::from(current),
        10 => U256::from(current / 32 * 32 + rng.below(32)),
        _ => U256::from(32 * rng.below(data_len / 32 + 2)),
    };
    value.to_be_bytes()
}

/// An offset that points past the end of `data_len` bytes of arguments
/// (a whole word or more, or `2^256 − 1`): decoding it must fail.
pub fn outside_offset(rng: &mut Rng, data_len: usize) -> [u8; 32] {
    let value = if rng.chance(50) { U256::MAX } else { U256::from(data_len + 32 * (1 + rng.below(8))) };
    value.to_be_bytes()
}

/// The size (saturated) in the word at `at`, if the calldata still holds it.
fn size_at(data: &[u8], at: usize) -> Option<usize> {
    data.get(at..at + 32).map(|word| U256::from_be_slice(word).saturating_to())
}

/// Overwrites the word at `at`, if the calldata still holds it.
pub fn set_word(data: &mut [u8], at: usize, word: [u8; 32]) {
    if let Some(slot) = data.get_mut(at..at + 32) {
        slot.copy_from_slice(&word);
    }
}

/// Breaks well-formed calldata in one to three ways.
pub fn mutate(built: &mut Built, rng: &mut Rng) {
    let Built { data, offsets, lengths } = built;
    for _ in 0..1 + rng.below(3) {
        match rng.below(9) {
            // An offset pointing elsewhere: backward, into the head, into or across other data.
            0 | 1 if !offsets.is_empty() => {
                let at = offsets[rng.below(offsets.len())];
                if let Some(current) = size_at(data, at) {
                    let word = hostile_size(rng, data.len(), current);
                    set_word(data, at, word);
                }
            }
            // Two dynamic parameters sharing one tail (overlapping data).
            2 if offsets.len() > 1 => {
                let (from, to) = (offsets[rng.below(offsets.len())], offsets[rng.below(offsets.len())]);
                if let Some(offset) = size_at(data, from) {
                    set_word(data, to, usize_word(offset));
                }
            }
            // A length word set to a hostile size.
            3 | 4 if !lengths.is_empty() => {
                let at = lengths[rng.below(lengths.len())];
                if let Some(current) = size_at(data, at) {
                    let word = hostile_size(rng, data.len(), current);
                    set_word(data, at, word);
                }
            }
            // Truncated, at or around a word boundary or anywhere.
            5 => {
                let cut = if rng.chance(50) {
                    (32 * rng.below(data.len() / 32 + 1) + rng.below(3)).saturating_sub(1)
                } else {
                    rng.below(data.len() + 1)
                };
                data.truncate(cut);
            }
            // Trailing bytes.
            6 => {
                let extra = rng.below(70);
                data.extend(rng.bytes(extra));
            }
            // A random word overwritten with a random or a small value.
            7 if data.len() >= 32 => {
                let at = rng.below(data.len() / 32) * 32;
                let word = if rng.chance(50) { rng.word() } else { usize_word(rng.below(300)) };
                set_word(data, at, word);
            }
            // A random byte flipped.
            _ if !data.is_empty() => {
                let at = rng.below(data.len());
                data[at] ^= 1 << rng.below(8);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solidity_types_map_to_shapes() {
        assert_eq!(Param::of("address"), Some(Param::Static(ADDRESS)));
        assert_eq!(Param::of("uint64[]"), Some(Param::Array(UINT64)));
        assert_eq!(Param::of("uint8"), Some(Param::Static(Word::Low(1))));
        assert_eq!(Param::of("bytes32"), Some(Param::Static(Word::Full)));
        assert_eq!(Param::of("bytes4"), Some(Param::Static(Word::High(4))));
        assert_eq!(Param::of("bytes0"), None);
        assert_eq!(Param::of("string"), Some(Param::String));
        assert_eq!(Param::of("bytes[]"), Some(Param::ByteStrings));
        assert_eq!(Param::of("(uint256,address)"), None);
    }

    #[test]
    fn well_formed_calldata_points_each_offset_at_its_length() {
        let params = [Param::Static(ADDRESS), Param::Bytes, Param::Array(Word::Full)];
        let built = well_formed(&params, &mut Rng(7));
        assert_eq!(built.offsets, [32, 64]);
        for (offset, length) in built.offsets.iter().zip(&built.lengths) {
            assert_eq!(size_at(&built.data, *offset), Some(*length));
        }
        assert_eq!(built.data.len() % 32, 0);
    }
}
