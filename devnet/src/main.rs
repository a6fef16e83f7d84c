//! `keel-devnet`: a local Arbitrum-Stylus chain over JSON-RPC, anvil-style.

use alloy_primitives::U256;
use keel_devnet::node::{self, Config};
use std::path::PathBuf;
use std::time::Instant;

const USAGE: &str = "usage: keel-devnet [--host HOST] [--port PORT] [--chain-id ID] [--accounts N] [--balance ETH]
                   [--block-time SECONDS] [--state FILE] [--program-expiry-days DAYS]
                   [--l1-price-per-unit WEI] [--cache-all-programs] [--devnode] [--quiet]

  --host HOST      interface to listen on (default 127.0.0.1)
  --port PORT      port (default 8547, 0 = any free port)
  --chain-id ID    chain id (default 412346)
  --accounts N     dev accounts from the test mnemonic (default 10)
  --balance ETH    balance of each dev account (default 10000)
  --block-time S   also mine an empty block every S seconds (default: only per transaction)
  --state FILE     load the chain from FILE at start, save it there on exit
  --program-expiry-days DAYS
                   programs stop running DAYS after activation until activated
                   again (Arbitrum: 365; default: never, so time travel is safe)
  --l1-price-per-unit WEI
                   L1 price per calldata unit: transactions pay nitro's L1 poster
                   gas, reported as gasUsedForL1 (default 0, as devnodes run)
  --cache-all-programs
                   every Stylus program counts as cached (ArbWasmCache): frames
                   pay nitro's cached entry cost only, never the init cost
  --devnode        start as nitro-devnode's setup leaves a devnode: dev account
                   0 is a chain owner and cache manager, ArbOS's L1 price per
                   unit is 0 (the CREATE2 factory 0x4e59…956c is always there)
  --quiet          do not print a line per mined transaction";

fn parse(args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config { log_transactions: true, ..Config::default() };
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        if flag == "--quiet" || flag == "-q" {
            config.log_transactions = false;
            continue;
        }
        if flag == "--cache-all-programs" {
            config.cache_all_programs = true;
            continue;
        }
        if flag == "--devnode" {
            config.devnode = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("bad value {value:?} for {flag}: {e}");
        match flag.as_str() {
            "--host" => config.host = value.clone(),
            "--port" | "-p" => config.port = value.parse().map_err(|e| bad(&e))?,
            "--chain-id" => config.chain_id = value.parse().map_err(|e| bad(&e))?,
            "--accounts" | "-a" => config.accounts = value.parse().map_err(|e| bad(&e))?,
            "--balance" => {
                let ether: u64 = value.parse().map_err(|e| bad(&e))?;
                config.balance = U256::from(ether) * U256::from(10u64).pow(U256::from(18u64));
            }
            "--state" => config.state_file = Some(PathBuf::from(&value)),
            "--block-time" | "-b" => config.block_time = Some(value.parse().map_err(|e| bad(&e))?),
            "--program-expiry-days" => config.program_expiry_days = Some(value.parse().map_err(|e| bad(&e))?),
            "--l1-price-per-unit" => config.l1_price_per_unit = value.parse().map_err(|e| bad(&e))?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(config)
}

fn main() {
    let started = Instant::now();
    let config = match parse(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("keel-devnet: {message}\n");
            }
            eprintln!("{USAGE}");
            std::process::exit(if message.is_empty() { 0 } else { 2 });
        }
    };
    let chain_id = config.chain_id;
    let node = node::spawn(config.clone()).unwrap_or_else(|e| {
        eprintln!("keel-devnet: cannot start: {e}");
        std::process::exit(1);
    });
    println!("keel-devnet {} (Arbitrum Stylus, WASM run by wasmi)\n", env!("CARGO_PKG_VERSION"));
    println!("Available accounts\n==================");
    let accounts = node.accounts();
    for (i, account) in accounts.iter().enumerate() {
        println!("({i}) {} ({} ETH)", account.address, config.balance / U256::from(10u64).pow(U256::from(18u64)));
    }
    println!("\nPrivate keys\n==================");
    for (i, account) in accounts.iter().enumerate() {
        println!("({i}) {}", account.private_key());
    }
    println!("\nMnemonic: {}\nDerivation path: m/44'/60'/0'/0/", config.mnemonic);
    if let Some(path) = &config.state_file {
        let origin = if node.restored() { "loaded from" } else { "will be saved to" };
        println!("State {origin} {}", path.display());
    }
    println!("Chain id: {chain_id}\n\nListening on {} (started in {:?})", node.address(), started.elapsed());
    let (signal, signalled) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = signal.send(());
    })
    .expect("cannot install the signal handler");
    let _ = signalled.recv();
    println!("\nShutting down");
    if let Err(e) = node.shutdown() {
        eprintln!("keel-devnet: cannot save the state: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> impl Iterator<Item = String> + '_ {
        line.split_whitespace().map(String::from)
    }

    #[test]
    fn parses_options_and_refuses_unknown_ones() {
        let config = parse(args("--port 0 --host 0.0.0.0 --state s.json --balance 5 --block-time 2")).unwrap();
        assert_eq!(config.block_time, Some(2));
        assert_eq!(parse(args("--program-expiry-days 365")).unwrap().program_expiry_days, Some(365));
        assert_eq!(parse(args("--l1-price-per-unit 30000000000")).unwrap().l1_price_per_unit, U256::from(30_000_000_000u64));
        assert!(config.log_transactions);
        assert!(!parse(args("--quiet")).unwrap().log_transactions);
        assert!(parse(args("--cache-all-programs")).unwrap().cache_all_programs);
        assert!(parse(args("--devnode")).unwrap().devnode);
        assert!(!config.cache_all_programs);
        assert_eq!((config.port, config.host.as_str()), (0, "0.0.0.0"));
        assert_eq!(config.state_file, Some(PathBuf::from("s.json")));
        assert_eq!(config.balance, U256::from(5u64) * U256::from(10u64).pow(U256::from(18u64)));
        assert!(parse(args("--port")).unwrap_err().contains("needs a value"));
        assert!(parse(args("--port x")).unwrap_err().contains("bad value"));
        assert!(parse(args("--frobnicate 1")).unwrap_err().contains("unknown option"));
    }
}
