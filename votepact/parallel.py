"""Doing one job's items in two processes when there are enough of them to pay for it.

The build forks one helper process, which shares everything read so far without copying it
into messages. The helper takes every other item and this process the rest; the helper's
results come back through a pipe, and all of them in order. Where there is one core, no fork,
or few items, everything runs in this process.
"""
from __future__ import annotations

import os
import pickle
import traceback

PARALLEL_FROM = 64  # items before a second process pays for itself
_JOB = None


def job():
    """What the work function of the current `in_parallel` call works on."""
    return _JOB


def in_parallel(work, job_value, count: int) -> list:
    """work(indices) -> one result per index, for range(count), in order."""
    global _JOB
    _JOB = job_value
    try:
        if count < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
            return list(work(range(count)))
        mine, theirs = _split(work, count)
    finally:
        _JOB = None
    merged = [None] * count
    merged[0::2], merged[1::2] = mine, theirs
    return merged


def _split(work, count: int) -> tuple[list, list]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: its half, sent back whole, then gone without running any exit code
        status = 1
        try:
            os.close(reader)
            try:
                message = pickle.dumps((True, work(range(1, count, 2))), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                message = _failure(exc)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(message)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    try:
        mine = work(range(0, count, 2))
    finally:
        with os.fdopen(reader, "rb") as pipe:
            message = pipe.read()
        os.waitpid(pid, 0)
    if not message:
        raise RuntimeError("the helper process stopped without an answer")
    ok, theirs = pickle.loads(message)
    if not ok:
        raise theirs
    return mine, theirs


def _failure(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its traceback as text
        return pickle.dumps((False, RuntimeError("".join(traceback.format_exception(exc)))))
