//! A minimal JSON-RPC client over one keep-alive HTTP/1.1 connection. Both
//! nodes are driven by this same code, so client cost is equal on both sides.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

/// One keep-alive connection to a node.
pub struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    host: String,
    id: u64,
}

impl Client {
    /// Opens a connection (with `TCP_NODELAY`, as HTTP clients set it).
    pub fn connect(address: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        Ok(Self { writer: stream.try_clone()?, reader: BufReader::new(stream), host: address.to_string(), id: 0 })
    }

    /// Calls `method`; the result, or the JSON-RPC error (or I/O failure) as text.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.id += 1;
        let body = json!({ "jsonrpc": "2.0", "id": self.id, "method": method, "params": params }).to_string();
        let head =
            format!("POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", self.host, body.len());
        self.writer.write_all([head.as_bytes(), body.as_bytes()].concat().as_slice()).map_err(|e| e.to_string())?;
        let mut reply: Value = serde_json::from_slice(&self.read_body().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        match reply.get("error") {
            Some(error) => Err(format!("{method}: {error}")),
            None => Ok(reply["result"].take()),
        }
    }

    /// Like [`Client::call`], panicking on an error.
    pub fn ok(&mut self, method: &str, params: Value) -> Value {
        self.call(method, params).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Reads one response with a `Content-Length` body.
    fn read_body(&mut self) -> std::io::Result<Vec<u8>> {
        let invalid = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(invalid("connection closed"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok();
                }
            }
        }
        let mut body = vec![0; length.ok_or_else(|| invalid("response without Content-Length"))?];
        self.reader.read_exact(&mut body)?;
        Ok(body)
    }
}
