//! Implementations in their own process that misbehave: one that exits at start, one that
//! crashes mid-case, one that hangs, one that prints outside the protocol, one that sends a
//! partial line, one that sends a 100 MB line, one that answers the wrong `seq`, one that sends
//! a tensor that does not decode. Each fails the case it was asked, with what it wrote to
//! stderr; the harness starts a new process and the run goes on; memory stays bounded.
//!
//! The peers are this test binary itself, started again with `LOSSPARITY_HOSTILE_PEER` naming
//! the misbehaviour (so the test needs no interpreter). A peer misbehaves once per scenario (a
//! marker file records it); afterwards it answers every case `unsupported`, which shows that the
//! restarted process took over.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lossparity::__private::{Evaluated, Outcome};
use lossparity::{Harness, Process};

const PEER: &str = "LOSSPARITY_HOSTILE_PEER";
const MARKER: &str = "LOSSPARITY_HOSTILE_MARKER";

/// What the harness must report for a misbehaviour: words of the failure and of the peer's
/// stderr, which the failure must quote.
struct Scenario {
    peer: &'static str,
    failure: &'static str,
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        peer: "crash",
        failure: "exited (",
    },
    Scenario {
        peer: "hang",
        failure: "no answer within 0.5 s",
    },
    Scenario {
        peer: "stray_stdout",
        failure: "a line that is not JSON",
    },
    Scenario {
        peer: "partial_line",
        failure: "without answering",
    },
    Scenario {
        peer: "wrong_seq",
        failure: "answered seq 2 to request seq 1",
    },
    Scenario {
        peer: "malformed_tensor",
        failure: "needs 16 bytes of data, not 3",
    },
];

fn main() {
    if let Ok(misbehaviour) = std::env::var(PEER) {
        return peer(&misbehaviour);
    }
    // First, while this process's peak memory is still its own: a 100 MB line.
    let before = peak_resident_mib();
    scenario(&Scenario {
        peer: "huge_line",
        failure: "a line longer than 64 MiB",
    });
    let after = peak_resident_mib();
    println!("huge_line: peak resident memory {before} MiB before, {after} MiB after");
    assert!(
        after < before + 100,
        "reading a 100 MB line raised peak memory from {before} to {after} MiB: not bounded"
    );
    for s in SCENARIOS {
        scenario(s);
    }
    exit_at_start();
    println!("hostile peers: {} scenarios passed", SCENARIOS.len() + 2);
}

/// Runs the `l1_loss` cases against a peer that misbehaves once, and checks the report.
fn scenario(s: &Scenario) {
    let marker = marker(s.peer);
    let started = Instant::now();
    let process = Process::<f64>::start(peer_command(s.peer, &marker))
        .expect("the peer shakes hands")
        .case_time_limit(Duration::from_millis(500))
        .first_case_time_limit(Duration::from_millis(500));
    let evaluated: Evaluated = Harness::new()
        .adapter(process)
        .losses(["l1_loss"])
        .without_time_limit()
        .evaluate();
    let _ = std::fs::remove_file(&marker);
    let failed: Vec<(String, &str)> = evaluated
        .evaluations
        .iter()
        .filter_map(|e| match &e.outcome {
            Outcome::Failed(failure) => Some((e.id(), failure.message.as_str())),
            _ => None,
        })
        .collect();
    // The case it misbehaved on fails, output and gradient (one answer serves both checks).
    assert_eq!(failed.len(), 2, "{}: failures {failed:#?}", s.peer);
    for (id, message) in &failed {
        assert!(message.contains(s.failure), "{}: {id}: {message}", s.peer);
        assert!(
            message.contains(&format!("hostile peer {}: about to misbehave", s.peer)),
            "{}: {id} does not quote the peer's stderr: {message}",
            s.peer
        );
    }
    // Every other case was answered by a new process: unsupported, hence ignored.
    let ignored = evaluated
        .evaluations
        .iter()
        .filter(|e| matches!(&e.outcome, Outcome::Ignored(r) if r.contains("behaves from now on")))
        .count();
    assert_eq!(
        ignored + 2,
        evaluated.evaluations.len(),
        "{}: the run did not go on after the failure",
        s.peer
    );
    assert!(
        evaluated.evaluations.len() > 20,
        "{}: too few checks ran",
        s.peer
    );
    println!(
        "{}: {} failed with '{}', {ignored} answered by the restarted process, {:.1} s",
        s.peer,
        failed.len(),
        s.failure,
        started.elapsed().as_secs_f64()
    );
}

