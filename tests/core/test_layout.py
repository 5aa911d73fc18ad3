"""The layout's promises: the core imports none of its faces, and the built wheel carries everything it needs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FACES = ("flask", "telegram", "server.service", "server.web", "bot")


def _core_modules() -> list[str]:
    core = ROOT / "server" / "core"
    mods = []
    for path in sorted(core.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        mods.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return mods


def test_core_imports_no_face() -> None:
    """Every module under server.core, imported in a fresh interpreter, loads no web, bot or service code."""
    mods = _core_modules()
    assert "server.core.pipeline" in mods
    script = (
        "import importlib, json, sys\n"
        f"for m in {mods!r}: importlib.import_module(m)\n"
        f"faces = {FACES!r}\n"
        "print(json.dumps(sorted(n for n in sys.modules if any(n == f or n.startswith(f + '.') for f in faces))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def _copy_sources(dest: Path) -> Path:
    """The files a wheel is built from, copied so that no stale ``build/`` directory of the checkout leaks in."""
    src = dest / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    for folder in ("server", "bot"):
        shutil.copytree(ROOT / folder, src / folder, ignore=skip)
    return src


def test_wheel_installs_and_digests(tmp_path: Path) -> None:
    """The wheel (what the Dockerfile installs, non-editable) digests a sample page and serves its web page:
    a package-data glob that misses the language data or the static files fails here."""
    src = _copy_sources(tmp_path)
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)],
                           capture_output=True, text=True, timeout=300)
    if built.returncode != 0 and "No matching distribution" in built.stdout + built.stderr:
        pytest.skip("the build backend (setuptools) is neither cached nor reachable")
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("pith-*.whl")

    # A fresh venv that sees the project venv's dependencies through a .pth line — that directory's own .pth
    # files (the editable install among them) are not processed, so `server` can only come from the wheel.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps",
                                "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    work = tmp_path / "work"  # neither the checkout nor its parent on sys.path
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PITH_LANGDATA_DIRS")}
    env["PITH_CACHE_TTL"] = "0"
    page = work / "page.html"
    shutil.copy2(ROOT / "server" / "samples" / "article-de.html", page)
    run = subprocess.run([str(venv / "bin" / "pith"), "digest", "--format", "json", str(page)],
                         cwd=work, env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    digest = json.loads(run.stdout)
    assert digest["language"] == "de"
    assert digest["summary"] and digest["quotes"]

    probe = (
        "import server, json\n"
        "from server.web.app import create_app\n"
        "c = create_app().test_client()\n"
        "print(json.dumps({'file': server.__file__, 'page': c.get('/').status_code,\n"
        "                  'js': c.get('/static/pith.js').status_code}))\n"
    )
    run = subprocess.run([str(py), "-c", probe], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(seen["file"]).is_relative_to(venv), seen
    assert seen["page"] == 200 and seen["js"] == 200


def test_every_langdata_key_is_documented() -> None:
    """``server/core/langdata/README.md`` lists every key of every topic file (in a table's first column)."""
    root = ROOT / "server" / "core" / "langdata"
    readme = (root / "README.md").read_text(encoding="utf-8")
    documented: dict[str, set[str]] = {}
    topic = None
    for line in readme.splitlines():
        if m := re.match(r"## `(\w+)`", line):
            topic = m.group(1)
            documented[topic] = set()
        elif topic and line.startswith("| `"):
            documented[topic] |= set(re.findall(r"`(\w+)`", line.split("|")[1]))
    missing = sorted(f"{path.parent.name}/{path.name}: {key}"
                     for path in root.glob("*/*.json")
                     for key in json.loads(path.read_text(encoding="utf-8"))
                     if key != "about" and key not in documented.get(path.stem, set()))
    assert not missing, f"add these keys to langdata/README.md: {missing}"
