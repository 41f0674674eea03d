//! A line on stderr every few seconds of a long run: an implementation that compiles each shape
//! (JAX, Keras) takes minutes over the bundled cases, and a silent terminal looks like a hang.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lossparity::{Adapter, Call, Gradients, LossError, Support, Tensor};

/// How often a line is written.
const EVERY: Duration = Duration::from_secs(10);

/// `inner`, unchanged, but for a line on stderr every [`EVERY`]: how many checks it has been
/// asked, and for how long.
pub struct WithProgress<A> {
    inner: A,
    checks: AtomicUsize,
    started: Instant,
    last_line: Mutex<Instant>,
}

impl<A: Adapter> WithProgress<A> {
    /// `inner`, reporting its progress.
    pub fn new(inner: A) -> Self {
        let now = Instant::now();
        WithProgress {
            inner,
            checks: AtomicUsize::new(0),
            started: now,
            last_line: Mutex::new(now),
        }
    }

    /// Counts one check, and writes the line if it is due.
    fn tick(&self) {
        let checks = self.checks.fetch_add(1, Ordering::Relaxed) + 1;
        let Ok(mut last_line) = self.last_line.lock() else {
            return;
        };
        if last_line.elapsed() >= EVERY {
            *last_line = Instant::now();
            eprintln!(
                "lossparity: {}: {checks} checks in {:.0} s",
                self.inner.name(),
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}

impl<A: Adapter> Adapter for WithProgress<A> {
    type Scalar = A::Scalar;

    fn name(&self) -> &str {
        self.inner.name()
    }

    fn supports(&self, call: &Call<'_, A::Scalar>) -> Support {
        self.tick();
        self.inner.supports(call)
    }

    fn forward(&self, call: &Call<'_, A::Scalar>) -> Result<Tensor<A::Scalar>, LossError> {
        self.inner.forward(call)
    }

    fn supports_gradient(&self, call: &Call<'_, A::Scalar>) -> Support {
        self.tick();
        self.inner.supports_gradient(call)
    }

    fn gradient(&self, call: &Call<'_, A::Scalar>) -> Result<Gradients<A::Scalar>, LossError> {
        self.inner.gradient(call)
    }
}
