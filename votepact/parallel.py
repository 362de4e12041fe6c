"""Doing one job's items in two processes when there are enough of them to pay for it.

The parent sets the job, forks (so the workers share everything it has read without copying it
into messages), and each worker takes every other item; results come back in order. Where
there is one core, no fork, or few items, the same work runs in this process.
"""
from __future__ import annotations

import os

PARALLEL_FROM = 64  # items before a second process pays for itself
_JOB = None


def job():
    """What the work function of the current `in_parallel` call works on."""
    return _JOB


def in_parallel(work, job_value, count: int) -> list:
    global _JOB
    _JOB = job_value
    try:
        if count < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
            return work(range(count))
        import multiprocessing  # only here: some 4 ms of start-up that a small site never needs

        if "fork" not in multiprocessing.get_all_start_methods():
            return work(range(count))
        with multiprocessing.get_context("fork").Pool(2) as pool:
            halves = pool.map(work, [range(0, count, 2), range(1, count, 2)])
    finally:
        _JOB = None
    merged = [None] * count
    merged[0::2], merged[1::2] = halves
    return merged
