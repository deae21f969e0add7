"""Extraction of many articles, in input order: in this process for small runs, in a pool
of worker processes once there is enough work to pay for starting one.

The reading process hands articles to :class:`Extractor` one at a time and gets a
:class:`Ticket` back; :meth:`Extractor.result` gives a ticket's claims (or raises what the
extraction raised). Articles go to the workers in small chunks (fewer round trips); the
caller bounds how many tickets it holds, so memory stays flat whatever the corpus size.

Start method: ``forkserver``, with the extraction modules preloaded in the server. A plain
``fork`` would be quicker to start, but the reading process holds an open SQLite
connection (SQLite must not be used across a fork: a child that touched it, or just
finalised it, could corrupt the store's locks), may hold an HTTP client's sockets and
helper threads (fork copies a lock held by another thread as locked forever). ``spawn``
is as safe but every worker would import and compile the extraction rules itself; the
fork server does that once and forks clean workers from it, which share those pages.
"""

from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager
from typing import Any, Callable, Optional

from claimaudit.errors import ClaimAuditError
from claimaudit.models import Article

__all__ = ["ExtractionFailed", "Extractor", "Ticket", "WorkerCrash", "usable_cores"]

PRELOAD = ["claimaudit.workers", "claimaudit.extract.pipeline"]


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask, as a container or
    ``taskset`` sets it), else the machine's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class WorkerCrash(ClaimAuditError):
    """A worker process died (killed, out of memory): the pool cannot go on."""


def _init_worker(reader: int) -> None:
    # Ctrl-C at a terminal reaches the whole process group: the reading process alone
    # handles it (it rolls back the open batch and stops the pool); a worker that took
    # it too would die mid-chunk and turn an interrupt into a "worker crashed" error.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(reader)


def _exit_with(pid: int) -> None:
    """End this worker when process ``pid`` (the reading process) ends. A reading process
    that is killed (kill -9, a cron job's timeout, the OOM killer) never tells its workers
    to stop: they would wait on their queue forever, and keep the fork server alive too.
    Their parent is the fork server, so the parent pid cannot tell; a pidfd can, without
    polling (Linux 5.3+); elsewhere, the pid is polled once a second."""
    import threading
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        fd = None

    def wait() -> None:
        if fd is not None:
            import select
            select.select([fd], [], [])
        else:
            while _alive(pid):
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=wait, name="exit-with-reader", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:     # alive, under another user
        pass
    return True


def extract_chunk(articles: list[Article], debug: bool = False) -> tuple[list, float]:
    """In a worker: ``(results, cpu seconds)``, one result per article, in order:
    ``("ok", claims)``, ``("error", (type name, message))`` for a bug met on that
    article, or ``("fatal", message)`` for a ClaimAuditError (which stops the run, as
    in-process). With ``debug`` a bug is raised, traceback and all."""
    from claimaudit.extract.pipeline import extract_claims
    t = time.process_time()
    out: list[tuple[str, Any]] = []
    for art in articles:
        try:
            out.append(("ok", extract_claims(art, narration=True)))
        except ClaimAuditError as e:
            out.append(("fatal", str(e)))
        except Exception as e:  # noqa: BLE001 - one article's bug is that article's error
            if debug:
                raise
            out.append(("error", (type(e).__name__, str(e))))
    return out, time.process_time() - t


class ExtractionFailed(Exception):
    """A bug met extracting one article in a worker (the article's error; the run goes
    on). ``args``: the exception's type name and message, as the worker saw them."""


class _Chunk:
    __slots__ = ("articles", "future", "results")

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.future = None
        self.results: Optional[list] = None


class Ticket:
    """One article's extraction: done at once in-process, or a place in a chunk."""
    __slots__ = ("chunk", "index", "claims", "error")

    def __init__(self, chunk: Optional[_Chunk] = None, index: int = 0, claims=None,
                 error: Optional[BaseException] = None):
        self.chunk, self.index, self.claims, self.error = chunk, index, claims, error

    def done(self) -> bool:
        if self.chunk is None:
            return True
        f = self.chunk.future
        return f is not None and f.done()


