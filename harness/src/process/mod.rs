//! Implementations in their own process, in any language, certified through the process
//! protocol (`spec/protocol.md`): newline-delimited JSON on the process's stdin and stdout.

mod base64;
mod peer;
mod wire;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lossparity_reference::{LossError, Tensor};

use crate::adapter::{Adapter, Call, Gradients, Scalar, Support};
use peer::Peer;
use wire::{Answer, Hello};

/// How many answers are kept, so that a case's gradient check reuses the answer its output
/// check got (the two run close together); an answer no longer kept is asked for again.
const KEPT_ANSWERS: usize = 256;

/// An implementation under test that runs in its own process and speaks the process protocol:
/// an [`Adapter`] like any other, so known differences, reports and the fuzzer work unchanged.
///
/// ```no_run
/// // tests/conformance.rs, certifying a Python implementation in f32:
/// let implementation = lossparity::Process::<f32>::start(["python3", "my_adapter.py"])
///     .expect("the implementation starts and shakes hands");
/// lossparity::Harness::new()
///     .adapter(implementation)
///     .without_time_limit() // the process has its own per-case limits
///     .run()
/// ```
///
/// A process that exits, hangs past its time limit, writes something that is not the
/// protocol or answers the wrong request fails the case being run, with the end of its stderr;
/// it is then stopped, and a new one started for the next case.
pub struct Process<T: Scalar> {
    argv: Vec<String>,
    name: String,
    hello: Hello,
    case_limit: Duration,
    first_case_limit: Duration,
    state: Mutex<State<T>>,
    scalar: PhantomData<T>,
}

/// A process that could not be certified at all: it did not start, or its handshake failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessError {
    message: String,
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProcessError {}

/// The panic payload of a case the process failed (a protocol failure rather than a wrong
/// value): the runner reports its message alone.
#[derive(Debug)]
pub(crate) struct PeerFailure(pub String);

/// The running process and the answers it gave.
struct State<T> {
    peer: Option<Peer>,
    /// Whether the running process has answered a case yet (the first gets a longer limit).
    warmed_up: bool,
    seq: u64,
    answers: HashMap<String, Result<Arc<Answer<T>>, String>>,
    order: VecDeque<String>,
}

impl<T: Scalar> Process<T> {
    /// The default limit on one case's answer.
    pub const DEFAULT_CASE_TIME_LIMIT: Duration = Duration::from_secs(10);
    /// The default limit on the handshake and the first case of each process (start-up, JIT
    /// compilation).
    pub const DEFAULT_FIRST_CASE_TIME_LIMIT: Duration = Duration::from_secs(60);

    /// Starts `argv` (a program and its arguments) and shakes hands with it: it must speak a
    /// protocol version of this harness and compute in `T`.
    pub fn start<S: AsRef<str>>(argv: impl IntoIterator<Item = S>) -> Result<Self, ProcessError> {
        let argv: Vec<String> = argv.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let limit = Self::DEFAULT_FIRST_CASE_TIME_LIMIT;
        let (peer, hello) = handshake::<T>(&argv, limit)
            .or_else(|_| handshake::<T>(&argv, limit))
            .map_err(|message| ProcessError { message })?;
        Ok(Process {
            name: format!("{}_{}", hello.name, T::DTYPE.name()),
            argv,
            hello,
            case_limit: Self::DEFAULT_CASE_TIME_LIMIT,
            first_case_limit: limit,
            state: Mutex::new(State {
                peer: Some(peer),
                warmed_up: false,
                seq: 0,
                answers: HashMap::new(),
                order: VecDeque::new(),
            }),
            scalar: PhantomData,
        })
    }

    /// Starts a command line such as `python3 adapters/pytorch/adapter.py`: words separated by
    /// spaces, with `'…'` and `"…"` quoting and `\` escaping as in a shell (no variables, no
    /// globbing).
    pub fn start_command_line(command_line: &str) -> Result<Self, ProcessError> {
        let argv = split_command_line(command_line).map_err(|message| ProcessError { message })?;
        Self::start(argv)
    }

