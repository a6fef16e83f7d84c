//! Differential fuzz of Keel's ABI decoder against alloy's validating decoder.
//!
//! Keel's contracts decode calldata with `keel_components::abi::Decoder` (one
//! shared function per ABI type) instead of alloy's decoder; this test holds
//! the two to the same answers. For argument lists shaped like Keel's
//! functions (every type the decoder supports: static words, `bytes`,
//! `string`, arrays of words, `bytes[]`), it builds well-formed calldata and then breaks
//! it: offsets pointing backward, into the head, into or across another
//! argument's data (overlapping), past the end, unaligned, near `u32::MAX`,
//! `usize::MAX` and with dirty high bits; lengths one too long, near
//! `u32::MAX` or huge; truncations at and around word boundaries; dirty high
//! bits in addresses, bools and small integers; invalid UTF-8; trailing
//! bytes; random byte and word overwrites. Each input must decode without a
//! panic, and either both decoders accept it with equal values or both
//! refuse it. `ABI_DIFFERENTIAL_CASES` (default 40,000) sets the number of
//! inputs; they are deterministic (SplitMix64, fixed seed). The generator
//! (`keel_testinputs::calldata`) is shared with the devnet ABI fuzz.

use alloy_primitives::hex;
use alloy_sol_types::{abi::TokenSeq, sol_data, SolType};
use core::fmt::Debug;
use keel_components::abi::{AbiArg, Decoder, Reject};
use keel_testinputs::calldata::{mutate, well_formed, Param, Rng, Word, ADDRESS, UINT64};
use std::panic::{catch_unwind, AssertUnwindSafe};

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

/// [`differential`] for `multicall(bytes[])`'s argument, which the
/// contracts decode with `Decoder::byte_strings`.
fn batch_differential(data: &[u8], tally: &mut Tally) {
    let keel = catch_unwind(AssertUnwindSafe(|| {
        Decoder::new(data).byte_strings().ok().map(|calls| calls.iter().map(|c| c.to_vec()).collect::<Vec<_>>())
    }))
    .unwrap_or_else(|_| panic!("Keel's decoder panicked on {} as bytes[]", hex::encode(data)));
    let alloy = <(sol_data::Array<sol_data::Bytes>,)>::abi_decode_params_validate(data)
        .ok()
        .map(|(calls,)| calls.iter().map(|c| c.to_vec()).collect::<Vec<_>>());
    assert_eq!(keel, alloy, "the decoders disagree on {} as bytes[]", hex::encode(data));
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
        // multicall(bytes[])
        Case { params: &[ByteStrings], run: batch_differential },
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
        let mut built = well_formed(case.params, &mut rng);
        // One input in eight stays as built (still with the generator's dirty words and invalid UTF-8).
        if rng.chance(12) {
            (case.run)(&built.data, &mut well_formed_tally);
        } else {
            mutate(&mut built, &mut rng);
            (case.run)(&built.data, &mut mutated_tally);
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
