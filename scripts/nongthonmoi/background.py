"""Work that runs beside the build, on the machine's other core.

MkDocs converts and renders pages on one core. Much of what the plugin makes
is needed later than it is made, or not by the pages at all, so ``mkdocs
build`` hands it to forked children (at lower priority, so that they never
slow the pages when both want the same core):

- :func:`beside`: a function whose value is needed soon (the results while
  the plans load; the checks of the pages while the data loads, the text
  check of the data files while the pages are converted);
- :func:`stream`: files MkDocs reads one after the other (the Saturday pages
  of a first build), made in that order; in ``on_page_read_source`` the
  build makes a page not written yet itself, and the child skips it;
- :func:`start`: files MkDocs only copies, after every page has been
  converted (workbooks, PDFs, calendars and reports): started by
  :func:`launch` at the end of ``on_files``, waited for by :func:`wait_all`
  in ``on_env``, just before MkDocs copies files.

Never where forking is not safe: in a process with other threads (``mkdocs
serve``'s web server) or without fork, the work runs in place, as before. A
child writes its files into the caches (atomically) and sends back its
value or an error message.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import traceback
from typing import Callable

_PENDING: list["Job"] = []

# How nice each kind of work is, by how soon the build needs it (the build
# itself, at 0, always goes first): the Saturday pages are read from the
# first page on; a value beside the build is waited for within a second;
# files are only copied at the end (on_env); the checks give way even to
# the data they run beside.
NICE_STREAM, NICE_VALUE, NICE_FILES, NICE_LATER_VALUE = 5, 10, 15, 19


class BackgroundError(Exception):
    """The work failed; the message is for the editor (Vietnamese)."""


class Job:
    def __init__(self, name: str, work: Callable[[], None]):
        self.name = name
        self.work = work
        self._process = None

    def start(self) -> None:
        if self._process is not None:
            return
        # Not a daemon: the handouts' own worker processes are its children.
        self._process, self._receive = _fork(_child, f"ntm-{self.name}", self.work, NICE_FILES)

    def cancel(self) -> None:
        if self._process is not None:
            _stop(self._process, self._receive)

    def wait(self) -> None:
        self.start()
        message = None
        try:
            message = self._receive.recv()
        except EOFError:
            message = f"{self.name}: tiến trình dừng giữa chừng."
        self._process.join()
        self._receive.close()
        if message is None and self._process.exitcode != 0:
            message = f"{self.name}: tiến trình dừng giữa chừng (mã {self._process.exitcode})."
        if message is not None:
            raise BackgroundError(message)


class _Call:
    """``work()`` in a forked child; :meth:`result` returns what it returned."""

    def __init__(self, work: Callable[[], object], nice: int = NICE_VALUE):
        self._process, self._receive = _fork(_returning, "ntm-beside", work, nice)

    def result(self):
        try:
            ok, value = self._receive.recv()
        except EOFError:
            ok, value = False, "tiến trình dừng giữa chừng."
        self._process.join()
        self._receive.close()
        if not ok:
            raise BackgroundError(value)
        return value

    def cancel(self) -> None:
        _stop(self._process, self._receive)


def _fork(target, name: str, *args):
    """Start ``target(send, *args)`` in a forked child; return the child and
    the end of the pipe its messages come from."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(send, *args), name=name)
    process.start()
    send.close()
    return process, receive


def _failure(exc: Exception) -> str:
    """What the build says of a failure in a child: a content error's own
    Vietnamese message; anything else is a fault in the code, with its trace."""
    from .errors import ContentErrors

    return str(exc) if isinstance(exc, ContentErrors) else "".join(traceback.format_exception(exc))


def _stop(process, receive) -> None:
    process.terminate()
    process.join()
    receive.close()


class _Done:
    def __init__(self, work: Callable[[], object]):
        self._value = work()

    def result(self):
        return self._value

    def cancel(self) -> None:
        pass


def beside(work: Callable[[], object], *, later: bool = False, cheap: bool = False):
    """Start ``work`` on the other core; ``.result()`` waits for its value.
    In place where forking is not safe (see :func:`start`), or when the work
    is ``cheap``: forking would cost more than it saves."""
    if cheap or not can_fork():
        return _Done(work)
    # ``later``: a value needed later than the others (the checks, waited
    # for after the data): it gives them the core when both want it.
    return _Call(work, nice=NICE_LATER_VALUE if later else NICE_VALUE)


