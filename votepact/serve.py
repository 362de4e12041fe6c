"""`serve`: build, serve the build on 127.0.0.1, rebuild on change and reload the browser.

The preview is built into the cache folder (`.cache/serve/`) for the server's own address, never
into the output folder, so what is published keeps its real address. A failed rebuild keeps the
last good site in place; the error (file:line: message) is printed in the terminal and shown over
every page in the browser until a rebuild succeeds (with no good build yet, the error is the
page). Only files inside the build are served. Changes are seen by watchfiles (the operating
system's own reports on Linux, macOS and Windows).

A save that changed only the text of pages (not their front matter) is shown first, as Hugo's
"fast render" does: those pages are rendered alone (build.render_edits), put in place and the
browser reloaded; then the whole build runs, in a thread while pages are served, and reloads
again only if it wrote anything else. Should it fail, those pages go back to the last good build.
"""
from __future__ import annotations

import asyncio
import html
import os
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from tornado import web
from tornado.websocket import WebSocketClosedError

from .build import BuildOptions, BuildResult, build, render_edits
from .errors import BuildFailed, SiteError
from .hashing import digest
from .inputs import input_roots, scan
from .memory import Memory, Written
from .output import write_atomic

ERROR_CSS = b"""#votepact-build-error{position:fixed;inset:0 0 auto 0;z-index:2147483647;margin:0;padding:1rem;
background:#7a0010;color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap;max-height:60vh;overflow:auto}
#votepact-build-error strong{display:block;font:700 17px/1.4 system-ui,sans-serif;margin-bottom:.4rem}"""
NO_BUILD = b"<!doctype html><html><head><meta charset=utf-8><title>Build failed</title></head><body></body></html>"


@dataclass
class DevState:
    """What the dev server knows between builds: the last error, if the last build failed."""
    port: int
    error: str | None = None
    builds: int = 0
    good: int = 0  # builds that succeeded


def _handler_for(state: DevState):
    class SiteFileHandler(StaticFileHandler):
        """Serves only files inside the build (Tornado refuses any path that leaves its root).
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
            if status_code == 404 and (not_found.is_file() or state.error is not None):
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(_inject(not_found.read_bytes() if not_found.is_file() else NO_BUILD, state))
                return
            super().write_error(status_code, **kwargs)

    return SiteFileHandler


def _inject(page: bytes, state: DevState) -> bytes:
    tags = f'<script src="/livereload.js?port={state.port}" defer></script>'.encode()
    if state.error is not None:
        tags += b'<link rel="stylesheet" href="/__votepact__/error.css">'
    page = page.replace(b"</head>", tags + b"</head>", 1)
    if state.error is not None:
        title = ("The last rebuild failed; this is the last good build." if state.good
                 else "The build failed; fix this and the site appears here.")
        banner = (f'<div id="votepact-build-error" role="alert"><strong>{title}</strong>'
                  f'{html.escape(state.error)}</div>').encode("utf-8")
        at = page.find(b"<body")
        end = page.find(b">", at) + 1 if at >= 0 else 0
        page = page[:end] + banner + page[end:]
    return page


class _ErrorCSS(web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/css")
        self.write(ERROR_CSS)


def reload_browsers() -> None:
    """Tell every connected page to reload (the livereload protocol's `reload` command)."""
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})
        except WebSocketClosedError:
            LiveReloadHandler.waiters.discard(waiter)


def is_input(path: str, roots: list[Path]) -> bool:
    """Does a change at `path` concern the build: under an input folder, and nothing hidden
    (an editor's swap file, .git) on the way there?"""
    for root in roots:
        prefix = str(root) + os.sep
        if path.startswith(prefix):
            return not any(part.startswith((".", "__pycache__")) for part in path[len(prefix):].split(os.sep))
    return False


async def watch(roots: list[Path], stamps: dict, changed, stop: asyncio.Event | None = None) -> None:
    """Await `changed(stamps, paths)` after each change to input files, with the input scan
    brought up to date and the paths watchfiles reported, until `stop` is set. A burst of saves
    (an editor writing several files) is one call; what changes during a call waits for the
    next. Only the reported paths are looked at: a whole scan costs tens of ms at 4000 pages."""
    watched = [r for r in roots if r.is_dir()]
    async for changes in watchfiles.awatch(*watched, watch_filter=lambda _c, path: is_input(path, watched),
                                           step=20, stop_event=stop):
        now = dict(stamps)
        for _change, path in changes:
            try:
                st = os.stat(path)
            except OSError:  # removed, or moved away: with everything that was inside it
                now.pop(path, None)
                for inside in [p for p in now if p.startswith(path + os.sep)]:
                    del now[inside]
                continue
            if stat.S_ISDIR(st.st_mode):
                now.update(scan([Path(path)]))
            else:
                now[path] = (st.st_size, st.st_mtime_ns)
        if now != stamps:
            stamps = now
            await changed(now, sorted({path for _change, path in changes}))


