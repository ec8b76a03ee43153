"""`ocrfix review OUT --serve`: the report to the reviewer alone, the decisions saved into OUT as they are made.

Only the reviewer's browser may reach it: it listens on 127.0.0.1; a request must name this server in
`Host` (a DNS-rebinding page names its own) and, when it says where it comes from, come from this
server's own page (`Origin`); a POST carries the token the served page holds for this session, which no
other page can read. It serves report.html, its snippets and decisions.json, nothing else (no listing,
no run.json with its paths), and checks a body's size and shape before writing anything.
"""

from __future__ import annotations

import hmac
import json
import secrets
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..outputs import atomic_write
from .decisions import DecisionError, parse
from .report import DECISIONS_FILE, TOKEN_HEADER, TOKEN_SLOT

MAX_BODY = 20 * 1024 * 1024
"""A decisions file is a few hundred bytes a group: 20 MB is far beyond a volume's."""
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
}


class ReviewServer(ThreadingHTTPServer):
    """One review session: the folder, its run's id and the session's token."""

    daemon_threads = True

    def __init__(self, out: Path, run: str, port: int) -> None:
        self.out = out.resolve()
        self.run = run
        self.token = secrets.token_urlsafe(24)
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def origins(self) -> tuple[str, ...]:
        return (f"127.0.0.1:{self.port}", f"localhost:{self.port}")


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    timeout = 30  # a client that stops sending mid-request does not hold a thread for ever

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        if not self._from_reviewer():
            return
        path = unquote(urlsplit(self.path).path)
        if path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/report.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/report.html" and (self.server.out / "report.html").is_file():
            html = (self.server.out / "report.html").read_text(encoding="utf-8")
            page = html.replace(TOKEN_SLOT, f'<meta name="ocrfix-token" content="{self.server.token}">', 1)
            self._send(HTTPStatus.OK, page.encode(), "text/html; charset=utf-8")
        elif path == f"/{DECISIONS_FILE}":
            if self._has_token():
                saved = self.server.out / DECISIONS_FILE
                body = saved.read_bytes() if saved.is_file() else b'{"decisions": []}'
                self._send(HTTPStatus.OK, body, "application/json")
        elif (snippet := self._snippet(path)) is not None:
            self._send(HTTPStatus.OK, snippet.read_bytes(), "image/png")
        else:
            self._refuse(HTTPStatus.NOT_FOUND, "not found")

    def do_POST(self) -> None:  # noqa: N802
        if not self._from_reviewer() or not self._has_token():
            return
        if urlsplit(self.path).path != "/decisions":
            self._refuse(HTTPStatus.NOT_FOUND, "not found")
            return
        if self.headers.get_content_type() != "application/json":
            self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
            return
        length = self.headers.get("Content-Length", "")
        if not (length.isascii() and length.isdigit()):
            self._refuse(HTTPStatus.BAD_REQUEST, "Content-Length is not a number of bytes")
            return
        if int(length) > MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"more than {MAX_BODY} bytes")
            return
        body = self.rfile.read(int(length))
        try:
            run, _ = parse(json.loads(body))
        except (ValueError, DecisionError) as err:  # ValueError: not JSON, or not UTF-8
            self._refuse(HTTPStatus.BAD_REQUEST, f"not a decisions file: {err}")
            return
        if run != self.server.run:
            self._refuse(HTTPStatus.CONFLICT, f"made for another run ({run}; this one is {self.server.run})")
            return
        atomic_write(self.server.out / DECISIONS_FILE, body)
        self.send_response(HTTPStatus.NO_CONTENT)
        self.end_headers()

    def _from_reviewer(self) -> bool:
        """Whether the request names this server (Host) and, when it says, comes from its page (Origin)."""
        origin = self.headers.get("Origin")
        if self.headers.get("Host") not in self.server.origins:
            self._refuse(HTTPStatus.FORBIDDEN, "wrong Host: open the address ocrfix printed")
        elif origin is not None and origin not in [f"http://{o}" for o in self.server.origins]:
            self._refuse(HTTPStatus.FORBIDDEN, "another site's page may not use the review server")
        else:
            return True
        return False

    def _has_token(self) -> bool:
        if hmac.compare_digest(self.headers.get(TOKEN_HEADER, ""), self.server.token):
            return True
        self._refuse(HTTPStatus.FORBIDDEN, "no session token: reload the report from the address ocrfix printed")
        return False

    def _snippet(self, path: str) -> Path | None:
        """The snippet a path names, when it is one: a PNG directly in OUT/report, no link out of it."""
        folder = self.server.out / "report"
        if not path.startswith("/report/") or not path.endswith(".png") or "/" in path[8:] or "\\" in path:
            return None
        try:
            file = (folder / path[8:]).resolve()
            return file if file.parent == folder.resolve() and file.is_file() else None
        except (OSError, ValueError):  # ValueError: a NUL in the name
            return None

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        for name, value in {**_HEADERS, "Content-Type": content_type, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, status: HTTPStatus, reason: str) -> None:
        self._send(status, reason.encode() + b"\n", "text/plain; charset=utf-8")
        self.close_connection = True  # a body left unread must not be taken for the next request

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows only the address
        pass


def serve(out: Path, run: str, port: int = 0) -> ReviewServer:
    """A server for OUT on 127.0.0.1 (port 0: any free one), bound; call serve_forever() on it.
    OSError when the port is taken."""
    return ReviewServer(out, run, port)
