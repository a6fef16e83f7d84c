//! The JSON-RPC node: anvil-style automining chain over HTTP.
//!
//! ```no_run
//! let node = keel_devnet::node::spawn(keel_devnet::node::Config { port: 0, ..Default::default() }).unwrap();
//! println!("JSON-RPC at {}", node.url());
//! node.shutdown().unwrap();
//! ```
//!
//! * [`http`]: blocking HTTP/1.1 server, one thread per connection.
//! * [`shared`]: the devnet behind its lock, and the published view of the
//!   head on which [`reads`] (`eth_call`, state reads) run without the lock,
//!   many at once.
//! * [`rpc`]: JSON-RPC 2.0 envelope (batches, notifications, error codes);
//!   [`reason`]: the decoded reason in revert messages.
//! * [`methods`]: the `eth_`, `net_`, `web3_`, `evm_`, `anvil_` methods;
//!   [`debug`]: `debug_traceTransaction` and `debug_traceCall`.
//! * [`devnet`]: automining, dev accounts, impersonation, clock, snapshots.
//! * [`ledger`], [`encode`]: mined blocks, transactions, receipts and their JSON.
//! * [`signed`]: raw transaction decoding and dev-account signing.
//! * [`accounts`]: dev keys from the test mnemonic; [`statefile`]: `--state`.

pub mod accounts;
pub mod debug;
pub mod devnet;
pub mod encode;
pub mod genesis;
pub mod http;
pub mod l1;
pub mod ledger;
pub mod meter_methods;
pub mod methods;
pub mod params;
pub mod reads;
pub mod reason;
pub mod rpc;
pub mod shared;
pub mod sign;
pub mod signed;
pub mod statefile;

use accounts::DevAccount;
use alloy_primitives::U256;
use devnet::Devnet;
use shared::Shared;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Arbitrum's local devnode chain id.
pub const DEFAULT_CHAIN_ID: u64 = 412_346;
/// Arbitrum's local devnode port.
pub const DEFAULT_PORT: u16 = 8547;

/// How to start a node.
#[derive(Debug, Clone)]
pub struct Config {
    /// Interface to listen on.
    pub host: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Chain id.
    pub chain_id: u64,
    /// Mnemonic of the dev accounts.
    pub mnemonic: String,
    /// Number of dev accounts.
    pub accounts: u32,
    /// Balance of each dev account, in wei.
    pub balance: U256,
    /// File to load the chain from at start and save it to at shutdown.
    pub state_file: Option<PathBuf>,
    /// Also mine an empty block every this many seconds (interval mining).
    pub block_time: Option<u64>,
    /// Print one line per mined transaction on stdout.
    pub log_transactions: bool,
    /// Make programs expire this many days after activation, as Arbitrum
    /// does after 365 (by default they never do).
    pub program_expiry_days: Option<u16>,
    /// L1 price per calldata unit in wei: transactions pay nitro's L1
    /// poster gas (0, the default, as devnodes run: none).
    pub l1_price_per_unit: U256,
    /// Treat every Stylus program as cached (no init gas), as if
    /// ArbWasmCache held them all (`--cache-all-programs`).
    pub cache_all_programs: bool,
    /// Start as nitro-devnode's setup script leaves a devnode: dev account 0
    /// a chain owner and cache manager, ArbOS's L1 price per unit 0
    /// (`--devnode`; the CREATE2 factory is always there).
    pub devnode: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: DEFAULT_PORT,
            chain_id: DEFAULT_CHAIN_ID,
            mnemonic: accounts::TEST_MNEMONIC.into(),
            accounts: 10,
            balance: U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18u64)),
            state_file: None,
            block_time: None,
            log_transactions: false,
            program_expiry_days: None,
            l1_price_per_unit: U256::ZERO,
            cache_all_programs: false,
            devnode: false,
        }
    }
}

/// A running node; dropping it stops the server (and saves `--state`).
pub struct NodeHandle {
    address: SocketAddr,
    devnet: Arc<Shared>,
    stop: Arc<AtomicBool>,
    server: Option<JoinHandle<()>>,
    state_file: Option<PathBuf>,
    restored: bool,
}

impl NodeHandle {
    /// `http://host:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The socket address served.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The dev accounts.
    pub fn accounts(&self) -> Vec<DevAccount> {
        self.lock().accounts().to_vec()
    }

    /// True when the chain was loaded from the state file.
    pub fn restored(&self) -> bool {
        self.restored
    }

    fn lock(&self) -> shared::DevnetGuard<'_> {
        self.devnet.lock()
    }

    /// Saves the chain to the state file, if one was configured.
    pub fn save_state(&self) -> std::io::Result<()> {
        match &self.state_file {
            Some(path) => statefile::save(path, &self.lock().persist()),
            None => Ok(()),
        }
    }

    /// Stops serving and saves the state file.
    pub fn shutdown(mut self) -> std::io::Result<()> {
        self.stop_server();
        self.save_state()
    }

    fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            self.stop.store(true, Ordering::SeqCst);
            let _ = TcpStream::connect(self.address); // wakes the accept loop
            let _ = server.join();
        }
    }
}

impl Drop for NodeHandle {
    fn drop(&mut self) {
        if self.server.is_some() {
            self.stop_server();
            if let Err(e) = self.save_state() {
                eprintln!("keel-devnet: cannot save the state: {e}");
            }
        }
    }
}

/// Starts a node serving JSON-RPC on `config.host:config.port` in a background thread.
pub fn spawn(config: Config) -> std::io::Result<NodeHandle> {
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let accounts = accounts::derive(&config.mnemonic, config.accounts).map_err(invalid)?;
    let saved = match &config.state_file {
        Some(path) => statefile::load(path)?,
        None => None,
    };
    let restored = saved.is_some();
    let mut devnet = match saved {
        Some(saved) => Devnet::restore(config.chain_id, saved, accounts),
        None => Devnet::new(config.chain_id, accounts, config.balance),
    };
    if config.devnode && !restored {
        devnet.configure_as_devnode().map_err(|e| std::io::Error::other(format!("devnode setup: {}", e.message)))?;
    }
    devnet.log_transactions = config.log_transactions;
    devnet.l1_price_per_unit = config.l1_price_per_unit;
    devnet.chain_mut().set_cache_all_programs(config.cache_all_programs);
    if config.program_expiry_days.is_some() {
        devnet.chain_mut().set_program_expiry_days(config.program_expiry_days);
    }
    let listener = TcpListener::bind((config.host.as_str(), config.port))?;
    let address = listener.local_addr()?;
    let devnet = Arc::new(Shared::new(devnet));
    let stop = Arc::new(AtomicBool::new(false));
    let shared = devnet.clone();
    let handler: http::Handler = Arc::new(move |body: &[u8]| rpc::handle(&shared, body));
    if let Some(seconds) = config.block_time.filter(|s| *s > 0) {
        let (devnet, stop) = (devnet.clone(), stop.clone());
        crate::chain::spawn_with_execution_stack("devnet-miner", move || loop {
            std::thread::sleep(std::time::Duration::from_secs(seconds));
            if stop.load(Ordering::SeqCst) {
                break;
            }
            devnet.lock().mine();
        })?;
    }
    let server_stop = stop.clone();
    let server = std::thread::Builder::new().name("devnet-accept".into()).spawn(move || http::serve(listener, handler, server_stop))?;
    Ok(NodeHandle { address, devnet, stop, server: Some(server), state_file: config.state_file, restored })
}