/// A process that exits before its handshake cannot be certified at all: `start` says why.
fn exit_at_start() {
    let error = Process::<f64>::start(peer_command("exit_at_start", &marker("exit_at_start")))
        .err()
        .expect("a peer that exits at start is refused");
    let message = error.to_string();
    for words in [
        "the handshake failed",
        "exited (exit status: 3)",
        "hostile peer exit_at_start: cannot import the framework",
    ] {
        assert!(message.contains(words), "exit_at_start: {message}");
    }
    println!(
        "exit_at_start: refused with '{}'",
        message.lines().next().unwrap_or_default()
    );
}

fn marker(peer: &str) -> PathBuf {
    std::env::temp_dir().join(format!("lossparity-hostile-{peer}-{}", std::process::id()))
}

fn peer_command(peer: &str, marker: &std::path::Path) -> Vec<String> {
    let exe = std::env::current_exe().expect("the test binary's path");
    // `env` sets the peer's variables, since `Process::start` takes a command line alone.
    vec![
        "env".into(),
        format!("{PEER}={peer}"),
        format!("{MARKER}={}", marker.display()),
        exe.display().to_string(),
    ]
}

/// This process's peak resident set size, in MiB (Linux).
fn peak_resident_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// The peer: shakes hands, misbehaves on its scenario's first request (the marker file is
/// absent), and answers every later request `unsupported`.
fn peer(misbehaviour: &str) {
    if misbehaviour == "exit_at_start" {
        eprintln!("hostile peer exit_at_start: cannot import the framework");
        std::process::exit(3);
    }
    let marker = PathBuf::from(std::env::var(MARKER).expect("the marker's path"));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { return };
        let request: serde_json::Value = serde_json::from_str(&line).expect("the harness's JSON");
        match request["cmd"].as_str() {
            Some("start") => writeln!(
                stdout,
                r#"{{"protocol": 1, "implementation": {{"name": "hostile", "version": "0", "language": "rust", "dtypes": ["float64"]}}}}"#
            ),
            Some("run") => {
                let seq = request["seq"].as_u64().expect("a seq");
                if !marker.exists() {
                    std::fs::write(&marker, b"").expect("the marker is writable");
                    eprintln!("hostile peer {misbehaviour}: about to misbehave");
                    misbehave(misbehaviour, seq, &mut stdout);
                    continue;
                }
                writeln!(
                    stdout,
                    r#"{{"seq": {seq}, "unsupported": {{"reason": "the hostile peer behaves from now on"}}}}"#
                )
            }
            _ => return,
        }
        .and_then(|()| stdout.flush())
        .expect("stdout is open");
    }
}

fn misbehave(misbehaviour: &str, seq: u64, stdout: &mut impl Write) {
    let _ = stdout.flush();
    let write = |stdout: &mut dyn Write, bytes: &[u8]| {
        let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
    };
    match misbehaviour {
        "crash" => std::process::abort(),
        "hang" => std::thread::sleep(Duration::from_secs(3600)),
        "stray_stdout" => write(stdout, b"loading weights from the cache...\n"),
        "partial_line" => {
            write(stdout, format!(r#"{{"seq": {seq}, "outp"#).as_bytes());
            std::process::exit(0);
        }
        "huge_line" => {
            let chunk = vec![b'x'; 1 << 20];
            for _ in 0..100 {
                write(stdout, &chunk);
            }
            write(stdout, b"\n");
            // Blocked above once the harness stops reading; killed then.
            std::thread::sleep(Duration::from_secs(3600));
        }
        "wrong_seq" => write(
            stdout,
            format!(
                "{{\"seq\": {}, \"unsupported\": {{\"reason\": \"off by one\"}}}}\n",
                seq + 1
            )
            .as_bytes(),
        ),
        "malformed_tensor" => write(
            stdout,
            format!(
                "{{\"seq\": {seq}, \"output\": {{\"dtype\": \"float64\", \"shape\": [2], \"data\": \"AAAA\"}}}}\n"
            )
            .as_bytes(),
        ),
        other => panic!("no misbehaviour '{other}'"),
    }
}
