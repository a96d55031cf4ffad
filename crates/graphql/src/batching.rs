//! Batches that follow the query's shape. The data loader gathers the keys that sibling
//! resolvers ask for and fetches them together, after a short delay. On its own, that delay
//! runs on the clock: when resolving a long list takes longer than the delay, the keys
//! are cut into several batches, and a larger answer costs more statements.
//!
//! Every sibling of one level asks for its key while the request is busy: the executor
//! polls siblings together, in slices that wake the request again at once. So each fetch
//! first waits until the request is idle ([`Tick::idle`]): not being polled and not woken
//! to be polled again. All the keys of a level are gathered by then, however long the
//! list, and the statements of a request depend on its shape, not on its size. The
//! loader's own delay is zero: a fetch starts as soon as the request is idle.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Wake, Waker};

use async_graphql::futures_util::future::BoxFuture;
use tokio::sync::Notify;

/// Whether the request is busy; shared by the request and its fetches.
#[derive(Clone, Default)]
pub(crate) struct Tick(Arc<State>);

#[derive(Default)]
struct State {
    /// The request is being polled.
    polling: AtomicBool,
    /// The request was woken and will be polled again.
    woken: AtomicBool,
    /// The request finished, or was dropped: nothing waits for it any more.
    done: AtomicBool,
    idle: Notify,
}

impl State {
    fn is_idle(&self) -> bool {
        self.done.load(Ordering::SeqCst)
            || !(self.polling.load(Ordering::SeqCst) || self.woken.load(Ordering::SeqCst))
    }
}

impl Tick {
    /// Runs `request`, telling the fetches when it is idle.
    pub(crate) async fn drive<F: Future>(&self, request: F) -> F::Output {
        let _done = Done(&self.0);
        let mut request = pin!(request);
        poll_fn(|cx| {
            let _polling = Polling::start(&self.0);
            let waker = Waker::from(Arc::new(Watched {
                state: self.0.clone(),
                waker: cx.waker().clone(),
            }));
            request.as_mut().poll(&mut Context::from_waker(&waker))
        })
        .await
    }

    /// Returns once the request is idle. A request that is not driven by [`Tick::drive`]
    /// is always idle, so its fetches do not wait here.
    async fn idle(&self) {
        loop {
            let mut idle = pin!(self.0.idle.notified());
            // Registered before the check: a poll ending after it wakes this waiter.
            idle.as_mut().enable();
            if self.0.is_idle() {
                return;
            }
            idle.await;
        }
    }

    /// Spawns a data loader's fetch so that it starts once the request is idle.
    pub(crate) fn spawner(&self) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
        let tick = self.clone();
        move |fetch| {
            let tick = tick.clone();
            tokio::spawn(async move {
                tick.idle().await;
                fetch.await;
            });
        }
    }
}

/// The request's waker, noting each wake-up before passing it on.
struct Watched {
    state: Arc<State>,
    waker: Waker,
}

impl Wake for Watched {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.state.woken.store(true, Ordering::SeqCst);
        self.waker.wake_by_ref();
    }
}

/// Marks one poll of the request; dropping it (also on a panic) ends the poll.
struct Polling<'a>(&'a State);

impl<'a> Polling<'a> {
    fn start(state: &'a State) -> Self {
        state.polling.store(true, Ordering::SeqCst);
        // This poll answers every wake-up so far.
        state.woken.store(false, Ordering::SeqCst);
        Self(state)
    }
}

impl Drop for Polling<'_> {
    fn drop(&mut self) {
        self.0.polling.store(false, Ordering::SeqCst);
        self.0.idle.notify_waiters();
    }
}

/// Marks the request finished when its driver is dropped, even before completion.
struct Done<'a>(&'a State);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.done.store(true, Ordering::SeqCst);
        self.0.idle.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    /// A fetch spawned while the request is busy for longer than any delay starts only
    /// once that poll is over.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fetches_wait_for_the_poll_to_end() {
        let tick = Tick::default();
        let events = Arc::new(Mutex::new(Vec::new()));
        let spawn = tick.spawner();
        let log = events.clone();
        tick.drive(async {
            let fetched = events.clone();
            spawn(Box::pin(async move {
                fetched.lock().unwrap().push("fetch");
            }));
            std::thread::sleep(Duration::from_millis(50));
            log.lock().unwrap().push("poll ends");
        })
        .await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(*events.lock().unwrap(), ["poll ends", "fetch"]);
    }

    /// A request that yields and is woken at once is still busy: the fetch waits for
    /// the poll after it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fetches_wait_while_the_request_yields() {
        let tick = Tick::default();
        let events = Arc::new(Mutex::new(Vec::new()));
        let spawn = tick.spawner();
        let log = events.clone();
        tick.drive(async {
            let fetched = events.clone();
            spawn(Box::pin(async move {
                fetched.lock().unwrap().push("fetch");
            }));
            for slice in ["first slice", "second slice"] {
                std::thread::sleep(Duration::from_millis(30));
                log.lock().unwrap().push(slice);
                tokio::task::yield_now().await;
            }
        })
        .await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(
            *events.lock().unwrap(),
            ["first slice", "second slice", "fetch"]
        );
    }

    /// A request dropped while busy lets its fetches run rather than wait for ever.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_request_releases_its_fetches() {
        let tick = Tick::default();
        let (sender, receiver) = tokio::sync::oneshot::channel();
        tick.spawner()(Box::pin(async move {
            sender.send(()).unwrap();
        }));
        // Always woken again: busy until it is dropped by the timeout.
        let spinning = poll_fn(|cx| {
            cx.waker().wake_by_ref();
            std::task::Poll::<()>::Pending
        });
        let timed_out = tokio::time::timeout(Duration::from_millis(50), tick.drive(spinning)).await;
        assert!(timed_out.is_err());
        tokio::time::timeout(Duration::from_secs(5), receiver)
            .await
            .expect("the fetch ran once the request was dropped")
            .unwrap();
    }
}
