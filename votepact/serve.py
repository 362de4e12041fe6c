"""`serve`: build, serve the output on 127.0.0.1, rebuild on change and reload the browser.

A failed rebuild keeps the last good site in place; the error (file:line: message) is printed in
the terminal and shown over every page in the browser until a rebuild succeeds. Only files inside
the built site are served.
"""
from __future__ import annotations

import html
import sys
import time
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from tornado import web

from .build import BuildOptions, build
from .inputs import input_roots
from .memory import Memory
from .errors import BuildFailed, SiteError
from .watching import watcher_for

ERROR_CSS = b"""#votepact-build-error{position:fixed;inset:0 0 auto 0;z-index:2147483647;margin:0;padding:1rem;
background:#7a0010;color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap;max-height:60vh;overflow:auto}
#votepact-build-error strong{display:block;font:700 17px/1.4 system-ui,sans-serif;margin-bottom:.4rem}"""


class DevState:
    """What the dev server knows between builds: the last error, if the last build failed."""

    def __init__(self):
        self.error: str | None = None
        self.builds = 0
        self.port = 0


def _handler_for(state: DevState):
    class SiteFileHandler(StaticFileHandler):
        """Serves only files inside the built site (Tornado refuses any path that leaves its root).
        HTML pages get the reload script and, after a failed build, the error banner."""

        async def get(self, path, include_body=True):
            self.path = self.parse_url_path(path)
            absolute = self.validate_absolute_path(self.root, self.get_absolute_path(self.root, self.path))
            if absolute is None:  # a folder asked without its trailing slash: redirected
                return
            if not absolute.endswith(".html"):
                return await super().get(path, include_body)
            self.absolute_path = absolute
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(_inject(Path(absolute).read_bytes(), state) if include_body else b"")

        def compute_etag(self):
            return None

        def set_extra_headers(self, path):
            self.set_header("Cache-Control", "no-store")

        def write_error(self, status_code, **kwargs):
            not_found = Path(self.root, "404.html")
            if status_code == 404 and not_found.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(_inject(not_found.read_bytes(), state))
                return
            super().write_error(status_code, **kwargs)

    return SiteFileHandler


def _inject(page: bytes, state: DevState) -> bytes:
    tags = f'<script src="/livereload.js?port={state.port}" defer></script>'.encode()
    if state.error is not None:
        tags += b'<link rel="stylesheet" href="/__votepact__/error.css">'
    page = page.replace(b"</head>", tags + b"</head>", 1)
    if state.error is not None:
        banner = (f'<div id="votepact-build-error" role="alert"><strong>The last rebuild failed; this is the last good '
                  f'build.</strong>{html.escape(state.error)}</div>').encode("utf-8")
        at = page.find(b"<body")
        end = page.find(b">", at) + 1 if at >= 0 else 0
        page = page[:end] + banner + page[end:]
    return page


class _ErrorCSS(web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/css")
        self.write(ERROR_CSS)


class DevServer(Server):
    def __init__(self, state: DevState, watcher):
        super().__init__(watcher=watcher)
        self.state = state

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every successful or failed rebuild
        handlers = [
            (r"/livereload", LiveReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"/__votepact__/error.css", _ErrorCSS),
            (r"/(.*)", _handler_for(self.state), {"path": self.root, "default_filename": "index.html"}),
        ]
        web.Application(handlers=handlers, debug=False).listen(port, address=host)


def serve(site_dir: Path, out: Path, args) -> int:
    state = DevState()
    state.port = args.port
    base_url = args.base_url or f"http://{args.host}:{args.port}/"
    options = BuildOptions(site_dir, out, base_url, drafts=args.drafts, strict=args.strict)
    memory = Memory.load(options.cache, out)  # kept for the whole run: a save re-reads only what changed

    def rebuild(stamps=None):
        state.builds += 1
        started = time.perf_counter()
        try:
            result = build(options, memory, save=False, stamps=stamps)
        except BuildFailed as failed:
            lines = [str(e) for e in failed.report.errors]
            state.error = "\n".join(lines)
            print(f"[build {state.builds}] failed, still serving the last good site:", file=sys.stderr)
            for line in lines:
                print(f"  {line}", file=sys.stderr)
            return
        except SiteError as err:
            state.error = str(err)
            print(f"[build {state.builds}] failed: {err}", file=sys.stderr)
            return
        state.error = None
        for w in result.warnings:
            print(f"  {w} [warning]", file=sys.stderr)
        print(f"[build {state.builds}] {result.rendered} of {result.pages} pages rendered, {result.written} files "
              f"written in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)

    rebuild()
    out.mkdir(parents=True, exist_ok=True)
    # The watcher looks at exactly what a build reads, and hands its look to the build.
    server = DevServer(state, watcher_for(input_roots(site_dir.resolve()), rebuild))
    print(f"Serving {out} on {base_url} (Ctrl+C to stop)", flush=True)
    try:
        server.serve(host=args.host, port=args.port, root=str(out.resolve()), restart_delay=0)
    finally:
        memory.save()  # so the next build, of any kind, starts from what this session learned
    return 0
