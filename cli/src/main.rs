//! `lossparity`: run the suite from the command line.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use lossparity::__private::{Check, Evaluated, Outcome, Spec, TrialResult};
use lossparity::{Harness, Reference};

const USAGE: &str = "\
usage: lossparity run [--filter TEXT] [--verbose] [--time-limit SECONDS] [PATH...]
                      [--exec 'CMD ARGS' [--dtype f64|f32|f16|bf16] [--case-time-limit S]
                       [--first-case-time-limit S] [--known-differences FILE]]
                      [--results DIR] [--check-report FILE]
       lossparity fill FILE --exec 'CMD ARGS' [--out FILE]
       lossparity list [PATH...]
       lossparity coverage [PATH...]
       lossparity report [--results DIR] [--out DIR]
       lossparity mutants [PATH...]
       lossparity fuzz (--adapter NAME | --exec 'CMD ARGS' [--dtype f64|f32|f16|bf16])
                       [--loss L]... [--seed S] [--count N] [--out DIR]

run    runs the f64 reference against case files or directories (default: the bundled
       cases/), prints each failure, a per-loss summary and the line 'N passed, N failed,
       N ignored'; exits 1 on any failure or case-file error. With --exec, runs the
       implementation that command line starts instead, speaking the process protocol
       (spec/protocol.md), in --dtype (default f64), each case within --case-time-limit
       (default 10 s; the first of each process within --first-case-time-limit, default
       60 s); --known-differences FILE lists its explained failures (YAML: pattern, reason,
       upstream; entries for other adapters are left out; an entry that lists no trial or
       a trial that passes fails). --results DIR also writes the results where `report`
       gathers them; --check-report FILE fails the run unless the results.json FILE (the
       committed reports/results.json) holds the same outcome for every check.
fill   fills an input-only case file (cases with a name, params and inputs, no expected)
       with the output, gradients or error class of the implementation --exec starts, in
       float64 (the live PyTorch adapter: 'python3 adapters/pytorch/adapter.py'); writes
       --out (default: FILE itself); fails, changing nothing, if any case cannot be filled
list   prints every case as loss::case with its file and line
report runs the reference, gathers the results the adapter crates' tests wrote to DIR
       (default target/lossparity/results), and writes to --out (default reports/):
       results.json, matrix.md (the matrices and the differences found) and index.html; it
       also rewrites the README.md section between <!-- report:start --> and
       <!-- report:end --> when run from the repository root (the matrices, and the number
       of differences with a link to matrix.md)
mutants  runs the cases against every mutant of the catalogue (the reference with one
       realistic bug, spec/mutants.md) and prints each mutant with the first case that
       caught it (with --verbose, also the bug); exits 1 if any mutant survives every case
fuzz   seeded random differential testing (spec/fuzzing.md): runs N random valid cases per
       loss (default 1000; every loss, or each --loss L, or the mutant's loss) on the adapter
       NAME ('reference' or a mutant of 'lossparity mutants'), or on the implementation
       --exec starts (spec/protocol.md), and on the reference, outputs
       and gradients; shrinks each mismatch and writes it as an input-only case file
       DIR/<loss>.yaml (default target/lossparity/fuzz); prints a per-loss summary; exits 1
       if anything is found. The same --seed (default 0) gives the same run.
coverage  prints, per loss, which of the spec's requirements (each parameter value, each
       optional input present and absent, each error class) the cases exercise; exits 1 if
       any is missing

--filter TEXT   only cases whose loss::case contains TEXT
--verbose       also print each passed case
--time-limit S  fail any call of the reference that takes longer than S seconds (the trusted
                reference runs untimed by default; LOSSPARITY_TIME_LIMIT sets it too)";

