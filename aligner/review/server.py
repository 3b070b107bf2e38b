"""The local web server behind `aligner review`: Starlette routes, uvicorn to run them.

Security, since anything on the machine can reach a local port:
- it binds 127.0.0.1 only;
- every path starts with a random token (`/TOKEN/...`), checked in constant time on
  every request, static files included, so other users and other web pages cannot
  drive it (a page on another site cannot learn the token);
- the Host header must name 127.0.0.1 or localhost, so a rebound DNS name cannot
  reach it either;
- request bodies are capped (413 beyond `MAX_REQUEST_BYTES`);
- nothing the browser sends names a file: the server only ever writes the project
  file it was started with, and serves its own static files by fixed name.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import threading
from collections.abc import Awaitable, Callable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from aligner.review.exports import Download, download, glossary_download, triage_download
from aligner.review.project import ReviewError
from aligner.review.session import ReviewSession, StaleEdit
from aligner.review.stages import output_formats

if TYPE_CHECKING:
    import uvicorn

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_REQUEST_BYTES = 256 * 1024
"""The largest request body accepted: an edit is a few hundred bytes, a sentence at most
20,000 characters."""
ALLOWED_HOSTS = ("127.0.0.1", "localhost")
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'",
}


def _static_files() -> dict[str, tuple[bytes, str]]:
    """The page's files by name, read once from the package (no path from a request)."""
    folder = resources.files("aligner.review") / "static"
    files = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if suffix in STATIC_TYPES:
            files[entry.name] = (entry.read_bytes(), STATIC_TYPES[suffix])
    return files


class Guard:
    """ASGI middleware: the token, the Host header and the request size, on every request."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.prefix = f"/{token}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        path: str = scope["path"]
        given, _, rest = path[1:].partition("/")
        if not secrets.compare_digest(f"/{given}".encode(), self.prefix.encode()):
            await _refuse(403, "this address needs the review token", scope, receive, send)
            return
        host = headers.get("host", b"").decode("latin-1").rsplit(":", 1)[0].strip("[]")
        if host not in ALLOWED_HOSTS:
            await _refuse(403, f"host {host!r} is not served", scope, receive, send)
            return
        length = headers.get("content-length", b"0")
        if not length.isdigit() or int(length) > MAX_REQUEST_BYTES:
            await _refuse(413, "the request is too large", scope, receive, send)
            return
        if path == self.prefix:  # the page's relative links need the trailing slash
            redirect = RedirectResponse(self.prefix + "/", headers=SECURITY_HEADERS)
            await redirect(scope, receive, send)
            return
        inner = dict(scope, path="/" + rest, raw_path=("/" + rest).encode())
        await self.app(inner, _capped(receive), send)


def _capped(receive: Receive) -> Receive:
    """`receive` that stops a body (chunked, without a length) growing past the cap."""
    received = 0

    async def capped() -> Any:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > MAX_REQUEST_BYTES:
            raise HTTPException(413, "the request is too large")
        return message

    return capped


async def _refuse(status: int, message: str, scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)
    await response(scope, receive, send)


async def _json_body(request: Request) -> Mapping[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, "send the edit as application/json")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_REQUEST_BYTES:
            raise HTTPException(413, "the request is too large")
    try:
        payload = json.loads(body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HTTPException(400, "the request is not valid JSON") from None
    if not isinstance(payload, dict):
        raise HTTPException(400, "the request must be a JSON object")
    return payload


def _as_attachment(file: Download) -> Response:
    disposition = f'attachment; filename="{file.filename}"'
    return Response(
        file.content,
        media_type=file.media_type,
        headers={**SECURITY_HEADERS, "Content-Disposition": disposition},
    )


def create_app(session: ReviewSession, token: str) -> ASGIApp:
    """The review application for one session, guarded by `token`."""
    static = _static_files()

    async def page(request: Request) -> Response:
        return Response(static["index.html"][0], media_type=STATIC_TYPES[".html"],
                        headers=SECURITY_HEADERS)

    async def static_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            raise HTTPException(404, "no such file")
        content, media_type = static[name]
        return Response(content, media_type=media_type, headers=SECURITY_HEADERS)

    def posting(
        action: Callable[[Mapping[str, Any]], dict[str, Any]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return JSONResponse(action(await _json_body(request)), headers=SECURITY_HEADERS)

        return endpoint

    async def document(request: Request) -> Response:
        return JSONResponse(session.document(), headers=SECURITY_HEADERS,
                            background=BackgroundTask(session.warm_up))

    async def formats(request: Request) -> Response:
        """Asked for after the first view: naming them imports the writers."""
        return JSONResponse({"formats": list(output_formats())}, headers=SECURITY_HEADERS)

    async def save(request: Request) -> Response:
        await _json_body(request)
        return JSONResponse(session.save(), headers=SECURITY_HEADERS)

    async def export(request: Request) -> Response:
        query = request.query_params
        confirmed_only = query.get("confirmed_only", "") in ("1", "true")
        with session.lock:
            return _as_attachment(download(session.project, query.get("format", "tmx"),
                                           confirmed_only))

    async def triage(request: Request) -> Response:
        query = request.query_params
        try:
            min_score = float(query.get("min_score", "0.9"))
        except ValueError:
            raise HTTPException(400, "min_score must be a number") from None
        with session.lock:
            return _as_attachment(triage_download(session.project, query.get("format", "tmx"),
                                                  min_score))

    async def glossary(request: Request) -> Response:
        with session.lock:
            return _as_attachment(glossary_download(
                session.project, request.query_params.get("format", "csv"), session.embedder
            ))

    async def review_error(request: Request, error: Exception) -> Response:
        status = 409 if isinstance(error, StaleEdit) else 422
        return JSONResponse({"error": str(error)}, status_code=status, headers=SECURITY_HEADERS)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return JSONResponse({"error": error.detail}, status_code=error.status_code,
                            headers=SECURITY_HEADERS)

    routes = [
        Route("/", page),
        Route("/static/{name}", static_file),
        Route("/api/document", document),
        Route("/api/formats", formats),
        Route("/api/edit", posting(session.edit), methods=["POST"]),
        Route("/api/undo", posting(session.undo), methods=["POST"]),
        Route("/api/redo", posting(session.redo), methods=["POST"]),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/export", export),
        Route("/api/triage", triage),
        Route("/api/glossary", glossary),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={ReviewError: review_error, HTTPException: http_error},
    )
    return Guard(app, token)


class ReviewServer:
    """uvicorn serving one session on 127.0.0.1, on a port chosen by the system if 0."""

    def __init__(self, session: ReviewSession, port: int = 0, token: str | None = None) -> None:
        import uvicorn

        self.session = session
        self.token = token or secrets.token_urlsafe(24)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((HOST, port))
        except OSError as error:
            self.socket.close()
            raise ReviewError(f"cannot listen on {HOST}:{port}: {error.strerror}") from None
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(
            create_app(session, self.token), log_level="warning", lifespan="off"
        )
        self.server: uvicorn.Server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{self.token}/"

    def run(self) -> None:
        """Serve until interrupted (Ctrl+C); uvicorn handles the signal."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.session.closed.set()

    def start(self) -> None:
        """Serve from a background thread (tests, benchmarks); returns once listening."""
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                        daemon=True)
        self._thread.start()
        while not self.server.started:
            if not self._thread.is_alive():
                raise ReviewError("the review server did not start")
            threading.Event().wait(0.01)

    def stop(self) -> None:
        self.session.closed.set()
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.socket.close()
