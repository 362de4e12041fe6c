"""Using both cores: one job's items split over two processes, or two jobs side by side.

The build forks one helper process, which shares everything read so far without copying it
into messages; its results come back through an unnamed file the two share. `in_parallel`
gives the helper every other item and does the rest here, and returns all results in order.
`alongside` gives the helper one job while this process does another. Where there is one core,
no fork, or little to do, everything runs in this process.
"""
from __future__ import annotations

import os
import pickle
import select
import traceback
import types

PARALLEL_FROM = 64  # items before a second process pays for itself
_JOB = None
_PARTNER = None  # in a helper process: the end of a pipe that the parent closes when its own job is done


def job():
    """What the work function of the current `in_parallel` call works on."""
    return _JOB


def can_fork() -> bool:
    """A second process would have a core of its own (and this is not already a helper)."""
    return (os.cpu_count() or 1) > 1 and hasattr(os, "fork") and _PARTNER is None


def in_parallel(work, job_value, count: int) -> list:
    """work(indices) -> one result per index, for range(count), in order."""
    global _JOB
    _JOB = job_value
    try:
        if count < PARALLEL_FROM or not can_fork():
            return list(work(range(count)))
        theirs, mine = alongside(lambda: work(range(1, count, 2)), lambda: work(range(0, count, 2)))
    finally:
        _JOB = None
    merged = [None] * count
    merged[0::2], merged[1::2] = mine, theirs
    return merged


def partner_done() -> bool:
    """In `theirs` of `alongside`: has this process's partner finished its own job? Work that
    either process could do can then be left to the one that is free."""
    return _PARTNER is not None and bool(select.select([_PARTNER], [], [], 0)[0])


def alongside(theirs, mine) -> tuple:
    """(theirs(), mine()), the first run by a helper process while this one runs the second.
    What `theirs` returns must pickle. If it is a generator, each item is sent as soon as it is
    made (while this process is still busy) and the result is the list of them. An exception in
    either is raised here."""
    global _PARTNER
    if not can_fork():
        return _in_turn(theirs, mine)
    # The helper writes its answers into a file only these two processes know: it never waits
    # for this one to read them.
    answers = _anonymous_file()
    done_reader, done_writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no room for another process: one job after the other, here
        for fd in (answers, done_reader, done_writer):
            os.close(fd)
        return _in_turn(theirs, mine)
    if pid == 0:  # the helper: its job, written down, then gone without running any exit code
        status = 1
        try:
            os.close(done_writer)
            _PARTNER = done_reader
            with os.fdopen(answers, "wb") as out:
                try:
                    result = theirs()
                    if isinstance(result, types.GeneratorType):
                        for item in result:
                            pickle.dump(("item", item), out, pickle.HIGHEST_PROTOCOL)
                        pickle.dump(("end", None), out)
                    else:
                        pickle.dump(("one", result), out, pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                    out.write(_failure(exc))
            status = 0
        finally:
            os._exit(status)
    os.close(done_reader)
    try:
        own = mine()
    finally:
        os.close(done_writer)  # the helper sees the pipe's end: this process is done
        os.waitpid(pid, 0)
    with os.fdopen(answers, "rb") as stream:
        stream.seek(0)
        items = []
        while True:
            try:
                kind, value = pickle.load(stream)
            except EOFError:
                raise RuntimeError("the helper process stopped without an answer") from None
            if kind == "error":
                raise value
            if kind == "one":
                return value, own
            if kind == "end":
                return items, own
            items.append(value)


def _in_turn(theirs, mine) -> tuple:
    """What `alongside` gives, with the two jobs run one after the other in this process."""
    result = theirs()
    return (list(result) if isinstance(result, types.GeneratorType) else result), mine()


def _anonymous_file() -> int:
    """A file with no name, shared with a process forked after this."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("votepact-helper", os.MFD_CLOEXEC)
    import tempfile
    with tempfile.TemporaryFile() as fh:
        return os.dup(fh.fileno())


def _failure(exc: BaseException) -> bytes:
    try:
        return pickle.dumps(("error", exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its traceback as text
        return pickle.dumps(("error", RuntimeError("".join(traceback.format_exception(exc)))))
