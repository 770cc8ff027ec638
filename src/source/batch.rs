//! Running one job per input file on every core, results kept in input order so the
//! output is the same bytes however the work was shared out.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Applies `job` to every item on up to one thread per core, and returns the results in
/// the items' order. `done` is called (from the worker threads, one call at a time) after
/// each item, with how many have finished. Few items run on the calling thread alone.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    job: impl Fn(&T) -> R + Sync,
    done: impl FnMut(usize) + Send,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let next = AtomicUsize::new(0);
    let finished = Mutex::new((0usize, done));
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                break;
            };
            let result = job(item);
            if let Ok(mut slot) = results[index].lock() {
                *slot = Some(result);
            }
            if let Ok(mut guard) = finished.lock() {
                let (count, done) = &mut *guard;
                *count += 1;
                done(*count);
            }
        }
    };
    if threads <= 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(work);
            }
        });
    }
    results
        .into_iter()
        .filter_map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..500).collect();
        let mut calls = 0;
        let squares = map(&items, |n| n * n, |_| calls += 1);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(calls, 500);
    }

    #[test]
    fn no_items_no_work() {
        let items: Vec<u8> = Vec::new();
        assert!(map(&items, |n| *n, |_| {}).is_empty());
    }
}
