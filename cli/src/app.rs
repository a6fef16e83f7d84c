//! `keel app`'s web server: the built app's static files (`app/dist`) and
//! `config.json`, which tells the page the node's URL, the chain, the
//! deployment record and the accounts the node signs for. GET only, one
//! thread per connection, nothing outside the app's folder.

use crate::deployments::Deployments;
use crate::history::History;
use alloy::primitives::Address;
use anyhow::{ensure, Context, Result};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The most of a request read: its line and headers (a GET has no body).
const MAX_HEAD: u64 = 16 << 10;

/// What the server hands out.
pub struct Site {
    /// The built app (`index.html`, `app.js`, ...).
    pub dir: PathBuf,
    /// The body of `config.json`.
    pub config: Vec<u8>,
    /// What `/history.json?account=0x…` answers from (the value-over-time chart), if recorded.
    pub history: Option<Arc<History>>,
}

/// The `config.json` the page starts from: node, chain, contract addresses
/// by name, and the dev accounts the built-in wallet may use (the node signs
/// for them; empty on a real network), starting with `default_account`.
pub fn config_json(rpc_url: &str, record: &Deployments, dev_accounts: &[Address], default_account: Option<Address>) -> Vec<u8> {
    let contracts: serde_json::Map<String, serde_json::Value> =
        record.contracts.iter().map(|(name, d)| (name.clone(), json!(d.address.to_string()))).collect();
    let accounts: Vec<String> = dev_accounts.iter().map(ToString::to_string).collect();
    let document = json!({
        "rpcUrl": rpc_url,
        "chainId": record.chain_id,
        "contracts": contracts,
        "devAccounts": accounts,
        "defaultDevAccount": default_account.map(|a| a.to_string()),
    });
    serde_json::to_vec_pretty(&document).expect("a JSON value serializes")
}

impl Site {
    /// Checks that `dir` holds a built app (`make app` builds it).
    pub fn new(dir: PathBuf, config: Vec<u8>) -> Result<Self> {
        ensure!(dir.join("index.html").is_file(), "no built app in {} (run `make app-build`)", dir.display());
        Ok(Self { dir, config, history: None })
    }

    /// Serves on `listener` until the process ends.
    pub fn serve(self, listener: TcpListener) {
        let site = Arc::new(self);
        for stream in listener.incoming().flatten() {
            let site = site.clone();
            let _ = std::thread::Builder::new().name("keel-app-http".into()).spawn(move || site.answer(stream));
        }
    }

    /// Answers one request, then closes the connection.
    fn answer(&self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Ok(mut writer) = stream.try_clone() else { return };
        let mut reader = BufReader::new(stream.take(MAX_HEAD));
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            return;
        }
        // Drain the headers: the answer depends on the request line alone.
        let mut header = String::new();
        while reader.read_line(&mut header).map(|n| n > 2).unwrap_or(false) {
            header.clear();
        }
        let (status, kind, body) = self.route(&line);
        let head = format!("HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n", body.len());
        let _ = writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(&body));
    }

    /// Status, content type and body for request line `line`.
    pub fn route(&self, line: &str) -> (&'static str, &'static str, Vec<u8>) {
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return ("400 Bad Request", "text/plain", b"bad request".to_vec());
        };
        if method != "GET" {
            return ("405 Method Not Allowed", "text/plain", b"GET only".to_vec());
        }
        let path = target.split(['?', '#']).next().unwrap_or("/");
        if path == "/config.json" {
            return ("200 OK", "application/json", self.config.clone());
        }
        if path == "/history.json" {
            return self.history(target);
        }
        match resolve(&self.dir, path).and_then(|file| std::fs::read(&file).ok().map(|body| (file, body))) {
            Some((file, body)) => ("200 OK", content_type(&file), body),
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    }
}

impl Site {
    /// `/history.json?account=0x…`: the account's recorded samples and marks.
    fn history(&self, target: &str) -> (&'static str, &'static str, Vec<u8>) {
        let Some(history) = &self.history else {
            return ("404 Not Found", "text/plain", b"no history is recorded here".to_vec());
        };
        let query = target.split_once('?').map_or("", |(_, q)| q);
        let account = query.split('&').find_map(|pair| pair.strip_prefix("account=")).and_then(|a| a.parse::<Address>().ok());
        match account {
            Some(account) => ("200 OK", "application/json", history.json(account).to_string().into_bytes()),
            None => ("400 Bad Request", "text/plain", b"account=0x... (an address) is required".to_vec()),
        }
    }
}

/// The file under `dir` that URL path `path` names (`/` is `index.html`);
/// `None` for anything that would leave `dir`.
pub fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() { "index.html" } else { relative };
    let candidate = Path::new(relative);
    if !candidate.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(dir.join(candidate))
}