class Extractor:
    """``workers`` processes (1: always in this process). The pool starts only once
    ``start_after`` articles have been submitted: a run of a few articles never pays for
    it. ``before_start`` is called just before the pool is started (which waits for the
    fork server to import the extraction rules): the caller can commit what it has.
    Use as a context manager (the pool is stopped on exit)."""

    def __init__(self, workers: int = 1, *, start_after: int = 32, chunk_size: int = 8,
                 chunk_chars: int = 200_000, debug: bool = False,
                 before_start: Optional[Callable[[], None]] = None):
        self.workers = max(1, int(workers))
        self.start_after = start_after
        self.chunk_size = chunk_size
        self.chunk_chars = chunk_chars
        self.debug = debug
        self.submitted = 0
        # extraction time: wall-clock here, CPU time in the workers (summed over them)
        self.seconds = 0.0
        self._pool = None
        self._open: Optional[_Chunk] = None
        self._open_chars = 0
        self._extract = None
        self._before_start = before_start

    # --- the caller's side -----------------------------------------------------------

    def submit(self, article: Article) -> Ticket:
        self.submitted += 1
        if self._pool is None and (self.workers == 1 or self.submitted <= self.start_after):
            return self._here(article)
        if self._pool is None:
            self._start()
        if self._open is None:
            self._open, self._open_chars = _Chunk(), 0
        chunk = self._open
        chunk.articles.append(article)
        self._open_chars += len(article.text)
        ticket = Ticket(chunk, len(chunk.articles) - 1)
        if len(chunk.articles) >= self.chunk_size or self._open_chars >= self.chunk_chars:
            self._send()
        return ticket

    def result(self, ticket: Ticket):
        """The ticket's claims, waiting for them if need be; raises what the extraction
        raised (:class:`ExtractionFailed` for a worker's), :class:`WorkerCrash` when the
        pool broke."""
        if ticket.chunk is None:
            if ticket.error is not None:
                raise ticket.error
            return ticket.claims
        chunk = ticket.chunk
        if chunk.results is None:
            if chunk.future is None:
                self._send()
            chunk.results = self._wait(chunk)
            chunk.articles = []         # the articles are the caller's; drop our copies
        kind, value = chunk.results[ticket.index]
        if kind == "ok":
            return value
        if kind == "fatal":
            raise ClaimAuditError(value)
        raise ExtractionFailed(*value)

    def close(self, *, cancel: bool = False) -> None:
        """Stop the pool. ``cancel``: drop the chunks not started. Either way the chunks
        running are waited for (a few articles each): no worker is left behind, or
        starting while this process exits."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, exc_type, *rest) -> None:
        self.close(cancel=exc_type is not None)

    @property
    def pooled(self) -> bool:
        return self._pool is not None

    # --- inside -----------------------------------------------------------------------

    def _here(self, article: Article) -> Ticket:
        if self._extract is None:
            from claimaudit.extract.pipeline import extract_claims
            self._extract = extract_claims
        t = time.perf_counter()
        try:
            return Ticket(claims=self._extract(article, narration=True))
        except ClaimAuditError:
            raise
        except Exception as e:  # noqa: BLE001 - the caller decides (debug or not)
            return Ticket(error=e)
        finally:
            self.seconds += time.perf_counter() - t

    def _start(self) -> None:
        import multiprocessing
        if self._before_start is not None:
            self._before_start()
        from concurrent.futures import ProcessPoolExecutor
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        # The fork server is started with SIGINT blocked (a signal mask is inherited, and
        # kept through exec), so a Ctrl-C while it imports cannot print its traceback; it
        # and its workers never see one. Here it is only held back, and delivered (as
        # KeyboardInterrupt) once unblocked: only this process reacts to Ctrl-C.
        # (The resource tracker is started first: starting it unblocks SIGINT again.)
        from multiprocessing import forkserver, resource_tracker
        resource_tracker.ensure_running()
        with _sigint_held():
            forkserver.ensure_running()
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                         initializer=_init_worker, initargs=(os.getpid(),))

    def _send(self) -> None:
        chunk, self._open = self._open, None
        if chunk is None or chunk.future is not None:
            return
        try:
            # a submit may start a worker: a Ctrl-C then would leave it half-started (and
            # printing its traceback as this process exits), so it waits until after
            with _sigint_held():
                chunk.future = self._pool.submit(extract_chunk, chunk.articles, self.debug)
        except RuntimeError as e:       # BrokenProcessPool is a RuntimeError too
            raise _crash(e) from e

    def _wait(self, chunk: _Chunk) -> list:
        from concurrent.futures.process import BrokenProcessPool
        try:
            results, cpu = chunk.future.result()
        except BrokenProcessPool as e:
            raise _crash(e) from e
        self.seconds += cpu
        return results


@contextmanager
def _sigint_held():
    """SIGINT blocked in this thread, then delivered (as KeyboardInterrupt) on exit."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _crash(e: BaseException) -> WorkerCrash:
    return WorkerCrash("an extraction worker process stopped unexpectedly (killed, or out "
                       f"of memory?: {' '.join(str(e).split()) or type(e).__name__}); what "
                       "was stored so far is kept: run the same command again to go on, "
                       "or use --workers 1")
