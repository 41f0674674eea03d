//! `--format json`: libtest's JSON events, written here rather than by libtest-mimic because
//! libtest-mimic drops the reason of an ignored trial, and a known difference must not read as
//! an unsupported case. Events and fields are libtest's: a `suite` `started` event, a `test`
//! `started` event and an `ok`, `failed` (with `stdout`) or `ignored` (with `message`) event per
//! trial, and a closing `suite` event with the counts.

use std::io::Write;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Instant;

use libtest_mimic::{Arguments, Conclusion, Trial};

use crate::known::TrialResult;
use crate::runner::PlannedTrial;

/// Runs the trials that `args` selects, on `--test-threads` threads (default: one per core),
/// printing each outcome as it arrives.
pub fn run(args: &Arguments, trials: Vec<PlannedTrial>) -> Conclusion {
    let started = Instant::now();
    let total = trials.len();
    let selected: Vec<PlannedTrial> = trials
        .into_iter()
        .filter(|trial| {
            // libtest-mimic's own filter (`--exact`, `--skip`, `--ignored`) on a stand-in.
            let stand_in = Trial::test(trial.name.clone(), || Ok(())).with_kind(trial.kind);
            !args.is_filtered_out(&stand_in)
        })
        .collect();
    let mut conclusion = Conclusion {
        num_filtered_out: (total - selected.len()) as u64,
        num_passed: 0,
        num_failed: 0,
        num_ignored: 0,
        num_measured: 0,
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        r#"{{ "type": "suite", "event": "started", "test_count": {} }}"#,
        selected.len()
    );
    let threads = args
        .test_threads
        .or_else(|| std::thread::available_parallelism().ok().map(Into::into))
        .unwrap_or(1)
        .max(1);
    let queue = Mutex::new(selected.into_iter());
    let (sender, receiver) = mpsc::channel::<(String, TrialResult)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (queue, sender) = (&queue, sender.clone());
            scope.spawn(move || loop {
                let next = queue.lock().map(|mut trials| trials.next());
                let Ok(Some(trial)) = next else { break };
                let result = (trial.run)();
                if sender.send((trial.name, result)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        for (name, result) in receiver {
            let name = json_string(&name);
            let _ = writeln!(
                out,
                r#"{{ "type": "test", "event": "started", "name": {name} }}"#
            );
            let _ = match result {
                TrialResult::Pass => {
                    conclusion.num_passed += 1;
                    writeln!(
                        out,
                        r#"{{ "type": "test", "name": {name}, "event": "ok" }}"#
                    )
                }
                TrialResult::Fail(message) => {
                    conclusion.num_failed += 1;
                    let stdout = json_string(&format!("Error: {message:?}\n"));
                    writeln!(
                        out,
                        r#"{{ "type": "test", "name": {name}, "event": "failed", "stdout": {stdout} }}"#
                    )
                }
                TrialResult::Ignore(reason) => {
                    conclusion.num_ignored += 1;
                    let message = json_string(&reason);
                    writeln!(
                        out,
                        r#"{{ "type": "test", "name": {name}, "event": "ignored", "message": {message} }}"#
                    )
                }
            };
        }
    });
    let event = if conclusion.num_failed == 0 {
        "ok"
    } else {
        "failed"
    };
    let _ = writeln!(
        out,
        concat!(
            r#"{{ "type": "suite", "event": "{}", "passed": {}, "failed": {}, "ignored": {},"#,
            r#" "measured": 0, "filtered_out": {}, "exec_time": {} }}"#
        ),
        event,
        conclusion.num_passed,
        conclusion.num_failed,
        conclusion.num_ignored,
        conclusion.num_filtered_out,
        started.elapsed().as_secs_f64()
    );
    conclusion
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}