fn main() -> ExitCode {
    stop_quietly_when_stdout_closes();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(Command::Run(options)) => run(&options),
        Ok(Command::List(options)) => list(&options),
        Ok(Command::Fill(options)) => fill(&options),
        Ok(Command::Coverage(options)) => coverage(&options),
        Ok(Command::Report(options)) => report(&options),
        Ok(Command::Mutants(options)) => mutants(&options),
        Ok(Command::Fuzz(options)) => fuzz(&options),
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("lossparity: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `lossparity list | head`: when the reader closes the pipe, stop quietly with the status a
/// Unix tool killed by SIGPIPE has (141), instead of `println!`'s panic (Rust ignores SIGPIPE).
fn stop_quietly_when_stdout_closes() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map_or("", String::as_str);
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        previous(info)
    }));
}

enum Command {
    Run(Options),
    List(Options),
    Fill(Options),
    Coverage(Options),
    Report(Options),
    Mutants(Options),
    Fuzz(Options),
    Help,
}

#[derive(Default)]
struct Options {
    paths: Vec<String>,
    time_limit: Option<std::time::Duration>,
    filter: Option<String>,
    verbose: bool,
    results: Option<String>,
    out: Option<String>,
    adapter: Option<String>,
    losses: Vec<String>,
    seed: Option<u64>,
    count: Option<u64>,
    exec: Option<String>,
    dtype: Option<String>,
    case_time_limit: Option<std::time::Duration>,
    first_case_time_limit: Option<std::time::Duration>,
    known_differences: Option<String>,
    check_report: Option<String>,
}

fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".into());
    };
    let mut options = Options::default();
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--filter" => {
                options.filter = Some(rest.next().ok_or("--filter needs a value")?.clone())
            }
            "--verbose" | "-v" => options.verbose = true,
            "--time-limit" => options.time_limit = Some(seconds(rest.next(), arg)?),
            "--case-time-limit" => options.case_time_limit = Some(seconds(rest.next(), arg)?),
            "--first-case-time-limit" => {
                options.first_case_time_limit = Some(seconds(rest.next(), arg)?)
            }
            "--exec" => {
                options.exec = Some(rest.next().ok_or("--exec needs a command line")?.clone())
            }
            "--dtype" => {
                let dtype = rest.next().ok_or("--dtype needs f64, f32, f16 or bf16")?;
                if !matches!(dtype.as_str(), "f64" | "f32" | "f16" | "bf16") {
                    return Err(format!("--dtype: '{dtype}' is none of f64, f32, f16, bf16"));
                }
                options.dtype = Some(dtype.clone());
            }
            "--known-differences" => {
                options.known_differences = Some(
                    rest.next()
                        .ok_or("--known-differences needs a file")?
                        .clone(),
                )
            }
            "--check-report" => {
                options.check_report = Some(
                    rest.next()
                        .ok_or("--check-report needs a results.json")?
                        .clone(),
                )
            }
            "--results" => {
                options.results = Some(rest.next().ok_or("--results needs a directory")?.clone())
            }
            "--out" => options.out = Some(rest.next().ok_or("--out needs a directory")?.clone()),
            "--adapter" => {
                options.adapter = Some(rest.next().ok_or("--adapter needs a name")?.clone())
            }
            "--loss" => options
                .losses
                .push(rest.next().ok_or("--loss needs a loss name")?.clone()),
            "--seed" => options.seed = Some(number(rest.next(), "--seed")?),
            "--count" => options.count = Some(number(rest.next(), "--count")?),
            "--help" | "-h" => return Ok(Command::Help),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            path => options.paths.push(path.to_owned()),
        }
    }
    match command.as_str() {
        "run" => Ok(Command::Run(options)),
        "list" => Ok(Command::List(options)),
        "fill" => Ok(Command::Fill(options)),
        "coverage" => Ok(Command::Coverage(options)),
        "report" => Ok(Command::Report(options)),
        "mutants" => Ok(Command::Mutants(options)),
        "fuzz" => Ok(Command::Fuzz(options)),
        "help" | "--help" | "-h" => Ok(Command::Help),
        other => Err(format!("unknown command '{other}'")),
    }
}