/// The content type of a served file, by extension.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Binds `host:port` (0: any free port) for the app.
pub fn bind(host: &str, port: u16) -> Result<TcpListener> {
    TcpListener::bind((host, port)).with_context(|| format!("cannot listen on {host}:{port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A built app in `<tmp>/site`, and a file beside it (`<tmp>/secret.txt`) it must not serve.
    fn site() -> (Site, PathBuf) {
        let root = std::env::temp_dir().join(format!("keel-app-site-{}-{:?}", std::process::id(), std::thread::current().id()));
        let dir = root.join("site");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(root.join("secret.txt"), "secret").unwrap();
        std::fs::write(dir.join("index.html"), "<p>keel</p>").unwrap();
        std::fs::write(dir.join("sub/app.js"), "let a = 1;").unwrap();
        (Site::new(dir.clone(), b"{\"chainId\":1}".to_vec()).unwrap(), dir)
    }

    #[test]
    fn serves_the_index_files_and_config() {
        let (site, dir) = site();
        assert_eq!(site.route("GET / HTTP/1.1\r\n"), ("200 OK", "text/html; charset=utf-8", b"<p>keel</p>".to_vec()));
        assert_eq!(site.route("GET /sub/app.js?v=1 HTTP/1.1").1, "text/javascript; charset=utf-8");
        assert_eq!(site.route("GET /config.json HTTP/1.1"), ("200 OK", "application/json", b"{\"chainId\":1}".to_vec()));
        assert_eq!(site.route("GET /missing.js HTTP/1.1").0, "404 Not Found");
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn refuses_paths_outside_the_app_and_other_methods() {
        let (site, dir) = site();
        assert_eq!(site.route("GET /../secret.txt HTTP/1.1").0, "404 Not Found");
        assert_eq!(site.route("GET /sub/../../secret.txt HTTP/1.1").0, "404 Not Found");
        assert_eq!(site.route("GET //etc/passwd HTTP/1.1").0, "404 Not Found");
        assert_eq!(site.route("POST / HTTP/1.1").0, "405 Method Not Allowed");
        assert_eq!(site.route("").0, "400 Bad Request");
        let unrecorded = site.route("GET /history.json?account=0x00000000000000000000000000000000000000aa HTTP/1.1");
        assert_eq!((unrecorded.0, unrecorded.2), ("404 Not Found", b"no history is recorded here".to_vec()));
        assert!(resolve(&dir, "/a/../b").is_none());
        assert_eq!(resolve(&dir, "/sub/app.js"), Some(dir.join("sub/app.js")));
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    /// Sends `request` to a served `site` over TCP; returns the whole answer.
    fn over_tcp(site: Site, request: &[u8]) -> String {
        let listener = bind("127.0.0.1", 0).unwrap();
        let at = listener.local_addr().unwrap();
        std::thread::spawn(move || site.serve(listener));
        let mut stream = TcpStream::connect(at).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // The server may answer and close before reading all of an oversized request.
        let _ = stream.write_all(request);
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    }

    #[test]
    fn answers_over_tcp_and_bounds_what_it_reads() {
        let (served, dir) = site();
        let answer = over_tcp(served, b"GET /config.json HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n") && answer.ends_with("{\"chainId\":1}"), "{answer}");
        let (served, _) = site();
        let endless = vec![b'a'; 1 << 20];
        assert!(over_tcp(served, &endless).starts_with("HTTP/1.1 400 Bad Request"));
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn refuses_a_folder_without_a_built_app() {
        let error = Site::new(std::env::temp_dir().join("keel-app-nothing-here"), Vec::new()).err().unwrap();
        assert!(error.to_string().contains("make app-build"));
    }

    #[test]
    fn config_names_the_node_contracts_and_accounts() {
        let mut record = Deployments { chain_id: 412_346, ..Default::default() };
        let deployed = crate::deployments::Deployed {
            address: Address::repeat_byte(1),
            code_hash: Default::default(),
            tx: Default::default(),
            block: 1,
            data_fee: Default::default(),
        };
        record.contracts.insert("StrategyManager".into(), deployed);
        let config: serde_json::Value = serde_json::from_slice(&config_json(
            "http://127.0.0.1:8547",
            &record,
            &[Address::repeat_byte(9)],
            Some(Address::repeat_byte(9)),
        ))
        .unwrap();
        assert_eq!(config["chainId"], 412_346);
        assert_eq!(config["rpcUrl"], "http://127.0.0.1:8547");
        assert_eq!(config["contracts"]["StrategyManager"], Address::repeat_byte(1).to_string());
        assert_eq!(config["devAccounts"][0], Address::repeat_byte(9).to_string());
        assert_eq!(config["defaultDevAccount"], Address::repeat_byte(9).to_string());
    }
}
