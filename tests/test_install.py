"""A newcomer's first hour: `pip install .` carries everything, `votepact new` starts a site that
builds and passes `check` at once, and the command says where it looked when there is no site."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, run_cli
from votepact.schema import SCHEMA_DIR


def test_version_and_help_name_votepact():
    result = run_cli("--version")
    assert result.returncode == 0 and re.fullmatch(r"votepact \d+\.\d+\.\d+\n", result.stdout)
    result = run_cli("--help")
    assert result.returncode == 0 and result.stdout.startswith("usage: votepact ")
    assert "new" in result.stdout and "build.py" not in result.stdout


def test_a_folder_without_a_site_says_where_it_looked(tmp_path):
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"{tmp_path / 'data' / 'site.yaml'}: no site here: this file is missing (run "
                                     "this in a site folder, pass --site DIR, or start a site with 'votepact new DIR')")
    assert list(tmp_path.iterdir()) == []  # nothing built, least of all the generator's own site


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    """`votepact new mysite`, run once for the tests below: (what it said, the site folder)."""
    where = tmp_path_factory.mktemp("new")
    return run_cli("new", where / "mysite", cwd=where), where / "mysite"


def test_new_writes_a_small_commented_site_that_builds_and_checks(new_site):
    result, site = new_site
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Built " in result.stdout and "all good" in result.stdout and "votepact serve" in result.stdout
    data = {name: yaml.safe_load((site / "data" / f"{name}.yaml").read_text("utf-8"))
            for name in ("site", "candidates", "states", "sources")}
    assert len(data["candidates"]["majors"]) == 2 and len(data["candidates"]["alternatives"]) == 2
    assert len(data["states"]["states"]) == 3 and data["candidates"]["election"]["id"]
    for page in ("index.html", "pact/index.html", "guides/index.html", "guides/first-conversation/index.html"):
        assert (site / "output" / page).is_file(), page
    # every key of the settings has a comment saying what it means
    lines = (site / "data/site.yaml").read_text("utf-8").splitlines()
    for n, line in enumerate(lines):
        if re.match(r"[a-z_]+:", line):
            assert lines[n - 1].startswith("#"), f"data/site.yaml: no comment above {line!r}"
    # a second `new` into the same folder is refused
    again = run_cli("new", site)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_schema_lines_of_a_new_site_work_wherever_it_is_moved(tmp_path, new_site):
    result, site = new_site
    assert result.returncode == 0
    shutil.copytree(site, tmp_path / "first", symlinks=True)  # a copy of its own, then moved away from there
    moved = tmp_path / "somewhere" / "else"
    moved.parent.mkdir()
    shutil.move(tmp_path / "first", moved)
    assert not (tmp_path / "first").exists()
    for name in ("site", "candidates", "states", "sources"):
        path = moved / "data" / f"{name}.yaml"
        first = path.read_text("utf-8").splitlines()[0]
        target = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first).group(1)
        schema_file = (path.parent / target).resolve()
        assert not schema_file.is_relative_to(site.resolve()), "the moved copy leans on the first site"
        assert schema_file.read_text("utf-8") == (SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8")
        # what an editor would do with that line
        jsonschema.validate(json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str)),
                            json.loads(schema_file.read_text("utf-8")))
    # and the moved site builds from its own folder, without --site
    result = run_cli(cwd=moved)
    assert result.returncode == 0, result.stderr
    assert run_cli("check", cwd=moved).returncode == 0


def test_the_installed_package_carries_the_default_theme(tmp_path):
    """`pip install .` (not editable), then `votepact new` and a build, from outside the repository."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True, cwd=tmp_path)
    venv = tmp_path / "venv"
    # No pip of its own (installing one takes longer than the rest): the test environment's pip
    # installs into it, as `pip install .` would from inside.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", "--no-index",
                    *map(str, wheels.glob("*.whl"))], check=True, capture_output=True)
    # the dependencies come from the test environment (no network needed); votepact from the wheel
    site_packages = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip()
    Path(site_packages, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run([str(py), "-c", "import votepact; print(votepact.__file__)"], capture_output=True,
                           text=True, cwd=tmp_path, env=env)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    votepact = venv / "bin" / "votepact"
    version = subprocess.run([str(votepact), "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("votepact ")
    made = subprocess.run([str(votepact), "new", "mysite"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "all good" in made.stdout
    assert (tmp_path / "mysite/output/static/fonts/DejaVuSans.ttf").is_file()


def _fake_system(tmp_path, system: str, root: bool = False) -> tuple[dict, Path]:
    """A PATH whose uname, dpkg, apt-get, id and sudo are stand-ins that log what they were asked."""
    bin_dir, log = tmp_path / "bin", tmp_path / "log"
    bin_dir.mkdir(parents=True)
    stand_ins = {"uname": f"echo {system}", "dpkg": "exit 1", "id": f"echo {0 if root else 1000}",
                 "apt-get": f'echo "apt-get $*" >> {log}', "sudo": f'echo -n "sudo " >> {log}; exec "$@"'}
    for name, body in stand_ins.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", "utf-8")
        (bin_dir / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}
    return env, log


def test_readme_command_one_sets_up_then_builds():
    first = (REPO / "README.md").read_text("utf-8").split("```sh\n", 1)[1].splitlines()[0]
    assert first.startswith("./scripts/setup.sh && .venv/bin/votepact ")


def test_setup_installs_the_pdf_libraries_with_apt_get_where_they_are_missing(tmp_path):
    env, log = _fake_system(tmp_path, "Linux")
    result = subprocess.run(["bash", str(REPO / "scripts/setup.sh"), "--system-only"], env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    calls = log.read_text("utf-8").splitlines()
    assert calls[0] == "sudo apt-get update -qq"
    assert calls[1].startswith("sudo apt-get install -y -qq --no-install-recommends libpango-1.0-0 "
                               "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core")


def test_setup_says_what_to_run_on_macos_and_windows(tmp_path):
    for system, says in (("Darwin", "brew install pango"), ("MINGW64_NT-10.0", "pacman -S mingw-w64-x86_64-pango")):
        env, log = _fake_system(tmp_path / system, system)
        result = subprocess.run(["bash", str(REPO / "scripts/setup.sh"), "--system-only"], env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0 and says in result.stdout, result.stdout + result.stderr
        assert not log.exists()


def test_pdfs_are_built_on_this_machine(built_site):
    """What setup.sh installs is enough: the default site's guides come with their PDFs."""
    pdfs = list(built_site.rglob("*.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
