//! Failed sign-ins per e-mail address, kept in memory: each process spaces out attempts
//! on an address that keeps failing (see `cmnp_domain::sign_in`). Memory stays bounded:
//! old entries are forgotten, and past a cap the oldest go first.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cmnp_domain::sign_in::{FAILURE_MEMORY, wait_after};

/// Addresses remembered at most; a flood of made-up addresses cannot grow memory further.
const CAPACITY: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct SignInThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl SignInThrottle {
    /// How long `address` must still wait before an attempt is heard (zero: now).
    pub(crate) fn wait(&self, address: &str, now: Instant) -> Duration {
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match failures.get(address) {
            Some(f) if now.duration_since(f.last) < FAILURE_MEMORY => {
                wait_after(f.count).saturating_sub(now.duration_since(f.last))
            }
            _ => Duration::ZERO,
        }
    }

    /// Records a failure and returns how many in a row `address` now has.
    pub(crate) fn failed(&self, address: &str, now: Instant) -> u32 {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() >= CAPACITY && !failures.contains_key(address) {
            failures.retain(|_, f| now.duration_since(f.last) < FAILURE_MEMORY);
            if failures.len() >= CAPACITY
                && let Some(oldest) = failures
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone())
            {
                failures.remove(&oldest);
            }
        }
        let entry = failures.entry(address.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(entry.last) >= FAILURE_MEMORY {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
        entry.count
    }

    /// A successful sign-in clears the address's record.
    pub(crate) fn succeeded(&self, address: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.remove(address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_follow_failures_and_are_forgotten() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..3 {
            throttle.failed("ana@x", start);
        }
        assert_eq!(throttle.wait("ana@x", start), Duration::from_secs(1));
        assert_eq!(
            throttle.wait("ana@x", start + Duration::from_millis(400)),
            Duration::from_millis(600)
        );
        assert_eq!(
            throttle.wait("ana@x", start + Duration::from_secs(2)),
            Duration::ZERO
        );
        assert_eq!(throttle.wait("otro@x", start), Duration::ZERO);
        assert_eq!(
            throttle.failed("ana@x", start + FAILURE_MEMORY),
            1,
            "forgotten after a quiet period"
        );
        throttle.succeeded("ana@x");
        assert_eq!(throttle.wait("ana@x", start), Duration::ZERO);
    }

    #[test]
    fn memory_is_bounded() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..CAPACITY + 50 {
            throttle.failed(&format!("{i}@x"), now);
        }
        assert_eq!(throttle.failures.lock().unwrap().len(), CAPACITY);
    }
}