    /// Limits each case's answer to `limit` (default [`Self::DEFAULT_CASE_TIME_LIMIT`]).
    pub fn case_time_limit(mut self, limit: Duration) -> Self {
        self.case_limit = limit;
        self
    }

    /// Limits the first case of each process to `limit` (default
    /// [`Self::DEFAULT_FIRST_CASE_TIME_LIMIT`]).
    pub fn first_case_time_limit(mut self, limit: Duration) -> Self {
        self.first_case_limit = limit;
        self
    }

    /// The implementation's name, version and language, as its handshake gave them.
    pub fn implementation(&self) -> (&str, &str, &str) {
        (&self.hello.name, &self.hello.version, &self.hello.language)
    }

    /// The implementation's answer to `call`: the one kept, or a new one.
    fn answer(&self, call: &Call<'_, T>) -> Result<Arc<Answer<T>>, String> {
        // The case and the request itself (its seq left at 0) are the key: cases of one name
        // can differ (the fuzzer's shrinking steps), and a peer's failure belongs to the case
        // it was asked, not to another case asking the same.
        let key = format!("{}\n{}", call.case().id(), wire::run(0, call, true));
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(answer) = state.answers.get(&key) {
            return answer.clone();
        }
        let answer = self.ask(&mut state, call).map(Arc::new);
        if state.order.len() >= KEPT_ANSWERS {
            if let Some(oldest) = state.order.pop_front() {
                state.answers.remove(&oldest);
            }
        }
        state.order.push_back(key.clone());
        state.answers.insert(key, answer.clone());
        answer
    }

    /// Sends `call` to the running process (starting one if none runs) and reads its answer;
    /// on any failure, stops the process so the next case gets a new one.
    fn ask(&self, state: &mut State<T>, call: &Call<'_, T>) -> Result<Answer<T>, String> {
        if state.peer.is_none() {
            let (peer, _) = handshake::<T>(&self.argv, self.first_case_limit)
                .map_err(|e| format!("{}: restarting it failed: {e}", self.name))?;
            state.peer = Some(peer);
            state.warmed_up = false;
        }
        state.seq += 1;
        let seq = state.seq;
        let limit = if state.warmed_up {
            self.case_limit
        } else {
            self.first_case_limit
        };
        let peer = state.peer.as_mut().expect("started above");
        let result = peer
            .send(&wire::run(seq, call, true))
            .and_then(|()| peer.receive(limit))
            .and_then(|line| wire::answer::<T>(&line, seq));
        match result {
            Ok(answer) => {
                state.warmed_up = true;
                Ok(answer)
            }
            Err(error) => {
                let peer = state.peer.take().expect("running");
                Err(failure(&self.name, &error, &peer.kill()))
            }
        }
    }

    /// Whether the implementation offers `call`'s loss at all, by its handshake.
    fn offers(&self, call: &Call<'_, T>) -> Option<Support> {
        match &self.hello.losses {
            Some(losses) if !losses.iter().any(|l| l == call.loss()) => Some(Support::Unsupported(
                format!("{} does not offer {}", self.hello.name, call.loss()),
            )),
            _ => None,
        }
    }
}

impl<T: Scalar> Drop for Process<T> {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(peer) = state.peer.take() {
            peer.stop(&wire::stop(), Duration::from_secs(1));
        }
    }
}

impl<T: Scalar> Adapter for Process<T> {
    type Scalar = T;

    fn name(&self) -> &str {
        &self.name
    }

    fn supports(&self, call: &Call<'_, T>) -> Support {
        if let Some(unsupported) = self.offers(call) {
            return unsupported;
        }
        match self.answer(call).as_deref() {
            Ok(Answer::Unsupported { reason, issue }) => Support::Unsupported(match issue {
                Some(issue) => format!("{reason} ({issue})"),
                None => reason.clone(),
            }),
            // A failure is reported by `forward`, as the case's failure.
            _ => Support::Supported,
        }
    }

