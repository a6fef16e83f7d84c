//! A small blocking HTTP/1.1 server: one thread per connection, keep-alive,
//! `Content-Length` bodies, POST only (plus CORS preflight).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Largest request body accepted.
const MAX_BODY: usize = 64 << 20;
/// Largest request head (request line + headers).
const MAX_HEAD: usize = 64 << 10;
/// A connection idle this long is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// Answers a request body; `None` means no content (JSON-RPC notifications).
pub type Handler = Arc<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync>;

/// Accepts connections until `stop` is set (then one more connection wakes it).
pub fn serve(listener: TcpListener, handler: Handler, stop: Arc<AtomicBool>) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let handler = handler.clone();
        // Requests execute on the connection's thread, so it gets the stack a transaction needs.
        let _ = crate::chain::spawn_with_execution_stack("devnet-http", move || connection(stream, &handler));
    }
}

#[derive(Debug)]
struct Request {
    method: String,
    body: Vec<u8>,
    keep_alive: bool,
}

/// Serves requests on one connection until it closes or errs.
fn connection(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, &mut writer) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err((status, message)) => {
                let _ = respond(&mut writer, status, "text/plain", message.as_bytes(), false);
                return;
            }
        };
        let written = match request.method.as_str() {
            "POST" => match handler(&request.body) {
                Some(body) => respond(&mut writer, "200 OK", "application/json", &body, request.keep_alive),
                None => respond(&mut writer, "204 No Content", "application/json", &[], request.keep_alive),
            },
            "OPTIONS" => respond(&mut writer, "204 No Content", "text/plain", &[], request.keep_alive),
            _ => respond(&mut writer, "405 Method Not Allowed", "text/plain", b"JSON-RPC needs POST", request.keep_alive),
        };
        if written.is_err() || !request.keep_alive {
            return;
        }
    }
}

/// Reads one request (answering `Expect: 100-continue` on `writer`);
/// `Ok(None)` when the peer closed the connection.
fn read_request(reader: &mut impl BufRead, writer: &mut impl Write) -> Result<Option<Request>, (&'static str, String)> {
    let bad = |message: &str| ("400 Bad Request", message.to_string());
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = reader.by_ref().take(MAX_HEAD as u64).read_until(b'\n', &mut line).map_err(|e| bad(&e.to_string()))?;
        if n == 0 {
            return if head.is_empty() { Ok(None) } else { Err(bad("connection closed inside the request head")) };
        }
        if line == b"\r\n" || line == b"\n" {
            if head.is_empty() {
                continue; // tolerate blank lines between requests
            }
            break;
        }
        head.push(String::from_utf8(line).map_err(|_| bad("request head is not UTF-8"))?);
        if head.iter().map(String::len).sum::<usize>() > MAX_HEAD {
            return Err(("431 Request Header Fields Too Large", "request head too large".into()));
        }
    }
    let mut request_line = head[0].split_whitespace();
    let method = request_line.next().unwrap_or_default().to_string();
    let version = request_line.nth(1).unwrap_or("HTTP/1.0");
    let mut keep_alive = version == "HTTP/1.1";
    let mut length = 0usize;
    let mut expect_continue = false;
    for header in &head[1..] {
        let Some((name, value)) = header.split_once(':') else { return Err(bad("malformed header")) };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().map_err(|_| bad("bad Content-Length"))?,
            "expect" => expect_continue = value.eq_ignore_ascii_case("100-continue"),
            "transfer-encoding" => return Err(("411 Length Required", "chunked bodies are not supported".into())),
            "connection" => keep_alive = !value.eq_ignore_ascii_case("close") && (keep_alive || value.eq_ignore_ascii_case("keep-alive")),
            _ => {}
        }
    }
    if length > MAX_BODY {
        return Err(("413 Payload Too Large", format!("body larger than {MAX_BODY} bytes")));
    }
    if expect_continue {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").map_err(|e| bad(&e.to_string()))?;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| bad(&format!("short body: {e}")))?;
    Ok(Some(Request { method, body, keep_alive }))
}

fn respond(writer: &mut impl Write, status: &str, content_type: &str, body: &[u8], keep_alive: bool) -> std::io::Result<()> {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: {connection}\r\n\
         Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, OPTIONS\r\n\
         Access-Control-Allow-Headers: Content-Type\r\n\r\n",
        body.len()
    )
    .into_bytes();
    // One write, so one segment (the socket has no Nagle delay): the client
    // wakes once per response, not for the head and again for the body.
    response.extend_from_slice(body);
    writer.write_all(&response)?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keep_alive_requests_with_bodies() {
        let raw =
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        let mut reader = &raw[..];
        let mut sink = Vec::new();
        let first = read_request(&mut reader, &mut sink).unwrap().unwrap();
        assert_eq!((first.method.as_str(), first.body.as_slice(), first.keep_alive), ("POST", &b"{}"[..], true));
        let second = read_request(&mut reader, &mut sink).unwrap().unwrap();
        assert!(!second.keep_alive);
        assert!(read_request(&mut reader, &mut sink).unwrap().is_none());
        assert!(sink.is_empty());
    }

    #[test]
    fn answers_expect_continue_before_reading_the_body() {
        let mut reader = &b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}"[..];
        let mut sink = Vec::new();
        assert_eq!(read_request(&mut reader, &mut sink).unwrap().unwrap().body, b"{}");
        assert_eq!(sink, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn refuses_bad_lengths_and_chunked_bodies() {
        let read = |raw: &'static [u8]| read_request(&mut &raw[..], &mut Vec::new()).unwrap_err();
        assert_eq!(read(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n").0, "400 Bad Request");
        assert_eq!(read(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").0, "411 Length Required");
        assert!(read(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{}").1.contains("short body"));
        assert_eq!(read(b"POST / HTTP/1.1\r\nbroken\r\n\r\n").1, "malformed header");
    }
}
