//! The editor server's input: LSP messages framed by `Content-Length` headers, read
//! with limits. lsp-server's own reader trusts the header: `Content-Length:
//! 18446744073709551615` panicked, 10^12 aborted and 3e9 reserved 2.9 GB before a byte
//! arrived; a broken message ended the server. Here a message larger than
//! [`MAX_MESSAGE`] is reported at once and then skipped with [`skip`] (read and dropped
//! as it arrives), a malformed one is reported, and the server reads on. Only a header
//! it cannot follow ends the stream.

use lsp_server::Message;
use std::io::{BufRead, Read};

/// The largest message read (a document's full text travels in one).
pub const MAX_MESSAGE: u64 = 64 << 20;

/// The longest header line: real ones are a few dozen bytes.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// What the next frame held.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// Not a message the server can use, with why; the stream is still in step.
    Malformed(String),
    /// A body of this length, larger than [`MAX_MESSAGE`], not read yet: [`skip`] it.
    TooLarge(u64),
}

impl Frame {
    /// What to tell the user about a frame that is not a message.
    pub fn problem(&self) -> Option<String> {
        match self {
            Frame::Message(_) => None,
            Frame::Malformed(why) => Some(format!("a malformed message was ignored: {why}")),
            Frame::TooLarge(length) => Some(format!(
                "a message of {length} bytes is ignored: adlint reads messages of up to {} MiB",
                MAX_MESSAGE >> 20
            )),
        }
    }
}

/// Reads and drops `length` bytes as they arrive; false if the input ended first.
pub fn skip(input: &mut impl BufRead, length: u64) -> Result<bool, StreamError> {
    let dropped = std::io::copy(&mut input.by_ref().take(length), &mut std::io::sink())
        .map_err(StreamError::Io)?;
    Ok(dropped == length)
}

/// Why the stream cannot be read on.
#[derive(Debug)]
pub enum StreamError {
    Io(std::io::Error),
    /// A header that does not parse: where the next message starts is unknown.
    Header(String),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Io(e) => write!(f, "cannot read the client's messages: {e}"),
            StreamError::Header(h) => write!(f, "malformed message header: {h}"),
        }
    }
}

/// Reads the next frame; `Ok(None)` at the end of the input.
pub fn read(input: &mut impl BufRead) -> Result<Option<Frame>, StreamError> {
    let mut length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .map_err(StreamError::Io)?;
        if n == 0 {
            return if first {
                Ok(None)
            } else {
                Err(StreamError::Header("the input ends inside a header".into()))
            };
        }
        first = false;
        let Some(line) = line.strip_suffix(b"\r\n") else {
            let shown = String::from_utf8_lossy(&line[..line.len().min(80)]).into_owned();
            return Err(StreamError::Header(format!("{shown:?}")));
        };
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8_lossy(line);
        let Some((name, value)) = line.split_once(':') else {
            return Err(StreamError::Header(format!("{line:?}")));
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let value = value.trim();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(StreamError::Header(format!("{line:?}")));
            }
            // Too many digits for a u64 is too large all the same.
            length = Some(value.parse::<u64>().unwrap_or(u64::MAX));
        }
    }
    let Some(length) = length else {
        return Err(StreamError::Header("no Content-Length".into()));
    };
    if length > MAX_MESSAGE {
        return Ok(Some(Frame::TooLarge(length)));
    }
    // Grows as the bytes arrive: a length announced is not memory reserved.
    let mut body = Vec::new();
    input
        .by_ref()
        .take(length)
        .read_to_end(&mut body)
        .map_err(StreamError::Io)?;
    if (body.len() as u64) < length {
        return Ok(None);
    }
    Ok(Some(match serde_json::from_slice::<Message>(&body) {
        Ok(m) => Frame::Message(m),
        Err(e) => Frame::Malformed(e.to_string()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Result<Frame, String>> {
        let mut r = input;
        let mut out = Vec::new();
        loop {
            match read(&mut r) {
                Ok(Some(Frame::TooLarge(n))) => {
                    out.push(Ok(Frame::TooLarge(n)));
                    if !skip(&mut r, n).unwrap() {
                        break;
                    }
                }
                Ok(Some(f)) => out.push(Ok(f)),
                Ok(None) => break,
                Err(e) => {
                    out.push(Err(e.to_string()));
                    break;
                }
            }
        }
        out
    }

    const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn huge_lengths_are_skipped_and_the_next_message_is_read() {
        for length in [
            "18446744073709551615",
            "1000000000000",
            "3000000000",
            "99999999999999999999999",
        ] {
            // Reported before the body is read; it never comes, and the input ends: no
            // panic and no memory reserved.
            let input = format!("Content-Length: {length}\r\n\r\n{{}}");
            let got = frames(input.as_bytes());
            assert!(
                matches!(got[..], [Ok(Frame::TooLarge(_))]),
                "{length}: {got:?}"
            );
        }
        // A body just over the limit is dropped, and the message after it is read.
        let big = MAX_MESSAGE + 1;
        let mut input = format!("Content-Length: {big}\r\n\r\n").into_bytes();
        input.resize(input.len() + big as usize, b' ');
        input.extend(framed(EXIT).bytes());
        let got = frames(&input);
        let problem = got[0].as_ref().ok().and_then(Frame::problem).unwrap();
        assert!(problem.contains("up to 64 MiB"), "{got:?}");
        assert!(
            matches!(&got[1], Ok(Frame::Message(Message::Notification(n))) if n.method == "exit")
        );
    }

    #[test]
    fn a_malformed_body_is_skipped_and_a_malformed_header_ends_the_stream() {
        let input = framed("{not json") + &framed("\u{feff}") + &framed(EXIT);
        let got = frames(input.as_bytes());
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(matches!(&got[0], Ok(Frame::Malformed(_))));
        assert!(matches!(&got[2], Ok(Frame::Message(_))));
        for bad in [
            "Content-Length: -1\r\n\r\n",
            "Content-Length: 12\n\n",
            "Content-Type: x\r\n\r\n{}",
            "Content-Length: 2\r\n",
            "no colon\r\n\r\n",
        ] {
            let got = frames(bad.as_bytes());
            assert!(matches!(got.last(), Some(Err(_))), "{bad:?}: {got:?}");
        }
        // An endless header line is not read whole.
        let long = "X".repeat(1 << 20);
        assert!(matches!(frames(long.as_bytes()).last(), Some(Err(_))));
    }
}
