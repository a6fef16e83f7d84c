//! The prefunded dev accounts: keys derived from the standard test mnemonic
//! along `m/44'/60'/0'/0/i`, as anvil and hardhat derive them.

use alloy_primitives::{Address, B256};
use coins_bip39::{English, Mnemonic};
use k256::ecdsa::SigningKey;

/// The mnemonic every local Ethereum node uses for its dev accounts.
pub const TEST_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// A dev account: its key and address.
#[derive(Clone)]
pub struct DevAccount {
    /// Address of the account.
    pub address: Address,
    /// Its secp256k1 signing key.
    pub key: SigningKey,
}

impl DevAccount {
    /// The 32-byte private key.
    pub fn private_key(&self) -> B256 {
        B256::from_slice(&self.key.to_bytes())
    }
}

/// The first `count` accounts of `mnemonic`.
pub fn derive(mnemonic: &str, count: u32) -> Result<Vec<DevAccount>, String> {
    let mnemonic = Mnemonic::<English>::new_from_phrase(mnemonic).map_err(|e| format!("bad mnemonic: {e}"))?;
    (0..count)
        .map(|i| {
            let xpriv = mnemonic.derive_key(format!("m/44'/60'/0'/0/{i}").as_str(), None).map_err(|e| e.to_string())?;
            let key: &SigningKey = xpriv.as_ref();
            Ok(DevAccount { address: Address::from_private_key(key), key: key.clone() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, b256};

    #[test]
    fn derives_the_well_known_dev_accounts() {
        let accounts = derive(TEST_MNEMONIC, 10).unwrap();
        assert_eq!(accounts.len(), 10);
        assert_eq!(accounts[0].address, address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
        assert_eq!(accounts[0].private_key(), b256!("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
        assert_eq!(accounts[9].address, address!("a0Ee7A142d267C1f36714E4a8F75612F20a79720"));
    }

    #[test]
    fn refuses_a_bad_mnemonic() {
        assert!(derive("not a mnemonic", 1).is_err());
    }
}
