"""``pith serve``: the app under gunicorn (production) or Flask's reloader (``--dev``)."""

from __future__ import annotations

import errno
import logging
import os
import socket
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from server.service.config import Config

log = logging.getLogger("pith.serve")
# Threads only wait (on the network, on a slow client, on a digest process), so they are many: a few
# stalled clients hold a thread each for at most HEADER_TIMEOUT/IDLE_TIMEOUT without locking others out.
THREADS_PER_WORKER = 32
GRACEFUL_TIMEOUT = 20


def cpu_count() -> int:
    """CPUs this process may use (the default number of workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class PithServer(BaseApplication):
    """gunicorn, configured in code rather than from its command line."""

    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__(usage="pith serve", prog="pith serve")

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def init(self, parser: Any, opts: Any, args: Any) -> None:  # pragma: no cover - gunicorn's CLI hook
        return None

    def load(self) -> Any:
        return self.application


def gunicorn_options(config: Config, host: str, port: int, workers: int) -> dict[str, Any]:
    """gunicorn's settings for ``pith serve``."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "server.web.worker.PithWorker",  # gthread with read deadlines and JSON errors
        "threads": THREADS_PER_WORKER,
        # A request may fetch (PITH_FETCH_TIMEOUT) and then digest a 10 MB page.
        "timeout": max(30, int(config.fetch_timeout * 2) + 15),
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": config.log_level.lower(),
        "proc_name": "pith",
        "control_socket_disable": True,  # gunicorn ≥ 24: no shared socket in $HOME
        "preload_app": True,
        "post_worker_init": _post_worker_init,
        "limit_request_line": 8190,
        "forwarded_allow_ips": "*" if config.trust_proxy else "127.0.0.1",
    }


def port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on (a plain sentence), or None when it is free."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"the address {host} is not known ({exc.strerror})."
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} is already in use (another Pith or another program); "
                        "choose another with --port or PITH_PORT.")
            return f"{exc.strerror or exc}."
    return None


def warm_up() -> None:
    """Digest a tiny text and page once, so models load before the workers fork (shared memory, fast first request)."""
    from server.service.warm import warm_up as warm

    warm()


def _post_worker_init(worker: Any) -> None:
    """Each server worker starts its digest processes at once, not on its first request."""
    from server.service.budget import prestart

    prestart()


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO), stream=sys.stderr,
                        format="%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s")


def run(config: Config, *, host: str | None = None, port: int | None = None,
        workers: int | None = None, dev: bool = False) -> int:
    """Serve the API and the page until SIGTERM/SIGINT; returns the exit status."""
    from server.web.app import create_app

    host = host or config.host
    port = config.port if port is None else port
    _setup_logging(config.log_level)
    if workers is not None and workers < 1:
        print("pith serve: --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        app = create_app(config)
    except ValueError as exc:
        print(f"pith serve: {exc}", file=sys.stderr)
        return 2
    if dev:
        print(f"Pith (development server with reloader) on http://{host}:{port}/", file=sys.stderr)
        app.run(host=host, port=port, debug=False, use_reloader=True, threaded=True)
        return 0
    if (problem := port_problem(host, port)) is not None:
        print(f"pith serve: cannot listen on {host}:{port}: {problem}", file=sys.stderr)
        return 1
    n = workers or cpu_count()
    warm_up()
    print(f"Pith on http://{host}:{port}/ ({n} workers)", file=sys.stderr, flush=True)
    try:
        PithServer(app, gunicorn_options(config, host, port, n)).run()
    except SystemExit as exc:  # gunicorn's arbiter exits when it stops
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
