"""A hard time budget for digests: each runs in a child process that is killed when it runs over."""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import threading
import traceback
from multiprocessing import connection, forkserver, popen_forkserver, reduction, resource_tracker, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, ForkServerProcess, set_spawning_popen
from typing import Any

from server.core.digest import Digest
from server.core.errors import PithError

log = logging.getLogger("pith.budget")

# Digests running at once per serving process; the API's threads per worker and the bot's
# executor are no larger, so a request never waits for a free slot in practice.
POOL_SIZE = 4
# Seconds a client is asked to wait after digest_timeout (Retry-After): the text will not get faster,
# but a busy server may be less busy then.
RETRY_AFTER = 30
# A child whose parent is gone (or a kill that got lost) ends itself this long after its budget.
_SELF_KILL_GRACE = 5.0

_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")


class _ForkedServer(forkserver.ForkServer):
    """multiprocessing's fork server, forked from this process instead of started as a new interpreter.

    A new interpreter would load the models again (about 150 MB for every serving process); a fork shares this
    process's memory, models included, and every digest child forked from it shares them too. ``pith serve``
    starts it in each worker before the worker has threads (``prestart``); CPython re-initialises the import
    and logging locks in a forked child, so a later start from a threaded process is safe as well.
    """

    def ensure_running(self) -> None:
        with self._lock:
            resource_tracker.ensure_running()
            if self._forkserver_pid is not None:
                try:
                    pid, _status = os.waitpid(self._forkserver_pid, os.WNOHANG)
                except ChildProcessError:  # started by a parent process: not ours
                    pid = -1
                if not pid:
                    return
                os.close(self._forkserver_alive_fd)
                self._forkserver_address = self._forkserver_alive_fd = self._forkserver_pid = None
            with socket.socket(socket.AF_UNIX) as listener:
                address = connection.arbitrary_address("AF_UNIX")
                listener.bind(address)
                os.chmod(address, 0o600)
                listener.listen()
                alive_r, alive_w = os.pipe()
                pid = os.fork()
                if pid == 0:  # the fork server: serves fork requests until this process closes alive_w
                    code = 1
                    try:
                        os.close(alive_w)
                        import server.service.warm  # noqa: F401 - models loaded once here (a no-op when warm)

                        forkserver.main(listener.fileno(), alive_r, [])
                        code = 0
                    finally:
                        os._exit(code)
                os.close(alive_r)
            self._forkserver_address, self._forkserver_alive_fd, self._forkserver_pid = address, alive_w, pid


_SERVER = _ForkedServer()


class _Popen(popen_forkserver.Popen):
    """Start through our fork server, without re-running the caller's ``__main__`` in the child.

    CPython's version re-imports the main script in every child, which breaks scripts without a
    ``__main__`` guard and gunicorn/pytest entry points; the child needs only the fork server's modules.
    The body is CPython 3.11's ``_launch`` with those two keys left out of the preparation data.
    """

    def _launch(self, process_obj: Any) -> None:
        prep_data = {k: v for k, v in spawn.get_preparation_data(process_obj._name).items() if k not in _MAIN_KEYS}
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = _SERVER.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:
        return _Popen(process_obj)


class _Context(ForkServerContext):
    Process = _Process  # type: ignore[assignment]


_context = _Context()


def _child(conn: Connection) -> None:
    """A digest worker: takes (page, options, budget) jobs until its parent closes the pipe."""
    from server.core.pipeline import build_digest

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the self-kill below terminates the process
    while True:
        try:
            page, options, budget = conn.recv()
        except (EOFError, OSError):
            return
        signal.setitimer(signal.ITIMER_REAL, budget + _SELF_KILL_GRACE)
        try:
            reply: tuple[Any, ...] = ("ok", build_digest(page, **options).to_dict())
        except PithError as exc:
            reply = ("error", exc.code, exc.message)
        except Exception:
            reply = ("crash", traceback.format_exc())
        signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class _Worker:
    """One child process and the parent's end of its pipe."""

    def __init__(self) -> None:
        self.conn, child_conn = _context.Pipe()
        self.process = _context.Process(target=_child, args=(child_conn,), name="pith-digest", daemon=True)
        self.process.start()
        child_conn.close()

    def kill(self) -> None:
        """Stop the child at once (SIGKILL) and reap it; its CPU is free when this returns."""
        try:
            self.process.kill()
            self.process.join(timeout=2)
        except (OSError, ValueError, AssertionError) as exc:
            log.debug("killing digest worker: %s", exc)
        self.conn.close()


class DigestPool:
    """Up to ``size`` digest children, reused while they behave, replaced when killed."""

    def __init__(self, size: int = POOL_SIZE) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
                worker.kill()
        return _Worker()

    def _give(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)

    def run(self, page: str, timeout: float, **options: Any) -> Digest:
        """``build_digest(page, **options)`` in a child; ``digest_timeout`` when it takes over ``timeout`` s."""
        with self._slots:
            worker = self._take()
            try:
                worker.conn.send((page, options, timeout))
                ready = worker.conn.poll(timeout)
                reply = worker.conn.recv() if ready else None
            except (EOFError, OSError) as exc:
                worker.kill()
                log.error("a digest worker died (%s, exit code %s)", exc.__class__.__name__, worker.process.exitcode)
                raise PithError("internal", "The digest stopped unexpectedly; please try again.") from None
            if reply is None:
                worker.kill()
                log.warning("digest stopped after its budget of %g s (PITH_DIGEST_TIMEOUT)", timeout)
                raise PithError("digest_timeout", f"This page took longer than {timeout:g} s to digest and was "
                                                  "stopped; try a shorter page or again later.")
            self._give(worker)
        if reply[0] == "ok":
            return Digest.from_dict(reply[1])
        if reply[0] == "error":
            raise PithError(reply[1], reply[2])
        raise RuntimeError("the digest failed in its worker:\n" + reply[1])

    def prestart(self) -> None:
        """Start one child now (and with it this process's fork server)."""
        with self._slots:
            self._give(_Worker())

    def close(self) -> None:
        """End the idle children (busy ones end when their job is done and the pipe is closed)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


_pools: dict[int, DigestPool] = {}
_pools_lock = threading.Lock()


def pool() -> DigestPool:
    """This process's pool (a forked server worker gets its own, never its parent's)."""
    pid = os.getpid()
    with _pools_lock:
        if pid not in _pools:
            _pools.clear()
            _pools[pid] = DigestPool()
        return _pools[pid]


def digest_within(page: str, timeout: float | None, **options: Any) -> Digest:
    """``build_digest`` under a budget of ``timeout`` seconds (None or ≤ 0: in this process, unbounded)."""
    if timeout is None or timeout <= 0:
        from server.core.pipeline import build_digest

        return build_digest(page, **options)
    return pool().run(page, timeout, **options)


def prestart() -> None:
    """Start this process's fork server and one digest child now (call it before the process has threads)."""
    try:
        pool().prestart()
    except Exception as exc:  # the first digest will try again
        log.warning("could not start a digest process: %s", exc)
