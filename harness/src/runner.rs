//! Runs cases against adapters: one outcome per (adapter, case), as libtest-mimic trials
//! named `adapter::loss::case` or as a plain evaluation for the CLI and reports.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, FormatSetting, Trial};
use lossparity_reference::Tensor;

use crate::adapter::{Adapter, Call, Dtype, Scalar, Support};
use crate::case::{Case, Expected, Tolerance};
use crate::compare::{compare, Agreement, Mismatch, WorstElement};
use crate::known::{KnownDifference, TrialResult};
use crate::loader::{load_bundled, load_path, LoadError, Loaded};
use crate::received::{received, Received};
use crate::spec::Spec;
use crate::time_limit;

/// Why a check failed: a readable message and, where values were compared, the worst element.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// What went wrong: expected vs actual, the wrong error, a panic, …
    pub message: String,
    /// The element furthest from PyTorch's, when values of one shape were compared.
    pub worst: Option<WorstElement>,
}

impl Failure {
    /// A failure described by `message` alone.
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            worst: None,
        }
    }

    /// A value mismatch of `what` (`output`, `grad 'input'`).
    fn mismatch(what: &str, mismatch: Mismatch) -> Self {
        Failure {
            message: format!("{what}: {}", mismatch.message),
            worst: mismatch.worst,
        }
    }
}

/// The result of running one case against one adapter.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The adapter agreed with PyTorch; for an output, how closely.
    Passed(Agreement),
    /// The adapter disagreed, returned the wrong error, or panicked.
    Failed(Failure),
    /// The adapter does not support the case, for this reason.
    Ignored(String),
}

/// Which result of a case a check compares with PyTorch's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Check {
    /// The loss value, or the error class.
    Output,
    /// The gradient of `output.sum()` with respect to each prediction input.
    Gradient,
}

impl Check {
    /// The checks a case has: its output, and its gradient where PyTorch recorded one.
    pub fn of(case: &Case) -> &'static [Check] {
        match &case.expected {
            Expected::Output { grad, .. } if !grad.is_empty() => &[Check::Output, Check::Gradient],
            _ => &[Check::Output],
        }
    }
}

/// Runs one check of `case` against `adapter`.
pub fn evaluate<A: Adapter>(adapter: &A, case: &Case, spec: &Spec, check: Check) -> Outcome {
    let Some(loss_spec) = spec.get(&case.loss) else {
        return Outcome::Failed(Failure::new(format!(
            "no signature for loss '{}'",
            case.loss
        )));
    };
    let dtype = A::Scalar::DTYPE;
    let received = match received(case, loss_spec, dtype, check) {
        Ok(received) => received,
        Err(reason) => return Outcome::Ignored(format!("not applicable in {dtype}: {reason}")),
    };
    let case = &received.case;
    let call = Call::<A::Scalar>::new(case, loss_spec);
    match check {
        Check::Output => check_output(adapter, &received, &call),
        Check::Gradient => match &case.expected {
            Expected::Error(kind) => Outcome::Ignored(format!(
                "not applicable in {dtype}: on the inputs rounded to {dtype} the loss raises \
                 {kind}, so there is no gradient"
            )),
            Expected::Output { .. } => check_gradient(adapter, &received, &call),
        },
    }
}

thread_local! {
    /// Whether this thread is inside an adapter call, and where its last panic happened.
    static ADAPTER_PANIC: std::cell::RefCell<(bool, Option<String>)> =
        const { std::cell::RefCell::new((false, None)) };
}

/// Installs, once, a panic hook that keeps quiet about panics inside adapter calls (they are
/// reported as failed cases, with their location) and passes every other panic to the hook
/// that was installed before.
fn install_quiet_adapter_panic_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let inside = ADAPTER_PANIC.with(|state| {
                let mut state = state.borrow_mut();
                if state.0 {
                    state.1 = info.location().map(|l| {
                        format!("{}:{}:{}", crate_relative(l.file()), l.line(), l.column())
                    });
                }
                state.0
            });
            if !inside {
                previous(info);
            }
        }));
    });
}