    fn forward(&self, call: &Call<'_, T>) -> Result<Tensor<T>, LossError> {
        match self.answer(call).as_deref() {
            Ok(Answer::Output { output, .. }) => Ok(output.clone()),
            Ok(Answer::Error(error)) => Err(error.clone()),
            Ok(Answer::Unsupported { .. }) => unreachable!("supports() reported it"),
            Err(message) => std::panic::panic_any(PeerFailure(message.clone())),
        }
    }

    fn supports_gradient(&self, call: &Call<'_, T>) -> Support {
        if let Some(unsupported) = self.offers(call) {
            return unsupported;
        }
        match self.answer(call).as_deref() {
            Ok(Answer::Output {
                gradients: None, ..
            }) => Support::Unsupported(format!("{} computes no gradients", self.hello.name)),
            _ => self.supports(call),
        }
    }

    fn gradient(&self, call: &Call<'_, T>) -> Result<Gradients<T>, LossError> {
        match self.answer(call).as_deref() {
            Ok(Answer::Output {
                gradients: Some(gradients),
                ..
            }) => Ok(gradients.clone()),
            Ok(Answer::Error(error)) => Err(error.clone()),
            Ok(_) => unreachable!("supports_gradient() reported it"),
            Err(message) => std::panic::panic_any(PeerFailure(message.clone())),
        }
    }
}

/// Starts `argv` and shakes hands with it within `limit`.
fn handshake<T: Scalar>(argv: &[String], limit: Duration) -> Result<(Peer, Hello), String> {
    let command = argv.join(" ");
    let mut peer = Peer::spawn(argv)?;
    let hello = peer
        .send(&wire::start())
        .and_then(|()| peer.receive(limit))
        .and_then(|line| wire::hello(&line))
        .and_then(|hello| {
            let dtype = wire::dtype_name(T::DTYPE);
            if hello.dtypes.iter().any(|d| d == dtype) {
                Ok(hello)
            } else {
                Err(format!("it computes in {:?}, not in {dtype}", hello.dtypes))
            }
        });
    match hello {
        Ok(hello) => Ok((peer, hello)),
        Err(error) => Err(failure(
            &format!("`{command}`: the handshake failed"),
            &error,
            &peer.kill(),
        )),
    }
}

/// A failure message: what went wrong, and the last lines the process wrote to stderr.
fn failure(who: &str, error: &str, stderr: &str) -> String {
    const LINES: usize = 20;
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = &lines[lines.len().saturating_sub(LINES)..];
    if tail.is_empty() {
        format!("{who}: {error}; it wrote nothing to stderr")
    } else {
        format!(
            "{who}: {error}; the end of its stderr:\n    {}",
            tail.join("\n    ")
        )
    }
}

/// A command line's words: separated by unquoted whitespace, with `'…'` (literal), `"…"`
/// (where `\"` and `\\` are escapes) and `\` outside quotes escaping the next character.
fn split_command_line(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
            }
            '\'' => {
                let current = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => current.push(c),
                        None => return Err(format!("an unclosed ' in {line:?}")),
                    }
                }
            }
            '"' => {
                let current = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => current.push(c),
                            Some(c) => {
                                current.push('\\');
                                current.push(c);
                            }
                            None => return Err(format!("an unclosed \" in {line:?}")),
                        },
                        Some(c) => current.push(c),
                        None => return Err(format!("an unclosed \" in {line:?}")),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => return Err(format!("a trailing \\ in {line:?}")),
            },
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    if words.is_empty() {
        return Err("an empty command line".into());
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_split_like_a_shell_without_expansion() {
        assert_eq!(
            split_command_line("python3  adapters/pytorch/adapter.py --dtype f32").unwrap(),
            ["python3", "adapters/pytorch/adapter.py", "--dtype", "f32"]
        );
        assert_eq!(
            split_command_line(r#"run 'a b' "c \"d\"" e\ f '' $HOME"#).unwrap(),
            ["run", "a b", "c \"d\"", "e f", "", "$HOME"]
        );
        assert!(split_command_line("run 'open").is_err());
        assert!(split_command_line("   ").is_err());
    }
}
