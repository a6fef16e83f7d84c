//! Differential fuzz of Keel's ABI decoder against alloy's validating decoder.
//!
//! Keel's contracts decode calldata with `keel_components::abi::Decoder` (one
//! shared function per ABI type) instead of alloy's decoder; this test holds
//! the two to the same answers. For argument lists shaped like Keel's
//! functions (every type the decoder supports: static words, `bytes`,
//! `string`, arrays of words), it builds well-formed calldata and then breaks
//! it: offsets pointing backward, into the head, into or across another
//! argument's data (overlapping), past the end, unaligned, near `u32::MAX`,
//! `usize::MAX` and with dirty high bits; lengths one too long, near
//! `u32::MAX` or huge; truncations at and around word boundaries; dirty high
//! bits in addresses, bools and small integers; invalid UTF-8; trailing
//! bytes; random byte and word overwrites. Each input must decode without a
//! panic, and either both decoders accept it with equal values or both
//! refuse it. `ABI_DIFFERENTIAL_CASES` (default 40,000) sets the number of
//! inputs; they are deterministic (SplitMix64, fixed seed).

use alloy_primitives::{hex, U256};
use alloy_sol_types::{abi::TokenSeq, sol_data, SolType};
use core::fmt::Debug;
use keel_components::abi::{AbiArg, Decoder, Reject};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// SplitMix64: deterministic cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    fn word(&mut self) -> [u8; 32] {
        self.bytes(32).try_into().unwrap()
    }
}

/// A one-word ABI type, by how many of its high bytes must be zero and
/// whether only 0 and 1 are valid.
#[derive(Clone, Copy)]
enum Word {
    /// `uint256` and `bytes32`: every word is valid.
    Full,
    /// `address`, `uint64`, `uint32`, `uint8`: the high bytes must be zero.
    Low(usize),
    /// `bool`: 0 or 1.
    Bool,
}

/// The shape of one parameter, to build calldata for it.
#[derive(Clone, Copy)]
enum Param {
    Static(Word),
    Bytes,
    String,
    Array(Word),
}

const ADDRESS: Word = Word::Low(20);
const UINT64: Word = Word::Low(8);