/// A source path inside cargo's registry shortened to the crate's own path
/// (`burn-nn-0.22.1/src/loss/huber.rs`), so reports do not depend on the machine.
fn crate_relative(file: &str) -> &str {
    match file.find("/registry/src/") {
        Some(at) => {
            let after_index = &file[at + "/registry/src/".len()..];
            after_index
                .split_once('/')
                .map_or(after_index, |(_, path)| path)
        }
        None => file,
    }
}

/// Runs `f`, an adapter call, turning a panic into a failure naming its message and location
/// (the panic itself stays quiet). The runner and the fuzzer call adapters through it.
pub fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, Outcome> {
    install_quiet_adapter_panic_hook();
    ADAPTER_PANIC.with(|state| *state.borrow_mut() = (true, None));
    let result = catch_unwind(AssertUnwindSafe(f));
    let location = ADAPTER_PANIC.with(|state| std::mem::take(&mut *state.borrow_mut()).1);
    result.map_err(|panic| {
        if let Some(crate::process::PeerFailure(message)) = panic.downcast_ref() {
            return Outcome::Failed(Failure::new(message.clone()));
        }
        let at = location.map(|l| format!(" at {l}")).unwrap_or_default();
        Outcome::Failed(Failure::new(format!(
            "adapter panicked{at}: {}",
            panic_text(&*panic)
        )))
    })
}

/// Asks whether the case is supported, calls the adapter's forward (a panic fails the case),
/// and compares the result with PyTorch's under the dtype's tolerance.
pub(crate) fn check_output<A: Adapter>(
    adapter: &A,
    received: &Received,
    call: &Call<'_, A::Scalar>,
) -> Outcome {
    let case = &received.case;
    let result = match guarded(|| match adapter.supports(call) {
        Support::Supported => Ok(adapter.forward(call)),
        Support::Unsupported(reason) => Err(reason),
    }) {
        Ok(Ok(result)) => result,
        Ok(Err(reason)) => return Outcome::Ignored(reason),
        Err(failed) => return failed,
    };
    match (&case.expected, result) {
        (Expected::Error(kind), Err(error)) if error.kind == *kind => {
            Outcome::Passed(Agreement::default())
        }
        (Expected::Error(kind), Err(error)) => Outcome::Failed(Failure::new(format!(
            "expected error {kind}, got error {error}"
        ))),
        (Expected::Error(kind), Ok(output)) => Outcome::Failed(Failure::new(format!(
            "expected error {kind}, got an output of shape {:?}",
            output.shape()
        ))),
        (Expected::Output { .. }, Err(error)) => Outcome::Failed(Failure::new(format!(
            "expected an output, got error {error}"
        ))),
        (
            Expected::Output {
                output: expected, ..
            },
            Ok(actual),
        ) => {
            let tolerance = tolerance_for(case, A::Scalar::DTYPE, received.tolerance);
            let spread = received.output_spread.as_ref();
            match compare(expected, &to_f64(&actual), tolerance, spread) {
                Ok(agreement) => Outcome::Passed(agreement),
                Err(mismatch) => Outcome::Failed(Failure::mismatch("output", mismatch)),
            }
        }
    }
}