def show_edits(out: Path, files: dict[str, bytes], memory: Memory) -> dict:
    """Put the fast render's pages (build.render_edits) in place, each whole; returns what they
    replaced, for put_back. The manifest learns their bytes (and that their key is not known
    yet), so the whole build that follows does not write them again if they come out the same."""
    replaced = {}
    for rel, data in files.items():
        target = out / rel
        replaced[rel] = (target.read_bytes(), memory.manifest.files[rel])
        memory.manifest.files[rel] = Written("", digest(data), *write_atomic(target, data))
    return replaced


def put_back(out: Path, replaced: dict, memory: Memory) -> None:
    """The whole build after a fast render failed: its pages go back to the last good build's."""
    for rel, (data, written) in replaced.items():
        memory.manifest.files[rel] = Written(written.key, written.hash, *write_atomic(out / rel, data))


def serve(site_dir: Path, cache: Path, args) -> int:
    """Build `site_dir` into cache/serve for http://host:port/, serve it, rebuild on change."""
    state = DevState(args.port)
    out = cache / "serve"
    base_url = f"http://{args.host}:{args.port}/"
    options = BuildOptions(site_dir, out, base_url, drafts=args.drafts, strict=args.strict, cache_dir=cache)
    memory = Memory.load(cache, out)  # kept for the whole run: a save re-reads only what changed

    def rebuild(stamps=None) -> BuildResult | None:
        """The whole build; None if it failed (the error is then in `state`)."""
        state.builds += 1
        started = time.perf_counter()
        try:
            result = build(options, memory, save=False, stamps=stamps)
        except (BuildFailed, SiteError) as failed:
            lines = [str(e) for e in failed.report.errors] if isinstance(failed, BuildFailed) else [str(failed)]
            state.error = "\n".join(lines)
            print(f"[build {state.builds}] failed, " + ("still serving the last good site:" if state.good else
                                                        "nothing to serve until it is fixed:"), file=sys.stderr)
            for line in lines:
                print(f"  {line}", file=sys.stderr)
            return None
        else:
            state.error = None
            state.good += 1
            for w in result.warnings:
                print(f"  {w} [warning]", file=sys.stderr)
            print(f"[build {state.builds}] {result.rendered} of {result.pages} pages rendered, {result.written} files "
                  f"written in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
            return result

    async def changed(stamps: dict, paths: list[str]) -> None:
        # Hugo's "fast render": a page whose text alone changed is rendered, put in place and
        # reloaded first; the whole build follows at once (in a thread: pages are served meanwhile).
        started = time.perf_counter()
        quick = render_edits(options, memory, paths, stamps) if state.error is None else None
        if quick:
            replaced = show_edits(out, quick, memory)
            reload_browsers()
            print(f"[fast render] {', '.join(quick)} in {(time.perf_counter() - started) * 1000:.0f} ms; "
                  "the whole build follows", flush=True)
        result = await asyncio.get_running_loop().run_in_executor(None, rebuild, stamps)
        if quick and result is None:
            put_back(out, replaced, memory)  # the banner says it is the last good build: so it is
        if not quick or result is None or result.written:
            reload_browsers()

    roots = input_roots(site_dir.resolve())
    stamps = scan(roots)
    rebuild(stamps)
    out.mkdir(parents=True, exist_ok=True)

    async def run():
        handlers = [
            (r"/livereload", LiveReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"/__votepact__/error.css", _ErrorCSS),
            (r"/(.*)", _handler_for(state), {"path": str(out.resolve()), "default_filename": "index.html"}),
        ]
        web.Application(handlers, log_function=lambda handler: None).listen(args.port, address=args.host)
        print(f"Serving {site_dir} on {base_url} (Ctrl+C to stop); the preview is built in {out}", flush=True)
        await watch(roots, stamps, changed)

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        memory.save()  # so the next build, of any kind, starts from what this session learned
    return 0
