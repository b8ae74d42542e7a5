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
    /// Improvement iterations per thread.
    pub iterations: usize,
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

/// Plans waiting for the solver, and the one being solved.
#[derive(Default)]
pub struct Queue {
    waiting: Mutex<BTreeMap<i64, Job>>,
    current: Mutex<Option<Current>>,
    wake: Notify,
    closed: AtomicBool,
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
    /// Puts a stored plan in line.
    pub fn push(&self, id: i64, job: Job) {
        self.waiting.lock().expect("queue lock").insert(id, job);
        self.wake.notify_one();
    }

    /// The oldest waiting plan, marked as the running one with a fresh stop flag; `None`
    /// once the queue is closed and empty. Waits while nothing is waiting.
    pub async fn next(&self) -> Option<(i64, Job, Arc<AtomicBool>)> {
        loop {
            let notified = self.wake.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if let Some((id, job)) = self.waiting.lock().expect("queue lock").pop_first() {
                let stop = Arc::new(AtomicBool::new(false));
                *self.current.lock().expect("queue lock") = Some(Current {
                    id,
                    stop: stop.clone(),
                    reason: None,
                });
                return Some((id, job, stop));
            }
            if self.closed.load(Ordering::Acquire) {
                return None;
            }
            notified.await;
        }
    }

    /// The running plan finished (whatever the outcome); why it was stopped, if it was.
    pub fn finished(&self, id: i64) -> Option<StopReason> {
        let mut current = self.current.lock().expect("queue lock");
        match current.take() {
            Some(c) if c.id == id => c.reason,
            other => {
                *current = other;
                None
            }
        }
    }

    /// Takes a waiting plan out, or asks the running one to stop.
    pub fn cancel(&self, id: i64) -> Cancelled {
        if self
            .waiting
            .lock()
            .expect("queue lock")
            .remove(&id)
            .is_some()
        {
            return Cancelled::Dequeued;
        }
        if let Some(current) = self
            .current
            .lock()
            .expect("queue lock")
            .as_mut()
            .filter(|c| c.id == id)
        {
            current.reason.get_or_insert(StopReason::Cancelled);
            current.stop.store(true, Ordering::Release);
            return Cancelled::Stopping;
        }
        Cancelled::NotQueued
    }

    /// Shutting down: takes no more plans, stops the running solve, and returns the
    /// waiting ones' ids (to be marked failed).
    pub fn close(&self) -> Vec<i64> {
        self.closed.store(true, Ordering::Release);
        if let Some(current) = self.current.lock().expect("queue lock").as_mut() {
            current.reason.get_or_insert(StopReason::Shutdown);
            current.stop.store(true, Ordering::Release);
        }
        let waiting = std::mem::take(&mut *self.waiting.lock().expect("queue lock"));
        self.wake.notify_one();
        waiting.into_keys().collect()
    }

    /// Whether the queue is closed (the service is shutting down).
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            instance: serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap(),
            threads: 1,
            iterations: 1,
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
        assert_eq!(queue.finished(5), Some(StopReason::Cancelled));
        assert_eq!(queue.next().await.unwrap().0, 7);
        assert_eq!(queue.finished(7), None);
        assert_eq!(queue.close(), vec![8]);
        assert!(queue.next().await.is_none());
        assert_eq!(queue.cancel(8), Cancelled::NotQueued);
    }
}