/// Asks whether the adapter computes this case's gradient, calls it, and compares each
/// prediction input's gradient with PyTorch's under the dtype's gradient tolerance.
pub(crate) fn check_gradient<A: Adapter>(
    adapter: &A,
    received: &Received,
    call: &Call<'_, A::Scalar>,
) -> Outcome {
    let case = &received.case;
    let Expected::Output { grad: expected, .. } = &case.expected else {
        return Outcome::Failed(Failure::new("the case records no gradient"));
    };
    let result = match guarded(|| match adapter.supports_gradient(call) {
        Support::Supported => Ok(adapter.gradient(call)),
        Support::Unsupported(reason) => Err(reason),
    }) {
        Ok(Ok(result)) => result,
        Ok(Err(reason)) => return Outcome::Ignored(reason),
        Err(failed) => return failed,
    };
    let actual = match result {
        Ok(actual) => actual,
        Err(error) => {
            return Outcome::Failed(Failure::new(format!(
                "expected gradients, got error {error}"
            )))
        }
    };
    let tolerance = tolerance_for(case, A::Scalar::DTYPE, received.tolerance);
    let mut worst = Agreement::default();
    for (name, expected) in expected {
        let Some(actual) = actual.get(name) else {
            return Outcome::Failed(Failure::new(format!("no gradient for '{name}'")));
        };
        match compare(
            expected,
            &to_f64(actual),
            tolerance,
            received.gradient_spread.get(name),
        ) {
            Ok(agreement) => {
                worst.worst_abs = worst.worst_abs.max(agreement.worst_abs);
                worst.worst_rel = worst.worst_rel.max(agreement.worst_rel);
            }
            Err(mismatch) => {
                return Outcome::Failed(Failure::mismatch(&format!("grad '{name}'"), mismatch))
            }
        }
    }
    Outcome::Passed(worst)
}

/// The tolerance for `case` in `dtype`, whose default is `default`: the case's override
/// replaces an f64 default; for other dtypes the looser of the two applies.
pub fn tolerance_for(case: &Case, dtype: Dtype, default: Tolerance) -> Tolerance {
    match case.tolerance {
        None => default,
        Some(tolerance) if dtype == Dtype::F64 => tolerance,
        Some(tolerance) => tolerance.looser(default),
    }
}

/// `tensor` converted to f64, as results are compared.
pub fn to_f64<T: Scalar>(tensor: &Tensor<T>) -> Tensor {
    tensor.map(|v| v.to_f64().unwrap_or(f64::NAN))
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a non-string panic payload)".to_owned()
    }
}

/// An adapter with its scalar type erased, so adapters of different dtypes run together.
trait ErasedAdapter: Send + Sync {
    fn name(&self) -> &str;
    fn dtype(&self) -> Dtype;
    fn evaluate(&self, case: &Case, spec: &Spec, check: Check) -> Outcome;
}

impl<A: Adapter> ErasedAdapter for A {
    fn name(&self) -> &str {
        Adapter::name(self)
    }
    fn dtype(&self) -> Dtype {
        A::Scalar::DTYPE
    }
    fn evaluate(&self, case: &Case, spec: &Spec, check: Check) -> Outcome {
        evaluate(self, case, spec, check)
    }
}

/// Evaluates one check under the time limit: on a thread of its own, abandoned (and the check
/// failed) if it has not finished when `limit` passes.
fn evaluate_within(
    limit: Option<Duration>,
    adapter: &Arc<dyn ErasedAdapter>,
    case: &Arc<Case>,
    spec: &'static Spec,
    check: Check,
) -> Outcome {
    if limit.is_none() {
        return adapter.evaluate(case, spec, check);
    }
    let (adapter, case) = (Arc::clone(adapter), Arc::clone(case));
    time_limit::run_within(limit, move || adapter.evaluate(&case, spec, check))
        .unwrap_or_else(|unfinished| Outcome::Failed(Failure::new(unfinished.to_string())))
}

/// One evaluated (adapter, case) pair.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// The adapter's name.
    pub adapter: String,
    /// The adapter's scalar type.
    pub dtype: Dtype,
    /// The case.
    pub case: Arc<Case>,
    /// Which of the case's results was checked.
    pub check: Check,
    /// What happened.
    pub outcome: Outcome,
    /// The known difference that lists this trial, if any (see [`Evaluation::trial_result`]).
    pub known: Option<KnownDifference>,
}

impl Evaluation {
    /// `adapter::loss::case` (with `::grad` for a gradient check), the trial name.
    pub fn id(&self) -> String {
        trial_name(
            Some(&self.adapter),
            &self.case.loss,
            &self.case.name,
            self.check,
        )
    }
}

