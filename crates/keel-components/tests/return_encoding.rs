//! Return values encoded by `keel_components::abi::Encode` match alloy's
//! encoding of the same Solidity types, and decode back through Keel's
//! decoder.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol_data, SolType};
use keel_components::abi::{Decoder, Encode};
use proptest::prelude::*;

type Pair = (sol_data::Array<sol_data::Address>, sol_data::Array<sol_data::Uint<256>>);

proptest! {
    #[test]
    fn two_arrays_encode_as_solidity_returns_them(
        tokens in proptest::collection::vec(any::<[u8; 20]>(), 0..6),
        shares in proptest::collection::vec(any::<[u64; 4]>(), 0..6),
    ) {
        let tokens: Vec<Address> = tokens.into_iter().map(Address::from).collect();
        let shares: Vec<U256> = shares.into_iter().map(U256::from_limbs).collect();
        let mut ours = Vec::new();
        (tokens.clone(), shares.clone()).encode(&mut ours);
        prop_assert_eq!(&ours, &Pair::abi_encode_params(&(tokens.clone(), shares.clone())));
        let mut decoder = Decoder::new(&ours);
        prop_assert_eq!(decoder.arg::<Vec<Address>>().unwrap(), tokens);
        prop_assert_eq!(decoder.arg::<Vec<U256>>().unwrap(), shares);
    }
}
