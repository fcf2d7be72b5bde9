//! Work done in parallel, handed on in order: the scan's submissions are scanned by as many
//! threads as rayon has, each taking the next submission as soon as it is free (no batch
//! waits for its slowest member), and handed to the caller in corpus order. At most a window
//! of results waits to be handed on, so memory stays bounded whatever the corpus's size.
//!
//! Threads are woken only when they must be: the caller when the result it waits for comes,
//! a worker when the window it waits on moves. A history scans a few dozen submissions per
//! revision, most from its cache, so a wake-up per submission would cost more than the work.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

/// What the workers and the caller share.
struct State<T> {
    /// Results not yet taken by the caller, by index.
    ready: BTreeMap<usize, thread::Result<T>>,
    /// The next index the caller takes.
    taken: usize,
    /// How many results the caller has handed on.
    handed: usize,
    /// The caller waits for `taken`.
    caller_waits: bool,
    /// Workers waiting for the window to move.
    workers_wait: usize,
    /// The handing on stopped (a panic): workers leave.
    stopped: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    caller: Condvar,
    workers: Condvar,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.workers.notify_all();
    }
}

/// Stops the workers when the caller leaves, by a panic included (else a worker waiting on
/// the window would wait forever and the scope would never end).
struct StopOnDrop<'a, T>(&'a Shared<T>);

impl<T> Drop for StopOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Calls `work` for every index of `0..n` on worker threads (as many as rayon's pool has),
/// and `each` with the results in index order on the calling thread. A worker takes index
/// `i` only once fewer than `window` results wait before it. The work may itself use rayon:
/// the workers are not the pool's threads, so what they hand the pool is never stuck behind
/// another worker's loop. A panic in `work` is raised again on the calling thread.
pub(crate) fn in_order<T: Send>(
    n: usize,
    window: usize,
    work: &(dyn Fn(usize) -> T + Sync),
    each: &mut dyn FnMut(usize, T),
) {
    let window = window.max(1);
    let threads = rayon::current_num_threads().clamp(1, n.max(1));
    let next = AtomicUsize::new(0);
    let shared = Shared {
        state: Mutex::new(State {
            ready: BTreeMap::new(),
            taken: 0,
            handed: 0,
            caller_waits: false,
            workers_wait: 0,
            stopped: false,
        }),
        caller: Condvar::new(),
        workers: Condvar::new(),
    };
    thread::scope(|s| {
        for _ in 0..threads {
            let (next, shared) = (&next, &shared);
            s.spawn(move || worker(n, window, next, shared, work));
        }
        let _stop = StopOnDrop(&shared);
        while let Some(batch) = take_ready(&shared, n) {
            let count = batch.len();
            for (i, out) in batch {
                match out {
                    Ok(out) => each(i, out),
                    Err(p) => panic::resume_unwind(p),
                }
            }
            let mut st = shared.lock();
            st.handed += count;
            if st.workers_wait > 0 {
                shared.workers.notify_all();
            }
        }
    });
}

/// A worker: takes the next index while there is one and the window allows it.
fn worker<T: Send>(
    n: usize,
    window: usize,
    next: &AtomicUsize,
    shared: &Shared<T>,
    work: &(dyn Fn(usize) -> T + Sync),
) {
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= n {
            return;
        }
        {
            let mut st = shared.lock();
            while !st.stopped && i >= st.handed + window {
                st.workers_wait += 1;
                st = shared
                    .workers
                    .wait(st)
                    .unwrap_or_else(PoisonError::into_inner);
                st.workers_wait -= 1;
            }
            if st.stopped {
                return;
            }
        }
        let out = panic::catch_unwind(AssertUnwindSafe(|| work(i)));
        let failed = out.is_err();
        let mut st = shared.lock();
        st.ready.insert(i, out);
        if st.caller_waits && i == st.taken {
            shared.caller.notify_one();
        }
        if failed {
            return;
        }
    }
}

/// The results ready from the caller's next index on, in order, once the first of them is;
/// `None` when all `n` were taken.
fn take_ready<T>(shared: &Shared<T>, n: usize) -> Option<Vec<(usize, thread::Result<T>)>> {
    let mut st = shared.lock();
    if st.taken >= n {
        return None;
    }
    while !st.ready.contains_key(&st.taken) {
        st.caller_waits = true;
        st = shared
            .caller
            .wait(st)
            .unwrap_or_else(PoisonError::into_inner);
        st.caller_waits = false;
    }
    let mut batch = Vec::new();
    loop {
        let i = st.taken;
        let Some(out) = st.ready.remove(&i) else {
            break;
        };
        batch.push((i, out));
        st.taken += 1;
    }
    Some(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_order_they_finish_in() {
        let mut got = Vec::new();
        // Early indices take longest, so later ones finish first.
        in_order(
            64,
            8,
            &|i| {
                std::thread::sleep(std::time::Duration::from_micros(((64 - i) * 50) as u64));
                i * 10
            },
            &mut |i, v| got.push((i, v)),
        );
        let want: Vec<_> = (0..64).map(|i| (i, i * 10)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn no_more_than_the_window_waits_to_be_handed_on() {
        let started = AtomicUsize::new(0);
        let mut seen_ahead = 0;
        in_order(
            200,
            4,
            &|i| {
                started.fetch_max(i + 1, Ordering::SeqCst);
                i
            },
            &mut |i, _| {
                std::thread::sleep(std::time::Duration::from_micros(100));
                seen_ahead = seen_ahead.max(started.load(Ordering::SeqCst) - i);
            },
        );
        // Index j is taken only while fewer than 4 results wait before it: while i is being
        // handed on (i handed so far, or fewer), no index past i + 3 has started.
        assert!(seen_ahead <= 4, "{seen_ahead}");
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller_without_hanging() {
        let r = panic::catch_unwind(|| {
            in_order(
                100,
                2,
                &|i| {
                    assert!(i != 7, "boom at 7");
                    i
                },
                &mut |_, _| {},
            )
        });
        assert!(r.is_err());
    }

    #[test]
    fn a_panic_in_the_caller_stops_the_workers_without_hanging() {
        let r = panic::catch_unwind(|| {
            in_order(100, 2, &|i| i, &mut |i, _| assert!(i != 5, "boom at 5"))
        });
        assert!(r.is_err());
    }

    #[test]
    fn nothing_to_do_is_done_at_once() {
        let mut calls = 0;
        in_order(0, 4, &|i| i, &mut |_, _| calls += 1);
        assert_eq!(calls, 0);
    }
}
