"""Process pools whose workers stop quietly: no traceback when the pool is shut down.

Forked workers inherit the parent's signal handlers. `catalogue build` handles SIGTERM by raising
`BuildStopped`, so a worker terminated by its pool (`multiprocessing.Pool` sends SIGTERM when it
closes) raised it and printed a traceback, even in a build that succeeded. And Ctrl-C reaches
every process of the terminal's group: each idle worker would print its `KeyboardInterrupt`.

So every worker starts with `quiet_worker`: SIGTERM ends it at once (the default action, nothing
printed) and SIGINT is left to the parent, which stops the pool itself. Until then, and while the
parent forks, SIGTERM and SIGINT are held (blocked, not lost): a signal arriving in the middle of
a fork would otherwise run the parent's handler inside an at-fork hook, where Python ignores the
exception it raises (the build went on and published), or run it in the child before
`quiet_worker` (a traceback). A held signal arrives as soon as the fork is done.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import process as _process
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

HELD = {signal.SIGTERM, signal.SIGINT}


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGTERM and SIGINT in this thread (and the processes and threads it starts)."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a held signal is delivered here


def quiet_worker() -> None:
    """Pool initializer: the default SIGTERM, SIGINT ignored (the parent handles Ctrl-C)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


class QuietProcessPool(ProcessPoolExecutor):
    """A `ProcessPoolExecutor` of quiet workers (forked ones with `fork`). It forks them in
    `submit`, so each submit holds the signals; `map` submits through it.

    Not `multiprocessing.Pool`: when SIGTERM reaches the whole process group (systemd, `timeout`,
    a CI runner), a worker can die holding the pool's queue lock, and `Pool.terminate` then waits
    for that lock for ever. This executor notices dead workers and stops."""

    def __init__(self, max_workers: int | None = None, fork: bool = False, spawn: bool = False,
                 thaws: bool | None = None, stop_on_error: bool = False) -> None:
        """`fork`: workers that share the caller's memory (what they read of it is copied).
        `spawn`: fresh interpreters that share nothing, for work that needs none of the
        caller's objects: a forked worker copies a page of the caller's heap whenever it
        allocates into a free slot there, so on a big build even a worker that reads only
        files grows by hundreds of megabytes. `thaws`: whether the objects the pool freezes
        are thawed when it shuts down, which they are unless the caller had frozen some
        already (`catalogue build` freezes the catalogue: it stays frozen); None: find out
        (`caller_froze`). `stop_on_error`: leaving the pool's `with` block on an exception (a
        failed step, Ctrl-C, SIGTERM) stops the workers (`terminate_workers`) instead of
        waiting for their tasks, for a pool whose tasks are long (minutes at 100,000 entries)."""
        context = multiprocessing.get_context("fork" if fork else "spawn" if spawn else None)
        self.forks = context.get_start_method() == "fork"  # Linux's default, with or without `fork`
        self.thaws = self.forks and (not caller_froze() if thaws is None else thaws)
        self.stop_on_error = stop_on_error
        super().__init__(max_workers=max_workers, mp_context=context, initializer=quiet_worker)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool | None:
        if exc_type is not None and self.stop_on_error:
            self.terminate_workers()
        return super().__exit__(exc_type, exc, tb)

    def _start_executor_manager_thread(self) -> None:
        # CPython's own start-up, with a manager thread that stops quietly (`_QuietManager`)
        original = _process._ExecutorManagerThread
        _process._ExecutorManagerThread = _QuietManager  # type: ignore[misc]
        try:
            super()._start_executor_manager_thread()  # type: ignore[misc]
        finally:
            _process._ExecutorManagerThread = original  # type: ignore[misc]

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.forks:
            # A forked worker shares the parent's memory until it writes to it, and a garbage
            # collection in it would write to every object it visits (copying the catalogue
            # into each worker). Frozen objects are never visited, so only what a worker reads
            # is copied. Objects made after the fork are collected as usual.
            gc.freeze()
        with held_signals():
            return super().submit(fn, *args, **kwargs)

    def terminate_workers(self) -> None:
        """Stop every worker now, and the pool (Python 3.14's method of the same name): a
        build that failed or was interrupted need not wait for work it will throw away."""
        for proc in list((self._processes or {}).values()):  # type: ignore[attr-defined]
            proc.terminate()
        self.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if self.thaws:
            gc.unfreeze()  # the parent's objects may be collected again


class _QuietManager(_process._ExecutorManagerThread):  # type: ignore[misc, name-defined]
    """The pool's manager thread, minus a traceback: when a signal stops the caller inside
    `map`, `map` cancels the futures it did not collect; when the same signal (sent to the whole
    process group) then kills the workers, CPython 3.11 marks every pending future failed,
    cancelled ones too, and `set_exception` on a cancelled future raises `InvalidStateError`
    in this thread, which prints its traceback. A future that is already done is left alone."""

    def terminate_broken(self, cause: Any) -> None:
        for work_id in [k for k, item in self.pending_work_items.items() if item.future.done()]:
            del self.pending_work_items[work_id]
        super().terminate_broken(cause)


def caller_froze() -> bool:
    """Whether any object is frozen (`gc.freeze`). CPython counts them one by one: with a big
    catalogue frozen, a tenth of a second or more, which a pool made per round of
    `forked_map` paid every time (11.5 s of a 10,000-entry site step)."""
    return gc.get_freeze_count() > 0


def forked_map(fn: Callable[[T], R], items: Sequence[T], workers: int, per_worker: int) -> Iterator[R]:
    """`fn` of each of `items`, in order, computed by `workers` processes forked from this one
    that are replaced by fresh forks after about `per_worker` items each.

    A forked worker shares the parent's memory only until it touches it, and merely reading a
    Python object writes its reference count: the page that holds it is copied. A worker that
    went through half of a big catalogue held a copy of half of it (the FAIR Data Point step at
    10,000 entries of 100 variables: 5.4 GB for the whole process tree, against 3.0 GB for the
    build before it). One that is replaced holds the copies of its last few items' pages only.
    A fork costs milliseconds; the workers of one round wait for its slowest item."""
    size = max(1, workers * per_worker)
    thaws = not caller_froze()  # asked once: each round leaves the objects frozen as it found them
    for start in range(0, len(items), size):
        with QuietProcessPool(workers, fork=True, thaws=thaws) as pool:
            yield from pool.map(fn, items[start:start + size])
