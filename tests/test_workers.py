"""Forked workers that are replaced as they go (`forked_map`), so their copies of the parent's
memory stay small on a big catalogue."""

from __future__ import annotations

import os

from catalogue.validation.workers import forked_map

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