/// Every evaluation of a run, and the case-file problems found on the way.
#[derive(Clone, Debug, Default)]
pub struct Evaluated {
    /// One entry per (adapter, case, check), adapters in registration order, cases in file
    /// order.
    pub evaluations: Vec<Evaluation>,
    /// Problems in case files; each counts as a failure.
    pub load_errors: Vec<LoadError>,
}

impl Evaluated {
    /// `(passed, failed, ignored)`; load errors count as failed.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, self.load_errors.len(), 0);
        for evaluation in &self.evaluations {
            match evaluation.outcome {
                Outcome::Passed(_) => counts.0 += 1,
                Outcome::Failed(_) => counts.1 += 1,
                Outcome::Ignored(_) => counts.2 += 1,
            }
        }
        counts
    }
}

/// The suite as a third-party crate runs it: adapters, the bundled cases and any extra case
/// directories, run as libtest-mimic trials.
///
/// ```no_run
/// // tests/conformance.rs of a crate, with `harness = false` in its Cargo.toml:
/// # struct MyAdapter;
/// # impl lossparity::Adapter for MyAdapter {
/// #     type Scalar = f32;
/// #     fn name(&self) -> &str { "mine" }
/// #     fn supports(&self, _: &lossparity::Call<'_, f32>) -> lossparity::Support {
/// #         lossparity::Support::Unsupported("nothing yet".into())
/// #     }
/// #     fn forward(&self, _: &lossparity::Call<'_, f32>)
/// #         -> Result<lossparity::Tensor<f32>, lossparity::LossError> { unreachable!() }
/// # }
/// fn main() {
///     lossparity::Harness::new().adapter(MyAdapter).run()
/// }
/// ```
pub struct Harness {
    adapters: Vec<Arc<dyn ErasedAdapter>>,
    known: Vec<KnownDifference>,
    losses: Option<Vec<String>>,
    case_paths: Vec<PathBuf>,
    bundled_cases: bool,
    spec: &'static Spec,
    time_limit: Option<Duration>,
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

impl Harness {
    /// A harness over the bundled cases, with no adapter yet.
    pub fn new() -> Self {
        Harness {
            adapters: Vec::new(),
            known: Vec::new(),
            losses: None,
            case_paths: Vec::new(),
            bundled_cases: true,
            spec: Spec::bundled(),
            time_limit: Some(time_limit::DEFAULT),
        }
    }

    /// How long an adapter call may take by default: see [`Harness::time_limit`].
    pub const DEFAULT_TIME_LIMIT: Duration = time_limit::DEFAULT;

    /// Fails any adapter call that has not returned after `limit` (default
    /// [`Harness::DEFAULT_TIME_LIMIT`]; the environment variable `LOSSPARITY_TIME_LIMIT`, in
    /// seconds, overrides it). The call is abandoned and the run goes on.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// Lets adapter calls take as long as they take (and runs them on the calling thread).
    pub fn without_time_limit(mut self) -> Self {
        self.time_limit = None;
        self
    }

    /// Registers an implementation under test.
    pub fn adapter<A: Adapter>(mut self, adapter: A) -> Self {
        self.adapters.push(Arc::new(adapter));
        self
    }

    /// Declares known differences: trials they list that fail are reported as ignored with the
    /// reason; trials they list that pass, and entries that list no trial at all, fail (the
    /// list is stale).
    pub fn known_differences(mut self, known: &[KnownDifference]) -> Self {
        self.known.extend_from_slice(known);
        self
    }

    /// The known difference listing the trial `id`, if any.
    fn known_for(&self, id: &str) -> Option<KnownDifference> {
        self.known.iter().find(|k| k.matches(id)).copied()
    }

    /// Certifies only these losses (`torch.nn.functional` names, such as `mse_loss`): the cases
    /// of other losses are not run, nor listed. Calls add up. A name the suite does not know
    /// fails the run, with the nearest known name.
    pub fn losses<S: AsRef<str>>(mut self, losses: impl IntoIterator<Item = S>) -> Self {
        let selected = self.losses.get_or_insert_with(Vec::new);
        selected.extend(losses.into_iter().map(|loss| loss.as_ref().to_owned()));
        self
    }

