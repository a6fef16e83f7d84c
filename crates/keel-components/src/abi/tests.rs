//! The compact codec against alloy's: same accepted inputs, same values.

use super::{AbiArg, Decoder, Encode, Reject};
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{sol_data, SolType};
use proptest::prelude::*;

type Params = (
    sol_data::Address,
    sol_data::Uint<256>,
    sol_data::Bool,
    sol_data::Bytes,
    sol_data::String,
    sol_data::Array<sol_data::Address>,
    sol_data::Uint<8>,
    sol_data::FixedBytes<32>,
);
type Values = (Address, U256, bool, Bytes, String, Vec<Address>, u8, B256);

fn compact(data: &[u8]) -> Result<Values, Reject> {
    let mut d = Decoder::new(data);
    Ok((d.arg()?, d.arg()?, d.arg()?, d.arg()?, d.arg()?, d.arg()?, d.arg()?, d.arg()?))
}

fn alloy(data: &[u8]) -> Option<Values> {
    Params::abi_decode_params_validate(data).ok()
}

fn sample() -> Values {
    (
        Address::repeat_byte(0x11),
        U256::from(7),
        true,
        Bytes::from(vec![1, 2, 3]),
        "keel".into(),
        vec![Address::repeat_byte(2); 3],
        18,
        B256::repeat_byte(9),
    )
}

#[test]
fn decodes_what_alloy_encodes() {
    let data = Params::abi_encode_params(&sample());
    assert_eq!(compact(&data).unwrap(), sample());
    let mut longer = data.clone();
    longer.extend_from_slice(&[0u8; 64]);
    assert_eq!(compact(&longer).unwrap(), sample(), "trailing bytes are ignored");
}

#[test]
fn refuses_malformed_words() {
    let data = Params::abi_encode_params(&sample());
    let mut dirty_address = data.clone();
    dirty_address[0] = 1;
    assert_eq!(compact(&dirty_address), Err(Reject));
    let mut bad_bool = data.clone();
    bad_bool[95] = 2;
    assert_eq!(compact(&bad_bool), Err(Reject));
    let mut wide_u8 = data.clone();
    wide_u8[6 * 32 + 30] = 1;
    assert_eq!(compact(&wide_u8), Err(Reject));
    assert_eq!(compact(&data[..data.len() - 1]), Err(Reject), "truncated");
}

#[test]
fn refuses_out_of_bounds_offsets_and_lengths() {
    let data = Params::abi_encode_params(&sample());
    let mut offset = data.clone();
    offset[3 * 32 + 31] = 0xff;
    offset[3 * 32 + 30] = 0xff;
    assert_eq!(compact(&offset), Err(Reject));
    let mut huge_array = data.clone();
    let array_at = U256::from_be_slice(&data[5 * 32..6 * 32]).to::<usize>();
    huge_array[array_at..array_at + 32].copy_from_slice(&U256::from(u64::MAX).to_be_bytes::<32>());
    assert_eq!(compact(&huge_array), Err(Reject));
}

#[test]
fn refuses_strings_that_are_not_utf8() {
    let mut values = sample();
    values.4 = "ab".into();
    let mut data = Params::abi_encode_params(&values);
    let at = data.windows(2).rposition(|w| w == b"ab").unwrap();
    data[at] = 0xff;
    assert_eq!(compact(&data), Err(Reject));
}

#[test]
fn encodes_returns_as_alloy() {
    let mut out = Vec::new();
    (U256::from(5), Address::repeat_byte(3), true).encode(&mut out);
    let expected =
        <(sol_data::Uint<256>, sol_data::Address, sol_data::Bool)>::abi_encode_params(&(U256::from(5), Address::repeat_byte(3), true));
    assert_eq!(out, expected);
    for list in [vec![], vec![Address::repeat_byte(1), Address::repeat_byte(2)]] {
        let mut out = Vec::new();
        list.clone().encode(&mut out);
        assert_eq!(out, <(sol_data::Array<sol_data::Address>,)>::abi_encode_params(&(list,)));
    }
    for text in ["", "x", "a string longer than one word of thirty-two bytes"] {
        let mut out = Vec::new();
        String::from(text).encode(&mut out);
        assert_eq!(out, <(sol_data::String,)>::abi_encode_params(&(String::from(text),)));
    }
}