impl Word {
    /// A word of this type: usually valid, sometimes with dirty high bits or
    /// a bool above 1.
    fn value(self, rng: &mut Rng) -> [u8; 32] {
        let mut word = rng.word();
        let dirty = rng.chance(15);
        match self {
            Word::Full => {}
            Word::Low(bytes) if !dirty => word[..32 - bytes].fill(0),
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
}

fn usize_word(value: usize) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

/// Well-formed calldata for `params` (after the selector), and where each
/// dynamic parameter's offset word and length word are.
fn well_formed(params: &[Param], rng: &mut Rng) -> (Vec<u8>, Vec<usize>, Vec<usize>) {
    let head_len = 32 * params.len();
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let (mut offsets, mut lengths) = (Vec::new(), Vec::new());
    for param in params {
        let content = match *param {
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
                // Mostly ASCII, sometimes arbitrary bytes (often not UTF-8).
                let text = if rng.chance(70) { (0..len).map(|_| b' ' + rng.below(95) as u8).collect() } else { rng.bytes(len) };
                (len, text)
            }
            Param::Array(word) => {
                let len = rng.below(5);
                (len, (0..len).flat_map(|_| word.value(rng)).collect())
            }
        };
        offsets.push(head.len());
        head.extend(usize_word(head_len + tail.len()));
        lengths.push(head_len + tail.len());
        tail.extend(usize_word(content.0));
        let mut data = content.1;
        data.resize(data.len().div_ceil(32) * 32, 0);
        tail.extend(data);
    }
    ([head, tail].concat(), offsets, lengths)
}

/// Values an offset or length word is set to: in and around the calldata,
/// unaligned, and near the limits of `u32` and `usize`, or with dirty high bits.
fn hostile_size(rng: &mut Rng, data_len: usize, current: usize) -> [u8; 32] {
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

/// The size (saturated) in the word at `at`, if the calldata still holds it.
fn size_at(data: &[u8], at: usize) -> Option<usize> {
    data.get(at..at + 32).map(|word| U256::from_be_slice(word).saturating_to())
}

/// Overwrites the word at `at`, if the calldata still holds it.
fn set_word(data: &mut [u8], at: usize, word: [u8; 32]) {
    if let Some(slot) = data.get_mut(at..at + 32) {
        slot.copy_from_slice(&word);
    }
}

/// Breaks well-formed calldata in one to three ways.
fn mutate(data: &mut Vec<u8>, offsets: &[usize], lengths: &[usize], rng: &mut Rng) {
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
                let cut = if rng.chance(50) { (32 * rng.below(data.len() / 32 + 1) + rng.below(3)).saturating_sub(1) } else { rng.below(data.len() + 1) };
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

/// An argument list decoded by Keel's decoder, parameter by parameter, as
/// the contracts' dispatch does.
trait KeelDecode: Sized {
    fn keel_decode(data: &[u8]) -> Result<Self, Reject>;
}

macro_rules! keel_decode_tuple {
    ($($t:ident),+) => {
        impl<$($t: AbiArg),+> KeelDecode for ($($t,)+) {
            fn keel_decode(data: &[u8]) -> Result<Self, Reject> {
                let mut decoder = Decoder::new(data);
                Ok(($(decoder.arg::<$t>()?,)+))
            }
        }
    };
}

keel_decode_tuple!(A);
keel_decode_tuple!(A, B);
keel_decode_tuple!(A, B, C);
keel_decode_tuple!(A, B, C, D);
keel_decode_tuple!(A, B, C, D, E);
keel_decode_tuple!(A, B, C, D, E, F);

/// Accepted and refused inputs.
#[derive(Default)]
struct Tally {
    accepted: usize,
    refused: usize,
}

/// Decodes `data` with both decoders as the argument tuple `S`: neither may
/// panic, and both must accept with equal values or both refuse.
fn differential<S>(data: &[u8], tally: &mut Tally)
where
    S: SolType,
    S::RustType: KeelDecode + PartialEq + Debug,
    for<'de> S::Token<'de>: TokenSeq<'de>,
{
    let keel = catch_unwind(AssertUnwindSafe(|| S::RustType::keel_decode(data).ok()))
        .unwrap_or_else(|_| panic!("Keel's decoder panicked on {} as {}", hex::encode(data), S::SOL_NAME));
    let alloy = catch_unwind(AssertUnwindSafe(|| S::abi_decode_params_validate(data).ok()))
        .unwrap_or_else(|_| panic!("alloy's decoder panicked on {} as {}", hex::encode(data), S::SOL_NAME));
    assert_eq!(keel, alloy, "the decoders disagree on {} as {}", hex::encode(data), S::SOL_NAME);
    if keel.is_some() {
        tally.accepted += 1;
    } else {
        tally.refused += 1;
    }
}

type Addr = sol_data::Address;
type U256Sol = sol_data::Uint<256>;
type U64Sol = sol_data::Uint<64>;

/// One argument list: its shape for the generator and its decoding comparison.
struct Case {
    params: &'static [Param],
    run: fn(&[u8], &mut Tally),
}

/// Argument lists shaped like Keel's functions, covering every type the decoder supports.
fn cases() -> Vec<Case> {
    use Param::*;
    vec![
        // depositIntoStrategy(address,uint256)
        Case { params: &[Static(ADDRESS), Static(Word::Full)], run: differential::<(Addr, U256Sol)> },
        // Every static word type.
        Case {
            params: &[Static(Word::Bool), Static(Word::Low(1)), Static(Word::Low(4)), Static(UINT64), Static(Word::Full), Static(ADDRESS)],
            run: differential::<(sol_data::Bool, sol_data::Uint<8>, sol_data::Uint<32>, U64Sol, sol_data::FixedBytes<32>, Addr)>,
        },
        // registerAsOperator(address,string)
        Case { params: &[Static(ADDRESS), String], run: differential::<(Addr, sol_data::String)> },
        // depositIntoStrategyWithSignature(address,address,uint256,uint256,bytes)
        Case {
            params: &[Static(ADDRESS), Static(ADDRESS), Static(Word::Full), Static(Word::Full), Bytes],
            run: differential::<(Addr, Addr, U256Sol, U256Sol, sol_data::Bytes)>,
        },
        // queueWithdrawal(address[],uint256[])
        Case { params: &[Array(ADDRESS), Array(Word::Full)], run: differential::<(sol_data::Array<Addr>, sol_data::Array<U256Sol>)> },
        // allocate-like: (address,uint64,address[],uint64[])
        Case {
            params: &[Static(ADDRESS), Static(UINT64), Array(ADDRESS), Array(UINT64)],
            run: differential::<(Addr, U64Sol, sol_data::Array<Addr>, sol_data::Array<U64Sol>)>,
        },
        // Dynamic parameters of every kind side by side, with static ones between.
        Case {
            params: &[String, Static(Word::Bool), Bytes, Array(UINT64), Static(ADDRESS), Array(ADDRESS)],
            run: differential::<(sol_data::String, sol_data::Bool, sol_data::Bytes, sol_data::Array<U64Sol>, Addr, sol_data::Array<Addr>)>,
        },
    ]
}

#[test]
fn keel_and_alloy_decode_adversarial_calldata_alike() {
    let total: usize = std::env::var("ABI_DIFFERENTIAL_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(40_000);
    let cases = cases();
    let mut rng = Rng(0x006b_6565_6c61_6269);
    let (mut well_formed_tally, mut mutated_tally) = (Tally::default(), Tally::default());
    for i in 0..total {
        let case = &cases[i % cases.len()];
        let (mut data, offsets, lengths) = well_formed(case.params, &mut rng);
        // One input in eight stays as built (still with the generator's dirty words and invalid UTF-8).
        if rng.chance(12) {
            (case.run)(&data, &mut well_formed_tally);
        } else {
            mutate(&mut data, &offsets, &lengths, &mut rng);
            (case.run)(&data, &mut mutated_tally);
        }
    }
    println!(
        "{total} inputs: {} well-formed ({} accepted by both), {} mutated ({} accepted by both, {} refused by both)",
        well_formed_tally.accepted + well_formed_tally.refused,
        well_formed_tally.accepted,
        mutated_tally.accepted + mutated_tally.refused,
        mutated_tally.accepted,
        mutated_tally.refused
    );
    // The fuzz must reach both answers often, or it tests little.
    assert!(mutated_tally.accepted * 20 >= total && mutated_tally.refused * 4 >= total, "too one-sided to test agreement");
}