    /// The selected loss names that the suite has no signature for, each with its message.
    fn unknown_losses(&self) -> Vec<(String, String)> {
        let known = || self.spec.losses().iter().map(|l| l.name.as_str());
        self.losses
            .iter()
            .flatten()
            .filter(|loss| self.spec.get(loss).is_none())
            .map(|loss| {
                let message = format!(
                    "Harness::losses: the suite knows no loss '{loss}'{}; it knows {}",
                    crate::suggest::did_you_mean(loss, known()),
                    known().collect::<Vec<_>>().join(", ")
                );
                (loss.clone(), message)
            })
            .collect()
    }

    /// Adds a case file or a directory of case files (`*.yaml`, recursively).
    pub fn cases(mut self, path: impl Into<PathBuf>) -> Self {
        self.case_paths.push(path.into());
        self
    }

    /// Leaves out the bundled cases (to run only the paths given to [`Harness::cases`]).
    pub fn without_bundled_cases(mut self) -> Self {
        self.bundled_cases = false;
        self
    }

    /// Loads every case of the selected losses, reporting problems instead of stopping at them.
    #[doc(hidden)]
    pub fn load(&self) -> Loaded {
        let mut loaded = if self.bundled_cases {
            load_bundled(self.spec)
        } else {
            Loaded::default()
        };
        for path in &self.case_paths {
            loaded.extend(load_path(path, self.spec));
        }
        if let Some(losses) = &self.losses {
            loaded.cases.retain(|case| losses.contains(&case.loss));
        }
        loaded
    }

    /// Every evaluation the run makes, not yet run: for each adapter in registration order,
    /// each of `cases` in file order, each of the case's checks. [`Harness::evaluate`] runs
    /// them here and now; [`Harness::plan`] makes each a trial.
    fn pending(&self, cases: &[Arc<Case>]) -> Vec<PendingEvaluation> {
        let limit = time_limit::from_env_or(self.time_limit);
        let mut pending = Vec::with_capacity(self.adapters.len() * cases.len());
        for (adapter_index, adapter) in self.adapters.iter().enumerate() {
            for case in cases {
                for &check in Check::of(case) {
                    let id = trial_name(Some(adapter.name()), &case.loss, &case.name, check);
                    pending.push(PendingEvaluation {
                        adapter_index,
                        adapter: Arc::clone(adapter),
                        case: Arc::clone(case),
                        check,
                        known: self.known_for(&id),
                        id,
                        spec: self.spec,
                        limit,
                    });
                }
            }
        }
        pending
    }

    /// Runs every case against every adapter, on this thread, and returns the outcomes.
    #[doc(hidden)]
    pub fn evaluate(&self) -> Evaluated {
        let loaded = self.load();
        let cases: Vec<Arc<Case>> = loaded.cases.into_iter().map(Arc::new).collect();
        Evaluated {
            evaluations: self
                .pending(&cases)
                .into_iter()
                .map(PendingEvaluation::run)
                .collect(),
            load_errors: loaded.errors,
        }
    }