def _lower_priority(step: int) -> None:
    """Work beside the build must not slow the build itself: when both want
    the same core, the build (the pages) goes first."""
    gc.enable()  # the plugin pauses collection in the build's own process
    try:
        os.nice(step)
    except OSError:
        pass


def _returning(send, work, nice: int) -> None:
    _lower_priority(nice)
    try:
        value = (True, work())
    except Exception as exc:  # noqa: BLE001 - raised again in the parent
        value = (False, _failure(exc))
    send.send(value)
    send.close()


def can_fork() -> bool:
    """Forking is safe here: one thread (a fork copies the locks other
    threads hold, never released in the child) and an OS that forks."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def fork_pool(workers: int):
    """A pool of forked processes (they inherit what is imported); only where
    :func:`can_fork`."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


class Stream:
    """``work(done)`` in a forked child, which calls ``done(i)`` as it
    finishes item ``i`` of a list; :meth:`catch_up` reads how far it is,
    without waiting. For files MkDocs reads one after the other: made beside
    the build, in the order they are read; the build makes an item itself
    rather than wait for it (saturday/site.py ensure_page)."""

    def __init__(self, name: str, work: Callable[[Callable[[int], None]], None]):
        self.name = name
        self.done = -1
        self.closed = False
        self._process, self._receive = _fork(_streaming, f"ntm-{name}", work, NICE_STREAM)

    def start(self) -> None:
        """Started already (see :func:`launch`)."""

    def _read(self) -> None:
        try:
            kind, value = self._receive.recv()
        except EOFError:
            kind, value = "error", f"{self.name}: tiến trình dừng giữa chừng."
        if kind == "done":
            self.done = value
        elif kind == "end":
            self.closed = True
        else:
            self.closed = True
            self._process.join()
            raise BackgroundError(value)

    def catch_up(self) -> None:
        """Take in what the child has reported so far, without waiting."""
        while not self.closed and self._receive.poll():
            self._read()

    def cancel(self) -> None:
        _stop(self._process, self._receive)

    def wait(self) -> None:
        """Wait for the end of the work (so that :func:`wait_all` covers it)."""
        while not self.closed:
            self._read()
        self._process.join()
        self._receive.close()


def stream(name: str, work: Callable[[Callable[[int], None]], None]) -> Stream | None:
    """Start ``work`` beside the build (see :class:`Stream`); None where
    forking is not safe: then the caller does the work itself, now."""
    if not can_fork():
        return None
    job = Stream(name, work)
    _PENDING.append(job)
    return job


def _streaming(send, work, nice: int) -> None:
    _lower_priority(nice)
    last = [-1]

    def done(index: int) -> None:
        last[0] = index
        send.send(("done", index))

    try:
        work(done)
        send.send(("end", last[0]))
    except Exception as exc:  # noqa: BLE001 - raised again in the parent
        send.send(("error", _failure(exc)))
    finally:
        send.close()


def _child(send, work: Callable[[], None], nice: int) -> None:
    _lower_priority(nice)
    try:
        work()
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops the build
        send.send(_failure(exc))
    else:
        send.send(None)
    finally:
        send.close()
        sys.stdout.flush()
        sys.stderr.flush()


def start(name: str, work: Callable[[], None]) -> None:
    """Queue ``work`` to run beside the build from :func:`launch` on; or run
    it now where forking is not safe: in a process with other threads
    (``mkdocs serve``'s web server) or without fork."""
    if not can_fork():
        work()
        return
    _PENDING.append(Job(name, work))


def launch() -> None:
    """Start the queued work (the plugin, at the end of ``on_files``)."""
    for job in _PENDING:
        job.start()


def cancel_all() -> None:
    """Stop the work started beside a build that has failed: its files and
    values are of no use any more, and ``mkdocs build`` would otherwise wait
    for it before exiting."""
    jobs = list(_PENDING)
    _PENDING.clear()
    for job in jobs:
        job.cancel()


def wait_all() -> None:
    """Wait for every job started since the last call; raise the first failure."""
    jobs = list(_PENDING)
    _PENDING.clear()
    failure = None
    for job in jobs:
        try:
            job.wait()
        except BackgroundError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
