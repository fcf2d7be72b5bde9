//! Work done in parallel, handed on in order: the scan's submissions are scanned by as many
//! threads as rayon has, each taking the next submission as soon as it is free (no batch
//! waits for its slowest member), and handed to the caller in corpus order. At most a window
//! of results waits to be handed on, so memory stays bounded whatever the corpus's size.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

/// Where the handing on is: how many results were handed on, and whether it stopped.
#[derive(Default)]
struct Handed {
    count: usize,
    stopped: bool,
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
    let handed = (Mutex::new(Handed::default()), Condvar::new());
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, handed) = (&next, &handed);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n || !wait_for_room(handed, i, window) {
                    break;
                }
                let out = panic::catch_unwind(AssertUnwindSafe(|| work(i)));
                let failed = out.is_err();
                if tx.send((i, out)).is_err() || failed {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        let stop = |handed: &(Mutex<Handed>, Condvar)| {
            lock(&handed.0).stopped = true;
            handed.1.notify_all();
        };
        for (i, out) in rx {
            pending.insert(i, out);
            while let Some(out) = pending.remove(&want) {
                match out {
                    Ok(out) => each(want, out),
                    Err(p) => {
                        stop(&handed);
                        panic::resume_unwind(p);
                    }
                }
                want += 1;
                lock(&handed.0).count = want;
                handed.1.notify_all();
            }
        }
        stop(&handed);
    });
}

/// Waits until index `i` may be worked on (fewer than `window` results wait before it);
/// false when the handing on stopped.
fn wait_for_room(handed: &(Mutex<Handed>, Condvar), i: usize, window: usize) -> bool {
    let mut h = lock(&handed.0);
    while !h.stopped && i >= h.count + window {
        h = handed.1.wait(h).unwrap_or_else(PoisonError::into_inner);
    }
    !h.stopped
}

fn lock(m: &Mutex<Handed>) -> std::sync::MutexGuard<'_, Handed> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
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
        // Index i is taken only while fewer than 4 results wait before it: when i is
        // handed on, at most indices up to i + 3 have started.
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
    fn nothing_to_do_is_done_at_once() {
        let mut calls = 0;
        in_order(0, 4, &|i| i, &mut |_, _| calls += 1);
        assert_eq!(calls, 0);
    }
}