type BytesArray = (sol_data::Array<sol_data::Bytes>,);

fn batches() -> Vec<Vec<Bytes>> {
    let long = Bytes::from((0..70u8).collect::<Vec<_>>());
    vec![vec![], vec![Bytes::new()], vec![Bytes::from(vec![1, 2, 3]), long.clone(), Bytes::new(), long]]
}

#[test]
fn byte_string_arrays_decode_as_alloy_encodes_them() {
    for list in batches() {
        let data = BytesArray::abi_encode_params(&(list.clone(),));
        assert_eq!(byte_strings(&data), Ok(list));
    }
}

fn byte_strings(data: &[u8]) -> Result<Vec<Bytes>, Reject> {
    Ok(Decoder::new(data).byte_strings()?.into_iter().map(Bytes::copy_from_slice).collect())
}

fn decode_one<T: AbiArg>(data: &[u8]) -> Result<T, Reject> {
    Decoder::new(data).arg()
}

proptest! {
    /// Whatever the bytes, the compact decoder accepts exactly what alloy's
    /// validating decoder accepts, with the same values.
    #[test]
    fn agrees_with_alloy_on_mutated_calldata(position in 0usize..448, byte in any::<u8>(), cut in 0usize..480) {
        let mut data = Params::abi_encode_params(&sample());
        let position = position % data.len();
        data[position] = byte;
        data.truncate(cut.max(position + 1));
        prop_assert_eq!(compact(&data).ok(), alloy(&data));
    }

    #[test]
    fn agrees_with_alloy_on_random_words(words in proptest::collection::vec(prop_oneof![Just(0u64), 0u64..600, any::<u64>()], 0..16)) {
        let data: Vec<u8> = words.iter().flat_map(|w| U256::from(*w).to_be_bytes::<32>()).collect();
        prop_assert_eq!(decode_one::<Vec<U256>>(&data).ok(), <(sol_data::Array<sol_data::Uint<256>>,)>::abi_decode_params_validate(&data).ok().map(|v| v.0));
        prop_assert_eq!(decode_one::<Bytes>(&data).ok(), <(sol_data::Bytes,)>::abi_decode_params_validate(&data).ok().map(|v| v.0));
        prop_assert_eq!(byte_strings(&data).ok(), BytesArray::abi_decode_params_validate(&data).ok().map(|v| v.0));
    }

    /// A batch's calldata, mutated or cut anywhere, decodes as alloy decodes it.
    #[test]
    fn byte_string_arrays_agree_with_alloy_when_mutated(which in 0usize..3, position in any::<usize>(), byte in any::<u8>(), cut in any::<usize>()) {
        let mut data = BytesArray::abi_encode_params(&(batches()[which].clone(),));
        let position = position % data.len();
        data[position] = byte;
        data.truncate((cut % (data.len() + 1)).max(position + 1));
        prop_assert_eq!(byte_strings(&data).ok(), BytesArray::abi_decode_params_validate(&data).ok().map(|v| v.0));
    }
}

#[test]
fn bytes4_decodes_as_alloy_and_refuses_dirty_low_bytes() {
    use alloy_primitives::FixedBytes;
    let id = FixedBytes([0x01, 0xff, 0xc9, 0xa7]);
    let data = <(sol_data::FixedBytes<4>,)>::abi_encode_params(&(id,));
    assert_eq!(Decoder::new(&data).arg::<FixedBytes<4>>(), Ok(id));
    let mut dirty = data.clone();
    dirty[31] = 1;
    assert!(<(sol_data::FixedBytes<4>,)>::abi_decode_params_validate(&dirty).is_err(), "alloy refuses it too");
    assert_eq!(Decoder::new(&dirty).arg::<FixedBytes<4>>(), Err(Reject));
}
