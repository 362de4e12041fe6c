"""Serving a built site the way static hosts do, and choosing which of its pages to load.

The server behaves like Netlify and Cloudflare Pages (and, for what it can, GitHub Pages):
- it sends the headers that the site's `_headers` file asks for, so the Content Security
  Policy is enforced as a real header;
- a missing address gets the nearest `404.html` (walking up from the address, as GitHub Pages
  does for a project site under a sub-path) with status 404;
- folders are served through their index.html and never listed;
- text (HTML, CSS, JavaScript, JSON, SVG) is sent gzipped to browsers that accept it.

Used by tests/test_quality.py, tests/test_hosting.py and scripts/lighthouse.py.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import posixpath
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


# --- _headers -----------------------------------------------------------------------------------

def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    """`_headers` (Netlify / Cloudflare Pages format) -> [(path pattern, {name: value})]."""
    rules: list[tuple[str, dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
            continue
        name, sep, value = line.strip().partition(":")
        if not sep or not rules:
            raise ValueError(f"_headers:{number}: expected 'Name: value' under a path, got {line!r}")
        rules[-1][1][name.strip()] = value.strip()
    return rules


def _pattern_regex(pattern: str) -> re.Pattern:
    # A splat (*) matches anything, slashes included, as on Netlify and Cloudflare Pages.
    return re.compile("".join(".*" if ch == "*" else re.escape(ch) for ch in pattern) + r"\Z")


def headers_for(rules: list[tuple[str, dict[str, str]]], path: str) -> dict[str, str]:
    """The headers every matching rule gives `path` (later rules add to earlier ones)."""
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if _pattern_regex(pattern).match(path):
            found.update(headers)
    return found


def parse_policy(policy: str) -> dict[str, str]:
    """'default-src 'self'; img-src data:' -> {'default-src': "'self'", 'img-src': 'data:'}"""
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name.lower()] = " ".join(value.split())
    return directives


# --- the server ---------------------------------------------------------------------------------

COMPRESSIBLE = {"application/javascript", "application/json", "application/xml", "image/svg+xml"}


class HostLikeHandler(http.server.SimpleHTTPRequestHandler):
    rules: list = []

    def log_message(self, *args):
        pass

    def end_headers(self):
        for name, value in headers_for(self.rules, urlsplit(self.path).path).items():
            self.send_header(name, value)
        super().end_headers()

    def send_head(self):
        fs_path = Path(self.translate_path(self.path))
        if fs_path.is_dir() and not urlsplit(self.path).path.endswith("/"):
            return super().send_head()  # redirects /faq to /faq/
        if fs_path.is_dir():
            fs_path = fs_path / "index.html"
        if fs_path.is_file():
            return self._send_file(fs_path, 200)
        page = self._nearest_404()
        if page is None:
            self.send_error(404)
            return None
        return self._send_file(page, 404)

    def _send_file(self, file: Path, status: int):
        """The file, gzipped where the browser accepts it, as all three hosts do for text."""
        body = file.read_bytes()
        ctype = self.guess_type(str(file))
        self.send_response(status)
        if ctype.startswith("text/") or ctype in COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, mtime=0)
                self.send_header("Content-Encoding", "gzip")
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _nearest_404(self) -> Path | None:
        url_dir = posixpath.dirname(unquote(urlsplit(self.path).path))
        while True:
            candidate = Path(self.translate_path(posixpath.join(url_dir, "404.html")))
            if candidate.is_file():
                return candidate
            if url_dir in ("", "/"):
                return None
            url_dir = posixpath.dirname(url_dir.rstrip("/"))


class HostLikeServer:
    """A static host for `root` on 127.0.0.1 (port 0: any free port). `headers_from` is the
    `_headers` file to obey (default: root/_headers if there is one)."""

    def __init__(self, root: Path, port: int = 0, headers_from: Path | None = None):
        headers_file = headers_from or root / "_headers"
        rules = parse_headers_file(headers_file.read_text("utf-8")) if headers_file.is_file() else []
        handler = type("Handler", (HostLikeHandler,), {"rules": rules})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                     functools.partial(handler, directory=str(root)))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- the pages of a built site ------------------------------------------------------------------

def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def url_path(root: Path, file: Path) -> str:
    """output/faq/index.html -> /faq/ ; output/404.html -> /404.html"""
    rel = file.relative_to(root).as_posix()
    if rel == "index.html":
        return "/"
    return "/" + (rel[: -len("index.html")] if rel.endswith("/index.html") else rel)


class _BodyClass(HTMLParser):
    def __init__(self):
        super().__init__()
        self.value = ""

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.value = dict(attrs).get("class") or ""


def body_class(file: Path) -> str:
    parser = _BodyClass()
    parser.feed(file.read_text("utf-8"))
    return " ".join(sorted(parser.value.split()))


def page_kinds(root: Path) -> list[str]:
    """One address per kind of page, taken from the built files so the list follows the content:
    every top-level page (home, essay, FAQ, the section overviews, about, 404, ...) is its own
    kind; deeper pages are grouped by section, depth and <body> class, and the first of each
    group (in sorted order) stands for it (a candidate, a guide, a pairing share page)."""
    kinds: dict[tuple, str] = {}
    for file in html_files(root):
        path = url_path(root, file)
        parts = path.strip("/").split("/")
        key = (path,) if len(parts) <= 1 else (parts[0], len(parts), body_class(file))
        kinds.setdefault(key, path)
    return sorted(kinds.values())