/// The positive number of seconds following `flag`.
fn seconds(value: Option<&String>, flag: &str) -> Result<std::time::Duration, String> {
    let value = value.ok_or(format!("{flag} needs a number of seconds"))?;
    match value.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(std::time::Duration::from_secs_f64(s)),
        _ => Err(format!(
            "{flag}: '{value}' is not a positive number of seconds"
        )),
    }
}

/// The number following `flag`.
fn number(value: Option<&String>, flag: &str) -> Result<u64, String> {
    let value = value.ok_or(format!("{flag} needs a number"))?;
    value
        .parse()
        .map_err(|_| format!("{flag}: '{value}' is not a non-negative integer"))
}

fn harness(options: &Options) -> Harness {
    with_cases(Harness::new().adapter(Reference), options)
}

/// The implementation `command_line` starts, speaking the process protocol, with the options'
/// time limits.
fn start_process<T: lossparity::Scalar>(
    command_line: &str,
    options: &Options,
) -> Result<lossparity::Process<T>, String> {
    let mut process =
        lossparity::Process::<T>::start_command_line(command_line).map_err(|e| e.to_string())?;
    if let Some(limit) = options.case_time_limit {
        process = process.case_time_limit(limit);
    }
    if let Some(limit) = options.first_case_time_limit {
        process = process.first_case_time_limit(limit);
    }
    Ok(process)
}

/// The harness of `run`: the reference, or the implementation `--exec` starts, in `--dtype`,
/// with that implementation's description (`torch 2.15.0, python`).
fn run_harness(options: &Options) -> Result<(Harness, Option<String>), String> {
    let Some(command_line) = &options.exec else {
        if options.known_differences.is_some() {
            return Err("--known-differences is for an implementation run with --exec".into());
        }
        return Ok((harness(options), None));
    };
    fn certify<T: lossparity::Scalar>(
        process: lossparity::Process<T>,
        options: &Options,
    ) -> Result<(Harness, Option<String>), String> {
        let known = match &options.known_differences {
            Some(path) => lossparity_cli::known_differences::read(std::path::Path::new(path))?,
            None => Vec::new(),
        };
        // One file serves every dtype: only the entries for this run's adapter apply.
        let name = lossparity::Adapter::name(&process).to_owned();
        let known: Vec<_> = known
            .into_iter()
            .filter(|k| k.concerns_adapter(&name))
            .collect();
        let (name, version, language) = process.implementation();
        let described = format!("{name} {version}, {language}");
        Ok((
            Harness::new()
                .adapter(lossparity_cli::progress::WithProgress::new(process))
                .known_differences(&known),
            Some(described),
        ))
    }
    use lossparity::half::{bf16, f16};
    let (harness, described) = match options.dtype.as_deref() {
        Some("f32") => certify(start_process::<f32>(command_line, options)?, options)?,
        Some("f16") => certify(start_process::<f16>(command_line, options)?, options)?,
        Some("bf16") => certify(start_process::<bf16>(command_line, options)?, options)?,
        _ => certify(start_process::<f64>(command_line, options)?, options)?,
    };
    Ok((with_cases(harness, options), described))
}

/// `harness` with the options' case paths and time limit.
fn with_cases(mut harness: Harness, options: &Options) -> Harness {
    harness = match options.time_limit {
        Some(limit) => harness.time_limit(limit),
        // The reference is trusted, and a process has its own per-case limits: no helper
        // thread per call unless asked for.
        None => harness.without_time_limit(),
    };
    if !options.paths.is_empty() {
        harness = harness.without_bundled_cases();
        for path in &options.paths {
            harness = harness.cases(path);
        }
    }
    harness
}

fn selected(options: &Options, id: &str) -> bool {
    options
        .filter
        .as_ref()
        .is_none_or(|f| id.contains(f.as_str()))
}

