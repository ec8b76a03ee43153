"""`ocrfix review --serve` against requests a browser's other pages, a rebinding DNS name or a careless
client could send: a real server on 127.0.0.1, spoken to with http.client."""

import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ocrfix.review.report import TOKEN_HEADER, TOKEN_SLOT
from ocrfix.review.serve import MAX_BODY, ReviewServer, serve

RUN = "0123456789ab"
DECISIONS = {
    "run": RUN,
    "decisions": [
        {
            "group": "g",
            "kind": "change",
            "raw": "tbe",
            "proposed": "the",
            "reason": "r",
            "action": "accept",
            "text": None,
            "items": [["p1", 0, 0]],
        }
    ],
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ReviewServer]:
    out = tmp_path / "out"
    (out / "report").mkdir(parents=True)
    (out / "report.html").write_text(f"<html><head>{TOKEN_SLOT}</head><body>report</body></html>")
    (out / "report" / "p1-0-0.png").write_bytes(b"\x89PNG snippet")
    (out / "run.json").write_text('{"pages": [{"source": "/home/someone/scans/p1.png"}]}')
    (tmp_path / "secret.png").write_bytes(b"outside OUT")
    (out / "report" / "link.png").symlink_to(tmp_path / "secret.png")
    running = serve(out, RUN)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def _request(
    server: ReviewServer, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, bytes]:
    """One request as sent on the wire: `headers` replace the defaults (Host), an empty value leaves one out."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    sent = {
        "Host": f"127.0.0.1:{server.port}",
        **({"Content-Length": str(len(body))} if body is not None else {}),
        **{k.replace("_", "-"): v for k, v in headers.items()},
    }
    for name, value in sent.items():
        if value:
            conn.putheader(name, value)
    conn.endheaders(body)
    response = conn.getresponse()
    result = response.status, response.read()
    conn.close()
    return result


def _post(server: ReviewServer, body: bytes, **headers: str) -> tuple[int, bytes]:
    base = {
        "Content_Type": "application/json",
        "Origin": f"http://127.0.0.1:{server.port}",
        TOKEN_HEADER.replace("-", "_"): server.token,
    }
    return _request(server, "POST", "/decisions", body, **{**base, **headers})


def test_the_page_carries_a_session_token_that_the_file_does_not(server: ReviewServer):
    status, page = _request(server, "GET", "/report.html")
    assert status == 200 and f'content="{server.token}"'.encode() in page
    assert server.token not in (server.out / "report.html").read_text()


def test_only_the_report_its_snippets_and_decisions_are_served(server: ReviewServer):
    assert _request(server, "GET", "/report/p1-0-0.png") == (200, b"\x89PNG snippet")
    status, _ = _request(server, "GET", "/")
    assert status == 302  # to the report, never a listing of OUT
    for path in (
        "/run.json",
        "/report/",
        "/report",
        "/report/../run.json",
        "/report/%2e%2e/run.json",
        "/report/..%2frun.json",
        "/%2e%2e/secret.png",
        "/report/link.png",
        "/report/p1-0-0.png/x.png",
        "/report/p1%00.png",
        "/pages/",
    ):
        status, body = _request(server, "GET", path)
        assert status == 404 and b"/home/someone" not in body, path


def test_a_request_that_names_another_host_or_comes_from_another_site_is_refused(server: ReviewServer):
    body = json.dumps(DECISIONS).encode()
    assert _request(server, "GET", "/report.html", Host="rebound.example.com")[0] == 403  # DNS rebinding
    assert _request(server, "GET", "/report.html", Host="")[0] == 403
    assert _post(server, body, Origin="https://evil.example")[0] == 403
    assert _post(server, body, Origin="null")[0] == 403
    assert _post(server, body, Host=f"evil.example:{server.port}")[0] == 403
    assert not (server.out / "decisions.json").exists()


def test_a_post_needs_the_session_token(server: ReviewServer):
    body = json.dumps(DECISIONS).encode()
    assert _post(server, body, X_Ocrfix_Token="")[0] == 403
    assert _post(server, body, X_Ocrfix_Token="guessed")[0] == 403
    assert _request(server, "GET", "/decisions.json")[0] == 403
    assert not (server.out / "decisions.json").exists()
    assert _post(server, body) == (204, b"")
    assert json.loads((server.out / "decisions.json").read_text()) == DECISIONS
    status, saved = _request(server, "GET", "/decisions.json", X_Ocrfix_Token=server.token)
    assert status == 200 and json.loads(saved) == DECISIONS


@pytest.mark.parametrize(
    ("body", "headers", "status", "says"),
    [
        (b"{}", {"Content_Length": "abc"}, 400, b"Content-Length"),
        (b"{}", {"Content_Length": "-1"}, 400, b"Content-Length"),
        (b"{}", {"Content_Length": "\u00b2".encode().decode("latin-1")}, 400, b"Content-Length"),
        (b"{}", {"Content_Length": str(MAX_BODY + 1)}, 413, b"bytes"),
        (b"{not json", {}, 400, b"not a decisions file"),
        (b"\xff\xfe", {}, 400, b"not a decisions file"),
        (json.dumps({"run": RUN, "decisions": 5}).encode(), {}, 400, b'"decisions" is a number'),
        (
            json.dumps({"run": RUN, "decisions": [{**DECISIONS["decisions"][0], "items": [[-1, -1]]}]}).encode(),
            {},
            400,
            b"items[0]",
        ),
        (json.dumps({**DECISIONS, "run": "another"}).encode(), {}, 409, b"another run"),
        (json.dumps(DECISIONS).encode(), {"Content_Type": "text/plain"}, 415, b"application/json"),
    ],
)
def test_a_bad_body_is_refused_with_its_reason_and_the_server_goes_on(
    server: ReviewServer, body: bytes, headers: dict, status: int, says: bytes
):
    got, reason = _post(server, body, **headers)
    assert got == status and says in reason
    assert not (server.out / "decisions.json").exists()
    assert _request(server, "GET", "/report.html")[0] == 200
