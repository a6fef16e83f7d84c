//! The two nodes under test, started as child processes, and the time each
//! takes from process start to its first successful `eth_chainId`.

use crate::client::Client;
use serde_json::json;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Which node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The release build of `keel-devnet`.
    Keel,
    /// foundry's anvil from `tools/` (npm `@foundry-rs/anvil`).
    Anvil,
}

impl Kind {
    /// The executable.
    pub fn binary(self) -> PathBuf {
        match self {
            Kind::Keel => PathBuf::from(env!("CARGO_BIN_EXE_keel-devnet")),
            Kind::Anvil => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"),
        }
    }
}

/// A running node process, killed (by its own handle) when dropped.
pub struct Node {
    child: Child,
    /// Where it serves JSON-RPC.
    pub address: SocketAddr,
}

impl Node {
    /// Starts `kind` on a free port and waits for its first successful
    /// `eth_chainId`; returns the node and how long that took.
    pub fn start(kind: Kind) -> (Node, Duration) {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|l| l.local_addr()).expect("a free port").port();
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        let child = Command::new(kind.binary())
            .args(["--port", &port.to_string(), "--quiet"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", kind.binary().display()));
        let mut node = Node { child, address };
        loop {
            let answered = Client::connect(address).ok().and_then(|mut c| c.call("eth_chainId", json!([])).ok());
            if answered.is_some() {
                return (node, started.elapsed());
            }
            if let Ok(Some(status)) = node.child.try_wait() {
                panic!("{kind:?} exited at start: {status}");
            }
            assert!(started.elapsed() < Duration::from_secs(60), "{kind:?} did not answer within 60 s");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
