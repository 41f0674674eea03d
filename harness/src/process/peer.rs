//! One running implementation: its child process, its stdout read line by line in bounded
//! pieces on a thread of its own (so a wait can time out), and the last of its stderr.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The longest line an implementation may write; a longer one breaks the protocol.
pub const MAX_LINE: usize = 64 << 20;

/// How much of the end of its stderr is kept for failure messages.
const STDERR_TAIL: usize = 64 << 10;

/// What the stdout reader saw.
enum StdoutEvent {
    Line(Vec<u8>),
    TooLong,
    End,
}

/// A running implementation.
pub struct Peer {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<StdoutEvent>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
    stderr_reader: thread::JoinHandle<()>,
}

impl Peer {
    /// Starts `argv` (a program and its arguments) with piped stdin, stdout and stderr.
    pub fn spawn(argv: &[String]) -> Result<Peer, String> {
        let (program, args) = argv.split_first().ok_or("an empty command")?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {program:?}: {e}"))?;
        let stdout = child.stdout.take().expect("piped");
        let stderr_pipe = child.stderr.take().expect("piped");
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || read_lines(BufReader::new(stdout), &sender));
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let tail = Arc::clone(&stderr);
        let stderr_reader = thread::spawn(move || keep_tail(stderr_pipe, &tail));
        Ok(Peer {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
            stderr_reader,
        })
    }

    /// Writes `line` and a newline.
    pub fn send(&mut self, line: &str) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("its stdin is closed")?;
        let written = stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.write_all(b"\n"))
            .and_then(|()| stdin.flush());
        written.map_err(|e| match self.exit_status() {
            Some(status) => format!("it exited ({status}) before reading its input"),
            None => format!("cannot write to it ({e}): it closed its stdin"),
        })
    }

    /// Its exit status, if it has exited or exits within a moment (so that its status and last
    /// stderr are in).
    fn exit_status(&mut self) -> Option<String> {
        (0..20).find_map(|_| match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            _ => {
                thread::sleep(Duration::from_millis(10));
                None
            }
        })
    }

    /// The next line it writes, within `limit`.
    pub fn receive(&mut self, limit: Duration) -> Result<Vec<u8>, String> {
        match self.lines.recv_timeout(limit) {
            Ok(StdoutEvent::Line(line)) => Ok(line),
            Ok(StdoutEvent::TooLong) => Err(format!(
                "it wrote a line longer than {} MiB",
                MAX_LINE >> 20
            )),
            Ok(StdoutEvent::End) | Err(RecvTimeoutError::Disconnected) => {
                Err(match self.exit_status() {
                    Some(status) => format!("it exited ({status}) without answering"),
                    None => "it closed its stdout without answering".to_owned(),
                })
            }
            Err(RecvTimeoutError::Timeout) => {
                Err(format!("no answer within {:.1} s", limit.as_secs_f64()))
            }
        }
    }

    /// Kills it and returns the end of what it wrote to stderr, once that is all read (or
    /// after a moment, if something else it started still holds its stderr open).
    pub fn kill(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for _ in 0..50 {
            if self.stderr_reader.is_finished() {
                break;
            }
            thread::sleep(Duration::from_millis(5));
        }
        self.stderr_tail()
    }

    /// The end of what it wrote to stderr so far, as text.
    pub fn stderr_tail(&self) -> String {
        let tail: Vec<u8> = self
            .stderr
            .lock()
            .map(|t| t.iter().copied().collect())
            .unwrap_or_default();
        String::from_utf8_lossy(&tail).into_owned()
    }

    /// Asks it to stop (`stop`, then end of input) and waits up to `grace` before killing it.
    pub fn stop(mut self, stop_line: &str, grace: Duration) {
        let _ = self.send(stop_line);
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + grace;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Sends each line of `stdout` (without its newline) until it ends or a line exceeds
/// [`MAX_LINE`]; never holds more than one line of at most that size.
fn read_lines(mut stdout: impl BufRead, sender: &mpsc::Sender<StdoutEvent>) {
    let mut line = Vec::new();
    loop {
        let buffer = match stdout.fill_buf() {
            Ok([]) | Err(_) => {
                let _ = sender.send(StdoutEvent::End);
                return;
            }
            Ok(buffer) => buffer,
        };
        let (taken, complete) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len(), false),
        };
        let content = &buffer[..if complete { taken - 1 } else { taken }];
        if line.len() + content.len() > MAX_LINE {
            let _ = sender.send(StdoutEvent::TooLong);
            return;
        }
        line.extend_from_slice(content);
        stdout.consume(taken);
        if complete
            && sender
                .send(StdoutEvent::Line(std::mem::take(&mut line)))
                .is_err()
        {
            return;
        }
    }
}

/// Keeps the last [`STDERR_TAIL`] bytes of `stderr` in `tail`.
fn keep_tail(mut stderr: impl Read, tail: &Mutex<VecDeque<u8>>) {
    let mut buffer = [0u8; 8192];
    while let Ok(n) = stderr.read(&mut buffer) {
        if n == 0 {
            return;
        }
        let Ok(mut tail) = tail.lock() else { return };
        tail.extend(&buffer[..n]);
        let excess = tail.len().saturating_sub(STDERR_TAIL);
        tail.drain(..excess);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8]) -> Vec<Result<Vec<u8>, &'static str>> {
        let (sender, receiver) = mpsc::channel();
        read_lines(std::io::Cursor::new(bytes.to_vec()), &sender);
        drop(sender);
        receiver
            .into_iter()
            .map(|read| match read {
                StdoutEvent::Line(line) => Ok(line),
                StdoutEvent::TooLong => Err("too long"),
                StdoutEvent::End => Err("end"),
            })
            .collect()
    }

    #[test]
    fn lines_are_split_and_a_partial_last_line_is_not_an_answer() {
        assert_eq!(
            lines_of(b"a\nbc\npartial"),
            vec![Ok(b"a".to_vec()), Ok(b"bc".to_vec()), Err("end")]
        );
    }

    #[test]
    fn a_line_over_the_limit_stops_the_reader() {
        let mut long = vec![b'x'; MAX_LINE + 1];
        long.push(b'\n');
        assert_eq!(lines_of(&long), vec![Err("too long")]);
    }
}
