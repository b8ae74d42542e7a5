//! The HTTP server: the router on hyper's HTTP/1.1 connections, with the timeouts a
//! service on a network needs, and hyper's own error answers in the API's error shape.
//!
//! `axum::serve` sets no timer, so a client that sends half a header block, or opens a
//! connection and sends nothing, holds it (and its task and buffers) for as long as it
//! likes. Here every connection must finish its request headers within
//! [`HEADER_READ_TIMEOUT`] — the first request's and every later one's on a kept-alive
//! connection, so an idle connection is closed after that long too — a request body may
//! pause at most [`BODY_IDLE_TIMEOUT`], and a whole request takes at most
//! [`REQUEST_TIMEOUT`] (the `app` router's layers).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// How long a client has to send a request's headers, and how long a kept-alive
/// connection may sit idle between requests.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest pause in a request body: a client that stops sending mid-body is cut off then.
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(15);

/// Longest a request may take from its headers to its answer, body included (64 MB at
/// 10 Mbit/s takes 54 s), so that a body sent a byte at a time does not hold a
/// connection either. Solves run in the background and do not count.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Largest request header block the service reads (names, values and their line ends).
///
/// hyper's own limit (`max_buf_size`, about 400 KB) bounds its read buffer, not the
/// headers: when the socket already holds more than that, one read can take it all and
/// hyper then parses the whole block. `error::limit_headers` holds every request to
/// this size whatever the reads were.
pub const HEADER_BYTES_LIMIT: usize = 64 * 1024;

/// The sentence for a header block over the limits, from hyper or from
/// `error::limit_headers`.
pub(crate) const HEADERS_TOO_LARGE: &str =
    "the request's headers are larger than the service accepts (at most 100 headers, 64 KB in all)";

/// How long a shutdown waits for requests in flight before it drops their connections.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting, lets
/// the requests in flight finish (at most [`DRAIN_TIMEOUT`]) and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(
                TokioIo::new(ErrorBodies::new(stream)),
                TowerToHyperService::new(router.clone()),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after {} s; closing their connections",
            DRAIN_TIMEOUT.as_secs()
        );
    }
    Ok(())
}

/// The socket under hyper, rewriting the answers hyper gives by itself.
///
/// hyper answers a request it cannot parse (a request line or header it cannot read, a
/// URI or header block over its limits) before any service sees it, with a status line
/// and an empty body. Every other answer comes from the router, whose errors always
/// carry a JSON body; so a head of 400, 414 or 431 with `content-length: 0` and nothing
/// after it is hyper's, and is sent instead with the API's `{code, message, details}`.
struct ErrorBodies {
    inner: TcpStream,
    /// Rewritten bytes still to send, and how many are sent.
    pending: Vec<u8>,
    sent: usize,
}

impl ErrorBodies {
    fn new(inner: TcpStream) -> ErrorBodies {
        ErrorBodies {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }

    /// Sends what is pending.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

/// hyper's bodiless answer in `bytes`, rewritten with a JSON body; `None` for anything else.
fn rewrite(bytes: &[u8]) -> Option<Vec<u8>> {
    let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    if head_end != bytes.len() {
        return None;
    }
    let head = std::str::from_utf8(bytes).ok()?;
    let mut lines = head.split("\r\n").filter(|l| !l.is_empty());
    let status_line = lines.next()?;
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix("HTTP/1.0 "))?
        .get(..3)?;
    let (code, message) = match status {
        "400" => (
            "bad_request",
            "the request cannot be read as HTTP/1.1 (its request line or a header is malformed)",
        ),
        "414" => (
            "uri_too_long",
            "the request's URI is longer than the service accepts; no API address is that long",
        ),
        "431" => ("headers_too_large", HEADERS_TOO_LARGE),
        _ => return None,
    };
    let headers: Vec<&str> = lines.collect();
    if !headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("content-length: 0"))
    {
        return None;
    }
    let body = serde_json::json!({ "code": code, "message": message, "details": [] }).to_string();
    let mut out = format!("{status_line}\r\n");
    for header in headers
        .iter()
        .filter(|h| !h.to_ascii_lowercase().starts_with("content-length:"))
    {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    ));
    Some(out.into_bytes())
}

impl AsyncRead for ErrorBodies {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ErrorBodies {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(rewritten) = rewrite(buf) {
            // Taken whole; sent by this call or by the flush hyper makes next.
            self.pending = rewritten;
            if let Poll::Ready(Err(e)) = self.drain(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Not vectored: hyper then writes a head and its body as one buffer, which is what
    // `rewrite` looks at.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn hypers_bodiless_answers_get_the_error_shape_and_others_pass() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Tue, 01 Dec 2026 10:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite(hyper).unwrap()).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
        assert!(
            head.contains("content-type: application/json")
                && head.contains(&format!("content-length: {}", body.len()))
                && head.contains("date: "),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["code"], "headers_too_large");
        // The router's own answers (a JSON body; a success) are left alone.
        assert!(rewrite(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}").is_none());
        assert!(rewrite(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(rewrite(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\nextra").is_none());
    }
}
