//! Shape screening for `supports()`: burn's tensors have a compile-time rank of at least 1, and
//! its losses take their operands at one rank.

use lossparity::{Call, Input};

use crate::session::MAX_RANK;

/// The shape of input `name` (`None` if it is absent).
pub(crate) fn shape<'c, T>(call: &'c Call<'_, T>, name: &str) -> Option<&'c [usize]> {
    match call.input(name)? {
        Input::Float(t) => Some(t.shape()),
        Input::Int(t) => Some(t.shape()),
    }
}

/// The common rank of the inputs `names` (absent optional ones are skipped), or why burn
/// cannot take them: a 0-d tensor (burn has none), or operands of different ranks (burn's
/// losses take `Tensor<D>` operands of one `D`, so PyTorch's broadcasting across ranks is not
/// expressible; broadcasting within one rank is left to burn).
pub(crate) fn common_rank<T>(call: &Call<'_, T>, names: &[&str]) -> Result<usize, String> {
    let mut common: Option<(usize, &str)> = None;
    for name in names {
        let Some(shape) = shape(call, name) else {
            continue;
        };
        let rank = shape.len();
        if rank == 0 {
            return Err(format!("burn has no 0-d tensors ('{name}' is 0-d)"));
        }
        if rank > MAX_RANK {
            return Err(format!(
                "'{name}' has rank {rank} (the adapter dispatches 1..={MAX_RANK})"
            ));
        }
        match common {
            Some((r, first)) if r != rank => {
                return Err(format!(
                    "burn's {} takes its operands at one rank ('{first}' is {r}-D, '{name}' is \
                     {rank}-D): no broadcasting across ranks",
                    crate::losses::burn_name(call.loss())
                ))
            }
            _ => common = Some((rank, name)),
        }
    }
    Ok(common.map_or(0, |(rank, _)| rank))
}

/// Checks that input `name` has exactly `rank` dimensions, the rank burn's loss takes.
pub(crate) fn require_rank<T>(
    call: &Call<'_, T>,
    name: &str,
    rank: usize,
    what: &str,
) -> Result<(), String> {
    match shape(call, name) {
        Some(shape) if shape.len() != rank => Err(format!(
            "burn's {} takes '{name}' as {what} ({rank}-D); this one is {}-D",
            crate::losses::burn_name(call.loss()),
            shape.len()
        )),
        _ => Ok(()),
    }
}

/// PyTorch's broadcast of two shapes (aligned on the right), if they broadcast.
pub(crate) fn broadcast(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let rank = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| (i + s.len()).checked_sub(rank).map_or(1, |j| s[j]);
    (0..rank)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// Whether `a` and `b` differ yet broadcast: a valid PyTorch call that a burn loss asserting
/// equal shapes cannot take. (Shapes that do not broadcast are PyTorch errors: those calls are
/// left to burn, whose assert then fails the case.)
pub(crate) fn broadcasts_unequal(a: &[usize], b: &[usize]) -> bool {
    a != b && broadcast(a, b).is_some()
}

/// `Err` when two of the inputs `names` differ in shape yet broadcast (see
/// [`broadcasts_unequal`]): burn's loss asserts equal shapes.
pub(crate) fn no_broadcasting<T>(call: &Call<'_, T>, names: &[&str]) -> Result<(), String> {
    let shapes: Vec<(&str, &[usize])> = names
        .iter()
        .filter_map(|name| Some((*name, shape(call, name)?)))
        .collect();
    for (i, (a, sa)) in shapes.iter().enumerate() {
        for (b, sb) in &shapes[i + 1..] {
            if broadcasts_unequal(sa, sb) {
                return Err(format!(
                    "burn's {} asserts equal shapes ('{a}' {sa:?}, '{b}' {sb:?}): no \
                     broadcasting",
                    crate::losses::burn_name(call.loss())
                ));
            }
        }
    }
    Ok(())
}
