"""`ocrfix review OUT --serve`: the report on 127.0.0.1 only, the reviewer's decisions written into OUT."""

from __future__ import annotations

import json
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..outputs import atomic_write

MAX_BODY = 50 * 1024 * 1024


class _Handler(SimpleHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the http.server naming)
        if self.path.rstrip("/") != "/decisions":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length)
        try:
            json.loads(body)["decisions"]
        except (ValueError, KeyError, TypeError):
            self.send_error(400, "not a decisions file")
            return
        atomic_write(Path(self.directory) / "decisions.json", body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows only the address
        pass


def serve(out: Path, port: int = 0) -> ThreadingHTTPServer:
    """A server for OUT on 127.0.0.1 (port 0: any free one); call serve_forever() on it."""
    return ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, directory=str(out)))
