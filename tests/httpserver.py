"""A small threaded HTTP server on 127.0.0.1 (port 0) for tests: no mocks of the
fetch path, never an outside address.

    with LocalServer() as server:
        server.route("/a", body=b"<p>hi</p>")
        server.route("/slow", body=b"late", delay=2)
        server.route("/r", redirect="/a")
        server.route("/busy", sequence=[Reply(429, headers={"Retry-After": "0"}), Reply(200, body=b"ok")])
        server.route("/dyn", handler=lambda req: Reply(304) if req.headers.get("If-None-Match") == '"v1"' else Reply(200, body=b"x"))
        fetcher.get(server.url("/a")); server.count("/a") == 1

or use the ``http_server`` fixture (``from tests.httpserver import http_server``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional, Union
from urllib.parse import urlsplit

import pytest

__all__ = ["LocalServer", "Reply", "Request", "http_server"]


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict = field(default_factory=dict)
    content_type: Optional[str] = "text/html; charset=utf-8"
    delay: float = 0.0            # seconds before the status line is sent
    redirect: Optional[str] = None   # Location (status 302 unless status is a 3xx)
    chunked: bool = False         # send the body chunked, without Content-Length
    chunk_size: int = 512
    chunk_delay: float = 0.0      # seconds between chunks (a trickling server)
    content_length: Optional[int] = None   # lie about the length (None: the real one)


@dataclass
class Request:
    method: str
    path: str                     # with the query string
    headers: dict                 # as sent (case-insensitive lookups via .get on lower keys too)


Route = Union[Reply, list, Callable[[Request], Reply]]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args: object) -> None:   # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool = False) -> None:
        owner = self.server.owner
        headers = {k: v for k, v in self.headers.items()}
        headers.update({k.lower(): v for k, v in self.headers.items()})
        request = Request(self.command, self.path, headers)
        reply = owner._reply_for(request)
        if reply.delay and owner._stopping.wait(reply.delay):
            return
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        status = reply.status
        if reply.redirect is not None and not 300 <= status < 400:
            status = 302
        try:
            self.send_response(status)
            if reply.content_type and status != 304:
                self.send_header("Content-Type", reply.content_type)
            if reply.redirect is not None:
                self.send_header("Location", reply.redirect)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            if status == 304 or status < 200:
                self.end_headers()
                return
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                if head:
                    return
                for i in range(0, len(body), reply.chunk_size):
                    if reply.chunk_delay and owner._stopping.wait(reply.chunk_delay):
                        return
                    piece = body[i:i + reply.chunk_size]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            else:
                length = reply.content_length if reply.content_length is not None else len(body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True   # the client gave up (size cap, timeout): fine


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "LocalServer"

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return                    # a client that hung up (size cap, timeout): expected
        super().handle_error(request, client_address)


class LocalServer:
    """Routes: path (without query) -> Reply | [Reply, ...] (served in turn, the last
    one repeated) | handler(Request) -> Reply.  Unknown paths get a 404."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._counts: dict[str, int] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # -- set-up --
    def route(self, path: str, body: bytes | str = b"", *, status: int = 200,
              headers: Optional[dict] = None, content_type: Optional[str] = "text/html; charset=utf-8",
              delay: float = 0.0, redirect: Optional[str] = None, chunked: bool = False,
              chunk_size: int = 512, chunk_delay: float = 0.0,
              content_length: Optional[int] = None,
              sequence: Optional[list] = None,
              handler: Optional[Callable[[Request], Reply]] = None) -> None:
        if handler is not None:
            self._routes[path] = handler
        elif sequence is not None:
            self._routes[path] = list(sequence)
        else:
            self._routes[path] = Reply(status=status, body=body, headers=dict(headers or {}),
                                       content_type=content_type, delay=delay, redirect=redirect,
                                       chunked=chunked, chunk_size=chunk_size,
                                       chunk_delay=chunk_delay, content_length=content_length)

    def _reply_for(self, request: Request) -> Reply:
        path = urlsplit(request.path).path
        with self._lock:
            self.requests.append(request)
            n = self._counts.get(path, 0)
            self._counts[path] = n + 1
            route = self._routes.get(path)
        if route is None:
            return Reply(404, body=b"<h1>not found</h1>")
        if callable(route) and not isinstance(route, Reply):
            return route(request)
        if isinstance(route, list):
            return route[min(n, len(route) - 1)]
        return route

    # -- inspection --
    @property
    def base(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self._lock:
            return self._counts.get(path, 0)

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    # -- lifecycle --
    def start(self) -> "LocalServer":
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()          # wake up handlers sleeping in a delay
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def http_server():
    """A started :class:`LocalServer`, stopped after the test."""
    with LocalServer() as server:
        yield server