    /// One trial per (adapter, case), named `adapter::loss::case`, one per (adapter, case with
    /// a recorded gradient), named `adapter::loss::case::grad`, one failing trial per
    /// case-file problem, named `load::file::case`, and failing trials for a run that cannot
    /// test anything (no adapter, no case, an unknown loss name, a stale known difference).
    fn plan(&self) -> Plan {
        let loaded = self.load();
        let cases: Vec<Arc<Case>> = loaded.cases.into_iter().map(Arc::new).collect();
        let mut trials = Vec::new();
        for error in loaded.errors {
            let name = format!(
                "load::{}::{}",
                error.file,
                error.case.as_deref().unwrap_or("-")
            );
            trials.push(PlannedTrial::failing(name, error.to_string()));
        }
        for (loss, message) in self.unknown_losses() {
            trials.push(PlannedTrial::failing(format!("losses::{loss}"), message));
        }
        if self.adapters.is_empty() {
            let message = "no adapter is registered: Harness::adapter(..) adds the \
                           implementation under test";
            trials.push(PlannedTrial::failing(
                "lossparity::no_adapter".into(),
                message,
            ));
        }
        if cases.is_empty() && trials.is_empty() {
            let message = "no case was loaded: a run that tests nothing is a failure (check \
                           Harness::losses, Harness::cases and Harness::without_bundled_cases)";
            trials.push(PlannedTrial::failing(
                "lossparity::no_cases".into(),
                message,
            ));
        }
        let tallies: Vec<Arc<Tally>> = self
            .adapters
            .iter()
            .map(|adapter| Arc::new(Tally::new(adapter.name())))
            .collect();
        let mut ids = Vec::new();
        for pending in self.pending(&cases) {
            ids.push(pending.id.clone());
            let tally = Arc::clone(&tallies[pending.adapter_index]);
            trials.push(PlannedTrial {
                name: pending.id.clone(),
                kind: pending.adapter.dtype().name(),
                run: Box::new(move || {
                    let evaluation = pending.run();
                    tally.record(&evaluation.outcome);
                    evaluation.trial_result()
                }),
            });
        }
        for known in self.unmatched_known_differences(&ids) {
            let message = format!(
                "stale known difference: '{}' ({known}) lists no trial",
                known.pattern
            );
            let name = format!("known_differences::{}", known.pattern);
            trials.push(PlannedTrial::failing(name, message));
        }
        Plan {
            cases: cases.len(),
            trials,
            tallies,
        }
    }

    /// The run's trials, as libtest-mimic runs them.
    #[doc(hidden)]
    pub fn trials(&self) -> Vec<Trial> {
        self.plan()
            .trials
            .into_iter()
            .map(PlannedTrial::into_trial)
            .collect()
    }

    /// The known differences that list none of the trials `ids`: stale entries too.
    #[doc(hidden)]
    pub fn unmatched_known_differences(&self, ids: &[String]) -> Vec<KnownDifference> {
        self.known
            .iter()
            .filter(|known| !ids.iter().any(|id| known.matches(id)))
            .copied()
            .collect()
    }

    /// Runs the trials with libtest's command-line arguments and exits with its status: 0 when
    /// no trial failed.
    ///
    /// The arguments are libtest's: a filter (`-- ::mse_loss::` selects one loss: trial names
    /// are `adapter::loss::case`, with `::grad` for a gradient check), `--exact`, `--skip`,
    /// `--list`, `--ignored`, `--test-threads`, `--format json` (whose `ignored` events carry
    /// their reason in a `message` field, as libtest's do), `--quiet`, …
    ///
    /// Beyond the trials, the run fails when an adapter ran trials but supported none of
    /// them: a run that tested nothing is never green.
    pub fn run(self) -> ! {
        self.run_with_args(&Arguments::from_args()).exit()
    }

