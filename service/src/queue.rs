//! The solve queue: plans are solved one at a time, oldest first, by one worker task.
//!
//! A plan is stored `queued` before it is put here, so the database always knows it; the
//! queue holds what the worker needs to solve it (the parsed instance and the options)
//! by plan id, and ids grow with creation, so taking the smallest id is first come, first
//! served whatever order the requests' tasks ran in. A queued plan can be taken out
//! (cancelled); the running one has a stop flag the solver checks wherever it checks its
//! time limit.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sweep_solver::model::Instance;
use tokio::sync::Notify;

/// How a plan is to be solved.
pub struct Job {
    /// The instance, as stored with the plan.
    pub instance: Instance,
    /// Solver threads.
    pub threads: usize,
    /// Improvement iterations per thread at most (`None`: the time limit ends the search).
    pub iterations: Option<usize>,
    /// Time limit.
    pub time_limit: Duration,
}

/// Why the running solve was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// A planner cancelled the plan.
    Cancelled,
    /// The service is shutting down.
    Shutdown,
}

/// The running plan and its stop flag.
struct Current {
    id: i64,
    stop: Arc<AtomicBool>,
    reason: Option<StopReason>,
}

/// What the queue holds, under one lock: a plan is always in exactly one place (waiting,
/// current, or neither once settled), whoever looks.
#[derive(Default)]
struct Lines {
    waiting: BTreeMap<i64, Job>,
    current: Option<Current>,
    closed: bool,
}

/// Plans waiting for the solver, and the one being solved.
#[derive(Default)]
pub struct Queue {
    lines: Mutex<Lines>,
    /// Wakes the worker when a plan is pushed or the queue closes.
    wake: Notify,
    /// Wakes whoever waits for a plan's outcome (a cancel) once it is stored.
    settled: Notify,
    /// Held from a plan's insertion in the store to its push here, so that the order of
    /// ids is the order of the queue even when the worker is idle and takes the first
    /// plan pushed at once.
    pub admission: tokio::sync::Mutex<()>,
}

/// What cancelling found.
#[derive(Debug, PartialEq, Eq)]
pub enum Cancelled {
    /// It was waiting and is taken out.
    Dequeued,
    /// It is being solved; its solve stops at the next check.
    Stopping,
    /// It is neither waiting nor running here.
    NotQueued,
}

impl Queue {
    fn lines(&self) -> std::sync::MutexGuard<'_, Lines> {
        self.lines.lock().expect("queue lock")
    }

    /// Puts a stored plan in line.
    pub fn push(&self, id: i64, job: Job) {
        self.lines().waiting.insert(id, job);
        self.wake.notify_one();
    }

    /// The oldest waiting plan, marked as the running one with a fresh stop flag; `None`
    /// once the queue is closed and empty. Waits while nothing is waiting.
    pub async fn next(&self) -> Option<(i64, Job, Arc<AtomicBool>)> {
        loop {
            let notified = self.wake.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            {
                let mut lines = self.lines();
                if let Some((id, job)) = lines.waiting.pop_first() {
                    let stop = Arc::new(AtomicBool::new(false));
                    lines.current = Some(Current {
                        id,
                        stop: stop.clone(),
                        reason: None,
                    });
                    return Some((id, job, stop));
                }
                if lines.closed {
                    return None;
                }
            }
            notified.await;
        }
    }

    /// Why the running plan was asked to stop, if it was (read before its outcome is
    /// stored; it stays the current plan until [`Queue::settle`]).
    pub fn stop_reason(&self, id: i64) -> Option<StopReason> {
        self.lines()
            .current
            .as_ref()
            .filter(|c| c.id == id)
            .and_then(|c| c.reason)
    }

    /// The running plan's outcome is stored: it is no longer the current plan, and whoever
    /// waits for an outcome looks again.
    pub fn settle(&self, id: i64) {
        let mut lines = self.lines();
        if lines.current.as_ref().is_some_and(|c| c.id == id) {
            lines.current = None;
        }
        drop(lines);
        self.settled.notify_waiters();
    }

    /// Waits until some plan's outcome is stored (or `limit` passes).
    pub async fn wait_settled(&self, limit: Duration) {
        let _ = tokio::time::timeout(limit, self.settled.notified()).await;
    }

    /// Takes a waiting plan out, or asks the running one to stop.
    pub fn cancel(&self, id: i64) -> Cancelled {
        let mut lines = self.lines();
        if lines.waiting.remove(&id).is_some() {
            return Cancelled::Dequeued;
        }
        if let Some(current) = lines.current.as_mut().filter(|c| c.id == id) {
            current.reason.get_or_insert(StopReason::Cancelled);
            current.stop.store(true, Ordering::Release);
            return Cancelled::Stopping;
        }
        Cancelled::NotQueued
    }

    /// Shutting down: takes no more plans, stops the running solve, and returns the
    /// waiting ones' ids (to be marked failed).
    pub fn close(&self) -> Vec<i64> {
        let mut lines = self.lines();
        lines.closed = true;
        if let Some(current) = lines.current.as_mut() {
            current.reason.get_or_insert(StopReason::Shutdown);
            current.stop.store(true, Ordering::Release);
        }
        let waiting = std::mem::take(&mut lines.waiting);
        drop(lines);
        self.wake.notify_one();
        waiting.into_keys().collect()
    }

    /// Whether the queue is closed (the service is shutting down).
    pub fn is_closed(&self) -> bool {
        self.lines().closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            instance: serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap(),
            threads: 1,
            iterations: Some(1),
            time_limit: Duration::from_secs(1),
        }
    }

    #[tokio::test]
    async fn plans_come_out_oldest_first_and_cancelled_ones_not_at_all() {
        let queue = Queue::default();
        for id in [7, 5, 6, 8] {
            queue.push(id, job());
        }
        assert_eq!(queue.cancel(6), Cancelled::Dequeued);
        let (first, _, stop) = queue.next().await.unwrap();
        assert_eq!(first, 5);
        assert_eq!(queue.cancel(5), Cancelled::Stopping);
        assert!(stop.load(Ordering::Acquire));
        assert_eq!(queue.stop_reason(5), Some(StopReason::Cancelled));
        queue.settle(5);
        assert_eq!(queue.next().await.unwrap().0, 7);
        assert_eq!(queue.stop_reason(7), None);
        queue.settle(7);
        assert_eq!(queue.close(), vec![8]);
        assert!(queue.next().await.is_none());
        assert_eq!(queue.cancel(8), Cancelled::NotQueued);
    }
}
