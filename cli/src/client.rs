//! A connection to a chain with a signing account.

use alloy::{
    network::EthereumWallet,
    primitives::{Address, B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{Filter, Log, TransactionReceipt},
    signers::local::{MnemonicBuilder, PrivateKeySigner},
    sol_types::SolEvent,
};
use anyhow::{bail, Context, Result};

/// The mnemonic of the devnet's (and anvil's) prefunded accounts.
pub const DEV_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// A provider that signs with one account.
#[derive(Clone)]
pub struct Client {
    /// The JSON-RPC provider, with the signer's wallet attached.
    pub provider: DynProvider,
    /// The signing account.
    pub from: Address,
    /// Its key, for off-chain signatures (EIP-2612 permits, EIP-712 approvals).
    pub signer: PrivateKeySigner,
    /// The chain's id.
    pub chain_id: u64,
}

impl Client {
    /// Connects to `rpc_url` and signs with `signer`.
    pub async fn connect(rpc_url: &str, signer: PrivateKeySigner) -> Result<Self> {
        let from = signer.address();
        let url = rpc_url.parse().with_context(|| format!("bad RPC URL {rpc_url}"))?;
        // The nonce is read from the node for every transaction: a cached
        // nonce would be consumed by a transaction refused at estimation.
        let provider = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id()
            .wallet(EthereumWallet::from(signer.clone()))
            .connect_http(url)
            .erased();
        if provider.client().is_local() {
            // A local devnet mines at once: poll receipts every 10 ms, not alloy's 250 ms.
            provider.client().set_poll_interval(std::time::Duration::from_millis(10));
        }
        let chain_id = provider.get_chain_id().await.with_context(|| format!("cannot reach {rpc_url}"))?;
        Ok(Self { provider, from, signer, chain_id })
    }

    /// Connects to `rpc_url` for reads only (`keel status`): no key is
    /// needed, and a throwaway one that signs nothing stands in.
    pub async fn read_only(rpc_url: &str) -> Result<Self> {
        Self::connect(rpc_url, PrivateKeySigner::random()).await
    }

    /// Refuses an address without code (a mistyped token, another chain's
    /// contract) in one line, before any call to it fails to decode.
    pub async fn require_contract(&self, at: Address) -> Result<()> {
        if self.provider.get_code_at(at).await?.is_empty() {
            bail!("{at} is not a contract on chain {}", self.chain_id);
        }
        Ok(())
    }

    /// Devnets only: moves the chain's clock forward by `seconds` and mines a block.
    pub async fn travel(&self, seconds: u64) -> Result<()> {
        self.provider.raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (seconds,)).await?;
        self.provider.raw_request::<_, serde_json::Value>("evm_mine".into(), ()).await?;
        Ok(())
    }

    /// The latest block's timestamp (the chain's "now").
    pub async fn now(&self) -> Result<u64> {
        Ok(self.provider.get_block_by_number(Default::default()).await?.context("no latest block")?.header.timestamp)
    }

    /// Every `E` that `at` has logged since genesis (with `second_topic` as
    /// its first indexed field, if given), read with eth_getLogs.
    pub async fn history<E: SolEvent>(&self, at: Address, second_topic: Option<B256>) -> Result<Vec<E>> {
        let mut filter = Filter::new().address(at).event_signature(E::SIGNATURE_HASH).from_block(0u64);
        if let Some(topic) = second_topic {
            filter = filter.topic2(topic);
        }
        let logs: Vec<Log> = self.provider.get_logs(&filter).await?;
        Ok(logs.iter().filter_map(|log| log.log_decode::<E>().ok()).map(|log| log.inner.data).collect())
    }

    /// The account's ETH balance.
    pub async fn balance(&self) -> Result<U256> {
        Ok(self.provider.get_balance(self.from).await?)
    }
}

/// Dev account `index` of [`DEV_MNEMONIC`].
pub fn dev_signer(index: u32) -> Result<PrivateKeySigner> {
    Ok(MnemonicBuilder::<alloy::signers::local::coins_bip39::English>::default().phrase(DEV_MNEMONIC).index(index)?.build()?)
}

/// A signer from `--private-key` (hex) or `--dev-account N`.
pub fn signer(private_key: Option<&str>, dev_account: Option<u32>) -> Result<PrivateKeySigner> {
    match (private_key, dev_account) {
        (Some(key), _) => key.trim().parse().context("bad private key"),
        (None, Some(index)) => dev_signer(index),
        (None, None) => bail!("give --private-key KEY (or --dev-account N on a devnet)"),
    }
}

/// The events of type `E` a mined transaction logged, in order.
pub fn logged<E: SolEvent>(receipt: &TransactionReceipt) -> Vec<E> {
    receipt.inner.logs().iter().filter_map(|log| log.log_decode::<E>().ok()).map(|log| log.inner.data).collect()
}

/// Refuses a mined transaction that reverted.
pub fn succeeded(receipt: TransactionReceipt, what: &str) -> Result<TransactionReceipt> {
    if !receipt.status() {
        bail!("{what}: transaction {} reverted", receipt.transaction_hash);
    }
    Ok(receipt)
}
