//! Slowing down guessing: after a few failed sign-ins for one e-mail address, each further
//! attempt must wait longer, up to a ceiling, so a password cannot be guessed at speed
//! while its owner is held up for seconds at most.

use std::time::Duration;

/// Failures allowed before attempts are spaced out.
pub const FREE_FAILURES: u32 = 3;

/// How long failures are remembered: after this quiet period an address starts afresh.
pub const FAILURE_MEMORY: Duration = Duration::from_secs(15 * 60);

/// The longest wait imposed between attempts.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// The wait after `failures` consecutive failures before the next attempt is heard:
/// none for the first few, then 1 s, doubling, at most [`LONGEST_WAIT`].
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(10);
    Duration::from_secs(1_u64 << doublings).min(LONGEST_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_a_few_failures_up_to_a_ceiling() {
        assert_eq!(wait_after(0), Duration::ZERO);
        assert_eq!(wait_after(2), Duration::ZERO);
        assert_eq!(wait_after(3), Duration::from_secs(1));
        assert_eq!(wait_after(4), Duration::from_secs(2));
        assert_eq!(wait_after(8), Duration::from_secs(32));
        assert_eq!(wait_after(9), LONGEST_WAIT);
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT);
    }
}
