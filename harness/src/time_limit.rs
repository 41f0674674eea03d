//! The per-trial time limit: an adapter call that does not return in time fails its trial,
//! and the run goes on (`spec/adapter-contract.md`).
//!
//! Rust cannot stop a thread from outside, so a call under a time limit runs on a helper
//! thread (each calling thread keeps one and reuses it). When the limit passes, the trial is
//! failed and that helper is abandoned: it keeps running (and, if it spins, keeps a core busy)
//! until the process exits; the next call starts a new helper.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// The limit a [`crate::Harness`] applies unless told otherwise: generous for any real
/// implementation (the slowest bundled case takes well under a millisecond in the reference),
/// short enough that a hung adapter is reported within a `cargo test` run.
pub const DEFAULT: Duration = Duration::from_secs(10);

/// The environment variable that overrides the limit, in seconds (`0` for none).
pub const ENV_VAR: &str = "LOSSPARITY_TIME_LIMIT";

/// Why a call under a time limit gave no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unfinished {
    /// It had not returned when the limit passed.
    TimedOut(Duration),
    /// Its thread could not be started (the system is out of threads).
    NoThread(String),
    /// Its thread ended without a result: the call panicked (adapter calls made through the
    /// runner never do; their panics are caught and reported).
    Panicked,
}

impl std::fmt::Display for Unfinished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unfinished::TimedOut(limit) => write!(
                f,
                "the adapter did not return within the time limit of {limit:?} (set it with \
                 Harness::time_limit or {ENV_VAR}=SECONDS); its thread was abandoned"
            ),
            Unfinished::NoThread(e) => write!(f, "cannot start a thread for the trial: {e}"),
            Unfinished::Panicked => f.write_str("the trial's thread panicked"),
        }
    }
}

/// The time limit `configured` on a harness, unless the environment variable [`ENV_VAR`]
/// sets another (`0` disables the limit). An unparsable value is ignored with a warning.
pub fn from_env_or(configured: Option<Duration>) -> Option<Duration> {
    let Ok(text) = std::env::var(ENV_VAR) else {
        return configured;
    };
    match text.trim().parse::<f64>() {
        Ok(0.0) => None,
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => {
            Some(Duration::from_secs_f64(seconds))
        }
        _ => {
            eprintln!("lossparity: ignoring {ENV_VAR}={text:?}: not a number of seconds");
            configured
        }
    }
}

/// Runs `f`, on a helper thread when there is a `limit`, and returns its result, or
/// [`Unfinished::TimedOut`] if it has not returned when the limit passes.
pub fn run_within<T: Send + 'static>(
    limit: Option<Duration>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Unfinished> {
    let Some(limit) = limit else {
        return Ok(f());
    };
    let helper = match HELPER.with(|helper| helper.borrow_mut().take()) {
        Some(helper) => helper,
        None => Helper::start()?,
    };
    let (sender, receiver) = mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        // The receiver is gone only if the limit passed; the result is then unwanted.
        let _ = sender.send(f());
    });
    if helper.jobs.send(job).is_err() {
        return Err(Unfinished::Panicked);
    }
    match receiver.recv_timeout(limit) {
        Ok(result) => {
            // The helper is free again: keep it for this thread's next call.
            HELPER.with(|slot| *slot.borrow_mut() = Some(helper));
            Ok(result)
        }
        // The helper is still inside the call: abandon it (dropping it closes its queue, so
        // it exits if the call ever returns).
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Unfinished::TimedOut(limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Unfinished::Panicked),
    }
}

/// A call to run on a helper thread.
type Job = Box<dyn FnOnce() + Send>;

/// A thread that runs the calls of one calling thread, one at a time, so a timed call costs
/// two channel messages rather than a thread start.
struct Helper {
    jobs: mpsc::Sender<Job>,
}

impl Helper {
    fn start() -> Result<Helper, Unfinished> {
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("lossparity-trial".into())
            .spawn(move || {
                for job in queue {
                    job();
                }
            })
            .map_err(|e| Unfinished::NoThread(e.to_string()))?;
        Ok(Helper { jobs })
    }
}

thread_local! {
    /// This thread's idle helper, if it has one.
    static HELPER: std::cell::RefCell<Option<Helper>> = const { std::cell::RefCell::new(None) };
}
