"""Forked workers that are replaced as they go (`forked_map`), so their copies of the parent's
memory stay small on a big catalogue."""

from __future__ import annotations

import os

from catalogue.validation.workers import forked_map
from tests.build_support import gone

SHARED = list(range(1000))  # what the parent holds; a forked worker reads it without a copy


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), SHARED[n] ** 2


def test_results_come_in_order_from_fresh_workers_every_round() -> None:
    got = list(forked_map(_pid_and_square, list(range(12)), workers=2, per_worker=2))
    assert [square for _, square in got] == [n * n for n in range(12)]
    rounds = [{pid for pid, _ in got[i:i + 4]} for i in range(0, 12, 4)]  # 2 workers x 2 items
    assert all(pids and os.getpid() not in pids for pids in rounds)
    assert not rounds[0] & rounds[1] and not rounds[1] & rounds[2]  # no worker outlives its round


def test_no_items_start_no_workers() -> None:
    assert list(forked_map(_pid_and_square, [], workers=2, per_worker=5)) == []


def test_rounds_leave_the_callers_objects_frozen_as_they_found_them(monkeypatch) -> None:
    import gc

    from catalogue.validation import workers

    asked: list[bool] = []
    real = workers.caller_froze
    monkeypatch.setattr(workers, "caller_froze", lambda: asked.append(True) or real())
    gc.unfreeze()
    list(forked_map(_pid_and_square, list(range(8)), workers=2, per_worker=1))  # four rounds
    assert gc.get_freeze_count() == 0 and len(asked) == 1  # thawed each round; asked once
    gc.freeze()  # as `catalogue build` freezes its catalogue
    try:
        frozen = gc.get_freeze_count()
        list(forked_map(_pid_and_square, list(range(8)), workers=2, per_worker=1))
        assert gc.get_freeze_count() >= frozen  # the caller's stay frozen
    finally:
        gc.unfreeze()


def test_terminate_workers_stops_a_worker_in_the_middle_of_its_task() -> None:
    """What a build that fails or is stopped does with the leak check's readers and the fork
    writing the other language: it does not wait for their shares to end."""
    import time

    from catalogue.validation.workers import QuietProcessPool

    with QuietProcessPool(1, spawn=True) as pool:
        worker = pool.submit(os.getpid).result()
        pool.submit(time.sleep, 120)  # far longer than this test waits
        pool.terminate_workers()
        assert gone(worker), f"worker {worker} still runs"  # before the pool is left, which would wait


def test_a_pool_that_stops_on_error_stops_its_workers_when_left_on_an_exception() -> None:
    """The leak check's readers and the fork writing the other language, in a build that
    fails or is stopped meanwhile."""
    import time

    from catalogue.validation.workers import QuietProcessPool

    try:
        with QuietProcessPool(1, spawn=True, stop_on_error=True) as pool:
            worker = pool.submit(os.getpid).result()
            pool.submit(time.sleep, 120)  # far longer than this test waits
            left = time.monotonic()
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert time.monotonic() - left < 60  # the pool did not wait for the task to end
    assert gone(worker), f"worker {worker} still runs"
