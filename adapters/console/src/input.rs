//! Reading the terminal (or piped input) line by line and printing hearth's answers: the
//! loop around a [`Console`]. Lines are bounded so a huge paste cannot exhaust memory.

use crate::{Console, MAX_LINE_BYTES};
use hearth_chat::Handler;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

/// Reads lines from `input` until it ends or `/quit`, writing hearth's answers to `output`.
/// With `interactive`, a prompt shows who is speaking.
pub async fn run<H, R, W>(
    console: &mut Console<H>,
    mut input: R,
    mut output: W,
    interactive: bool,
) -> std::io::Result<()>
where
    H: Handler,
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf = Vec::new();
    loop {
        if interactive {
            output.write_all(format!("{} › ", console.speaker()).as_bytes()).await?;
            output.flush().await?;
        }
        buf.clear();
        if !read_bounded_line(&mut input, &mut buf, MAX_LINE_BYTES).await? {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let result = console.line(&line).await;
        output.write_all(result.text.as_bytes()).await?;
        output.flush().await?;
        if result.quit {
            break;
        }
    }
    Ok(())
}

/// Reads one line into `buf`, keeping at most `max` bytes of it. False at end of input.
async fn read_bounded_line<R: AsyncBufRead + Unpin>(
    input: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<bool> {
    let mut read_any = false;
    loop {
        let chunk = input.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(read_any);
        }
        read_any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..=i], true),
            None => (chunk, false),
        };
        let room = max.saturating_sub(buf.len());
        buf.extend_from_slice(&part[..part.len().min(room)]);
        let used = part.len();
        input.consume(used);
        if done {
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn long_lines_are_cut_and_the_next_line_survives() {
        let data = format!("{}\nnext\n", "x".repeat(100));
        let mut input = tokio::io::BufReader::with_capacity(8, data.as_bytes());
        let mut buf = Vec::new();
        assert!(read_bounded_line(&mut input, &mut buf, 10).await.unwrap());
        assert_eq!(buf, b"xxxxxxxxxx");
        buf.clear();
        assert!(read_bounded_line(&mut input, &mut buf, 10).await.unwrap());
        assert_eq!(buf, b"next\n");
        buf.clear();
        assert!(!read_bounded_line(&mut input, &mut buf, 10).await.unwrap());
    }
}