fn run(options: &Options) -> ExitCode {
    let started = Instant::now();
    let (harness, implementation) = match run_harness(options) {
        Ok(run) => run,
        Err(message) => {
            eprintln!("lossparity: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut evaluated = harness.evaluate();
    let elapsed = started.elapsed();
    let ids: Vec<String> = evaluated.evaluations.iter().map(|e| e.id()).collect();
    let stale = harness.unmatched_known_differences(&ids);
    if let Some(failure) = write_results(&evaluated, implementation, options) {
        eprintln!("lossparity: {failure}");
        return ExitCode::FAILURE;
    }
    evaluated
        .evaluations
        .retain(|e| selected(options, &e.case.id()));

    let (mut passed, mut failed, mut ignored) = (0, 0, 0);
    for error in &evaluated.load_errors {
        println!("ERROR {error}");
        failed += 1;
    }
    for known in &stale {
        println!(
            "FAIL  known_differences::{}\n  stale known difference: '{}' ({known}) lists no trial",
            known.pattern, known.pattern
        );
        failed += 1;
    }
    for evaluation in &evaluated.evaluations {
        match evaluation.trial_result() {
            TrialResult::Fail(message) => {
                failed += 1;
                println!(
                    "FAIL  {} ({})\n  {}",
                    evaluation.id(),
                    evaluation.case.location,
                    message.replace('\n', "\n  ")
                )
            }
            TrialResult::Pass => {
                passed += 1;
                if options.verbose {
                    println!("ok    {}", evaluation.id())
                }
            }
            TrialResult::Ignore(reason) => {
                ignored += 1;
                if options.verbose {
                    println!("skip  {}: {reason}", evaluation.id())
                }
            }
        }
    }
    print_summary(&evaluated);
    println!(
        "ran {} checks in {:.1} ms",
        evaluated.evaluations.len(),
        elapsed.as_secs_f64() * 1e3
    );
    println!(
        "cases from PyTorch {} (float64), bundled with lossparity {}",
        lossparity::PYTORCH_VERSION,
        env!("CARGO_PKG_VERSION")
    );
    println!("{passed} passed, {failed} failed, {ignored} ignored");
    if evaluated.evaluations.is_empty() && failed == 0 {
        println!("lossparity: no case was run: a run that tests nothing is a failure");
        return ExitCode::FAILURE;
    }
    let ran = evaluated
        .evaluations
        .iter()
        .filter(|e| !matches!(e.outcome, Outcome::Ignored(_)))
        .count();
    if ran == 0 && !evaluated.evaluations.is_empty() {
        println!(
            "lossparity: every check was ignored, so nothing was tested: the implementation \
             supports none of the selected cases (--verbose shows why); a run that tests nothing \
             is a failure"
        );
        return ExitCode::FAILURE;
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `lossparity fill FILE --exec CMD [--out FILE]`.
fn fill(options: &Options) -> ExitCode {
    let [path] = options.paths.as_slice() else {
        eprintln!("lossparity: fill takes one case file\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let Some(command_line) = &options.exec else {
        eprintln!(
            "lossparity: fill needs --exec, the implementation whose values to record \
             (PyTorch's: --exec 'python3 adapters/pytorch/adapter.py')"
        );
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("lossparity: cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let process = match lossparity::Process::<f64>::start_command_line(command_line) {
        Ok(process) => process,
        Err(e) => {
            eprintln!("lossparity: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (name, version, _) = process.implementation();
    let header = format!(
        "Filled by `lossparity fill` with {name} {version} (float64): each case's output and\n\
         gradients, or error class. Edit the inputs and fill again; never the expected values."
    );
    match lossparity_cli::fill::fill(&process, path, &text, &header) {
        Ok(filled) => {
            let out = options.out.as_deref().unwrap_or(path);
            match lossparity_cli::report::write_atomically(std::path::Path::new(out), &filled) {
                Ok(()) => {
                    let cases = filled
                        .lines()
                        .filter(|l| l.starts_with("  - name:"))
                        .count();
                    println!("filled {cases} cases of {path} with {name} {version}: {out}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lossparity: cannot write {out}: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(problems) => {
            for problem in problems {
                eprintln!("lossparity: {problem}");
            }
            eprintln!("lossparity: {path} is unchanged");
            ExitCode::FAILURE
        }
    }
}

/// Writes the run's results to `--results DIR` and checks them against `--check-report FILE`,
/// as asked; what went wrong, if anything.
fn write_results(
    evaluated: &Evaluated,
    implementation: Option<String>,
    options: &Options,
) -> Option<String> {
    if options.results.is_none() && options.check_report.is_none() {
        return None;
    }
    let mut results = lossparity_cli::report::results(evaluated);
    for adapter in &mut results {
        adapter.implementation.clone_from(&implementation);
    }
    if let Some(dir) = &options.results {
        if let Err(e) = lossparity_cli::report::write_results(&results, std::path::Path::new(dir)) {
            return Some(format!("cannot write results to {dir}: {e}"));
        }
    }
    let committed = options.check_report.as_ref()?;
    lossparity_cli::report::check_committed(&results, std::path::Path::new(committed)).err()
}

/// A table: one row per (adapter, loss) with passed / failed / ignored counts of the output
/// checks and of the gradient checks, and the worst relative error of each among the passed.
fn print_summary(evaluated: &Evaluated) {
    #[derive(Default)]
    struct Tally {
        counts: [usize; 3],
        worst_rel: f64,
    }
    let mut rows: BTreeMap<(&str, &str), [Tally; 2]> = BTreeMap::new();
    for evaluation in &evaluated.evaluations {
        let row = rows
            .entry((&evaluation.adapter, &evaluation.case.loss))
            .or_default();
        let tally = &mut row[match evaluation.check {
            Check::Output => 0,
            Check::Gradient => 1,
        }];
        match (evaluation.trial_result(), &evaluation.outcome) {
            (TrialResult::Pass, Outcome::Passed(agreement)) => {
                tally.counts[0] += 1;
                tally.worst_rel = tally.worst_rel.max(agreement.worst_rel);
            }
            (TrialResult::Pass, _) => tally.counts[0] += 1,
            (TrialResult::Fail(_), _) => tally.counts[1] += 1,
            (TrialResult::Ignore(_), _) => tally.counts[2] += 1,
        }
    }
    let counts = |t: &Tally| format!("{}/{}/{}", t.counts[0], t.counts[1], t.counts[2]);
    println!();
    println!(
        "{:<12} {:<34} {:>14} {:>10} {:>14} {:>10}",
        "adapter", "loss", "outputs p/f/i", "worst rel", "grads p/f/i", "worst rel"
    );
    for ((adapter, loss), [output, gradient]) in rows {
        println!(
            "{adapter:<12} {loss:<34} {:>14} {:>10.2e} {:>14} {:>10.2e}",
            counts(&output),
            output.worst_rel,
            counts(&gradient),
            gradient.worst_rel
        );
    }
    println!();
}

fn list(options: &Options) -> ExitCode {
    let loaded = harness(options).load();
    for error in &loaded.errors {
        println!("ERROR {error}");
    }
    for case in loaded.cases.iter().filter(|c| selected(options, &c.id())) {
        println!("{} ({})", case.id(), case.location);
    }
    if loaded.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn coverage(options: &Options) -> ExitCode {
    let loaded = harness(options).load();
    for error in &loaded.errors {
        println!("ERROR {error}");
    }
    let coverage = lossparity_cli::coverage::coverage(Spec::bundled(), &loaded.cases);
    print!("{}", lossparity_cli::coverage::CoverageTable(&coverage));
    let missing: usize = coverage.iter().map(|l| l.missing().count()).sum();
    println!(
        "{} cases; {missing} requirements missing",
        loaded.cases.len()
    );
    if missing == 0 && loaded.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn mutants(options: &Options) -> ExitCode {
    let loaded = harness(options).load();
    for error in &loaded.errors {
        println!("ERROR {error}");
    }
    let results = lossparity_cli::mutants::hunt(&loaded.cases, Spec::bundled());
    let width = results
        .iter()
        .map(|(m, _)| m.name().len())
        .max()
        .unwrap_or(0);
    let mut survivors = 0;
    for (mutant, catch) in &results {
        match catch {
            Some(catch) => {
                println!("{:<width$}  caught by {}", mutant.name(), catch.trial);
                if options.verbose {
                    println!("{:<width$}    {}", "", mutant.description());
                }
            }
            None => {
                survivors += 1;
                println!(
                    "{:<width$}  SURVIVED: {}",
                    mutant.name(),
                    mutant.description()
                );
            }
        }
    }
    println!(
        "{} mutants, {} caught, {survivors} survived",
        results.len(),
        results.len() - survivors
    );
    if survivors == 0 && loaded.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn fuzz(options: &Options) -> ExitCode {
    use lossparity::fuzz::{fuzzable_losses, Fuzzer};

    let name = match (options.adapter.as_deref(), &options.exec) {
        (Some(name), None) => name,
        (None, Some(_)) => "",
        _ => {
            eprintln!(
                "lossparity: fuzz needs --adapter NAME ('reference' or a mutant's name) or \
                 --exec 'CMD ARGS' (an implementation in its own process)\n\n{USAGE}"
            );
            return ExitCode::from(2);
        }
    };
    let known = fuzzable_losses();
    if let Some(unknown) = options.losses.iter().find(|l| !known.contains(&l.as_str())) {
        eprintln!(
            "lossparity: no fuzz generator for loss '{unknown}' (have: {})",
            known.join(", ")
        );
        return ExitCode::from(2);
    }
    let mutants = lossparity_cli::mutants::catalogue();
    let report = if let Some(command_line) = &options.exec {
        use lossparity::half::{bf16, f16};
        let report = match options.dtype.as_deref() {
            Some("f32") => fuzz_process::<f32>(command_line, options),
            Some("f16") => fuzz_process::<f16>(command_line, options),
            Some("bf16") => fuzz_process::<bf16>(command_line, options),
            _ => fuzz_process::<f64>(command_line, options),
        };
        match report {
            Ok(report) => report,
            Err(message) => {
                eprintln!("lossparity: {message}");
                return ExitCode::FAILURE;
            }
        }
    } else if name == "reference" {
        fuzz_run(Fuzzer::new(&Reference), &options.losses, options)
    } else if let Some(mutant) = mutants.iter().find(|m| m.name() == name) {
        // A mutant differs only in its own loss: that is the one to fuzz unless told otherwise.
        let losses = if options.losses.is_empty() {
            vec![mutant.loss().name().to_owned()]
        } else {
            options.losses.clone()
        };
        fuzz_run(Fuzzer::new(mutant), &losses, options)
    } else {
        eprintln!(
            "lossparity: unknown adapter '{name}': 'reference' or a mutant ({} of them; \
             `lossparity mutants` lists them)",
            mutants.len()
        );
        return ExitCode::from(2);
    };

    for finding in &report.findings {
        println!(
            "FOUND {}\n  ({} shrinking steps)",
            finding.to_string().replace('\n', "\n  "),
            finding.shrink_steps()
        );
    }
    println!(
        "\n{:<34} {:>9} {:>8} {:>12} {:>11} {:>10} {:>9}",
        "loss", "cases", "invalid", "unsupported", "cases/s", "mismatches", "findings"
    );
    for loss in &report.losses {
        println!(
            "{:<34} {:>9} {:>8} {:>12} {:>11.0} {:>10} {:>9}",
            loss.loss,
            loss.cases,
            loss.invalid,
            loss.unsupported,
            loss.cases_per_second(),
            loss.mismatches,
            loss.findings
        );
    }
    let out = std::path::Path::new(options.out.as_deref().unwrap_or("target/lossparity/fuzz"));
    match report.write_case_files(out) {
        Ok(written) => {
            for path in written {
                println!("wrote {}", path.display());
            }
        }
        Err(e) => {
            eprintln!("lossparity: cannot write to {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
    }
    let cases: u64 = report.losses.iter().map(|l| l.cases).sum();
    let mismatches: u64 = report.losses.iter().map(|l| l.mismatches).sum();
    let invalid: u64 = report.losses.iter().map(|l| l.invalid).sum();
    println!(
        "{cases} cases, {mismatches} mismatches, {} findings, {invalid} invalid (adapter {}, seed {})",
        report.findings.len(),
        report.adapter,
        report.seed
    );
    if report.found_anything() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Fuzzes the implementation `command_line` starts, computing in `T`.
fn fuzz_process<T: lossparity::Scalar>(
    command_line: &str,
    options: &Options,
) -> Result<lossparity::fuzz::FuzzReport, String> {
    let process = start_process::<T>(command_line, options)?;
    Ok(fuzz_run(
        lossparity::fuzz::Fuzzer::new(&process),
        &options.losses,
        options,
    ))
}

/// Runs `fuzzer` over `losses` (every fuzzable loss when empty) with the options' seed and
/// count.
fn fuzz_run<A: lossparity::Adapter>(
    mut fuzzer: lossparity::fuzz::Fuzzer<'_, A>,
    losses: &[String],
    options: &Options,
) -> lossparity::fuzz::FuzzReport {
    for loss in losses {
        fuzzer = fuzzer.loss(loss);
    }
    fuzzer
        .seed(options.seed.unwrap_or(0))
        .count(options.count.unwrap_or(1000))
        .run()
}

/// The README section `lossparity report` keeps up to date.
const README_START: &str = "<!-- report:start -->";
const README_END: &str = "<!-- report:end -->";

fn report(options: &Options) -> ExitCode {
    use lossparity_cli::report;
    use std::path::Path;

    let reference = report::results(&harness(options).evaluate());
    let results_dir = options
        .results
        .as_deref()
        .unwrap_or("target/lossparity/results");
    let mut adapters = match report::read_results(Path::new(results_dir)) {
        Ok(adapters) => adapters,
        Err(e) => {
            eprintln!(
                "lossparity: no adapter results in {results_dir} ({e}); run `cargo test \
                 --workspace` first. Reporting the reference alone."
            );
            Vec::new()
        }
    };
    adapters.retain(|a| a.adapter != "reference");
    let all: Vec<report::AdapterResults> = reference.into_iter().chain(adapters).collect();

    let out = Path::new(options.out.as_deref().unwrap_or("reports"));
    let markdown = report::markdown(&all);
    let json = report::results_json(&all);
    let written = [
        ("results.json", json),
        ("matrix.md", markdown.clone()),
        ("index.html", report::html(&all)),
    ]
    .into_iter()
    .try_for_each(|(name, text)| report::write_atomically(&out.join(name), &text));
    if let Err(e) = written {
        eprintln!("lossparity: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    if let Ok(readme) = std::fs::read_to_string("README.md") {
        if let (Some(start), Some(end)) = (readme.find(README_START), readme.find(README_END)) {
            let matrix_link = out.join("matrix.md").to_string_lossy().replace('\\', "/");
            let updated = format!(
                "{}{README_START}\n{}{}",
                &readme[..start],
                report::readme_section(&markdown, &matrix_link),
                &readme[end..]
            );
            if let Err(e) = report::write_atomically(Path::new("README.md"), &updated) {
                eprintln!("lossparity: cannot update README.md: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    print!("{markdown}");
    println!(
        "\nwrote {} for {} implementations",
        out.display(),
        all.len()
    );
    ExitCode::SUCCESS
}