    /// Runs the trials with the given arguments and returns libtest-mimic's conclusion.
    #[doc(hidden)]
    pub fn run_with_args(self, args: &Arguments) -> Conclusion {
        let Plan {
            cases,
            trials,
            tallies,
        } = self.plan();
        if matches!(args.format, None | Some(FormatSetting::Pretty)) && !args.list {
            println!(
                "lossparity {}: {cases} cases, expected values from PyTorch {} (float64)",
                env!("CARGO_PKG_VERSION"),
                crate::PYTORCH_VERSION
            );
        }
        let mut conclusion = if args.format == Some(FormatSetting::Json) && !args.list {
            crate::json_output::run(args, trials)
        } else {
            libtest_mimic::run(
                args,
                trials.into_iter().map(PlannedTrial::into_trial).collect(),
            )
        };
        for tally in tallies {
            if let Some(message) = tally.tested_nothing() {
                eprintln!("lossparity: {message}");
                conclusion.num_failed += 1;
            }
        }
        conclusion
    }
}

/// The name of the trial of `check` of the case `case` of `loss` on `adapter`:
/// `adapter::loss::case`, with `::grad` for a gradient check. Trial filters, known
/// differences, reports and the CLI all use this name; without an adapter (a list of one
/// adapter's results, a mutant's catch) it is `loss::case`, with `::grad` for a gradient.
pub fn trial_name(adapter: Option<&str>, loss: &str, case: &str, check: Check) -> String {
    let suffix = match check {
        Check::Output => "",
        Check::Gradient => "::grad",
    };
    match adapter {
        Some(adapter) => format!("{adapter}::{loss}::{case}{suffix}"),
        None => format!("{loss}::{case}{suffix}"),
    }
}

/// One check of one case on one adapter, not yet run.
struct PendingEvaluation {
    /// The adapter's position in registration order.
    adapter_index: usize,
    adapter: Arc<dyn ErasedAdapter>,
    case: Arc<Case>,
    check: Check,
    /// The trial name.
    id: String,
    /// The known difference that lists the trial, if any.
    known: Option<KnownDifference>,
    spec: &'static Spec,
    limit: Option<Duration>,
}

impl PendingEvaluation {
    /// Runs the check under the time limit.
    fn run(self) -> Evaluation {
        Evaluation {
            adapter: self.adapter.name().to_owned(),
            dtype: self.adapter.dtype(),
            outcome: evaluate_within(self.limit, &self.adapter, &self.case, self.spec, self.check),
            case: self.case,
            check: self.check,
            known: self.known,
        }
    }
}

/// What a run will do: its trials, and the tallies that tell whether each adapter was tested.
struct Plan {
    cases: usize,
    trials: Vec<PlannedTrial>,
    tallies: Vec<Arc<Tally>>,
}

/// A trial before libtest-mimic (or the JSON output) runs it.
pub(crate) struct PlannedTrial {
    /// The trial's name.
    pub name: String,
    /// Its kind, shown by `--list` (the adapter's dtype; empty for harness trials).
    pub kind: &'static str,
    /// Runs it.
    pub run: Box<dyn FnOnce() -> TrialResult + Send>,
}

impl PlannedTrial {
    /// A trial that fails with `message`: a problem of the run rather than of an adapter.
    fn failing(name: String, message: impl Into<String>) -> Self {
        let message = message.into();
        PlannedTrial {
            name,
            kind: "",
            run: Box::new(move || TrialResult::Fail(message)),
        }
    }

    fn into_trial(self) -> Trial {
        let run = self.run;
        Trial::ignorable_test(self.name, move || match run() {
            TrialResult::Pass => Ok(Completion::Completed),
            TrialResult::Ignore(reason) => Ok(Completion::ignored_with(reason)),
            TrialResult::Fail(message) => Err(Failed::from(message)),
        })
        .with_kind(self.kind)
    }
}

/// How many of an adapter's trials ran, and how many of those it supported.
struct Tally {
    adapter: String,
    ran: AtomicUsize,
    supported: AtomicUsize,
}

impl Tally {
    fn new(adapter: &str) -> Self {
        Tally {
            adapter: adapter.to_owned(),
            ran: AtomicUsize::new(0),
            supported: AtomicUsize::new(0),
        }
    }

    fn record(&self, outcome: &Outcome) {
        self.ran.fetch_add(1, Ordering::Relaxed);
        if !matches!(outcome, Outcome::Ignored(_)) {
            self.supported.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The failure of an adapter that ran trials but supported none of them.
    fn tested_nothing(&self) -> Option<String> {
        let ran = self.ran.load(Ordering::Relaxed);
        (ran > 0 && self.supported.load(Ordering::Relaxed) == 0).then(|| {
            format!(
                "adapter '{}' supports none of the {ran} trials it was given: a run that tests \
                 nothing is a failure",
                self.adapter
            )
        })
    }
}
