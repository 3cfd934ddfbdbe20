"""The layer list of DESIGN §4 as an import-linter contract (pyproject.toml, run by `make lint`):
every app of the project is placed in it, and the code keeps it."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def _layers() -> list[str]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    (contract,) = (c for c in config["contracts"] if c["type"] == "layers")
    return contract["layers"]


def test_every_app_has_its_layer():
    placed = {name for layer in _layers() for name in re.findall(r"[a-z_]+", layer)}
    installed = {a.name.removeprefix("yimen.") for a in apps.get_app_configs() if a.name.startswith("yimen.")}
    assert installed - placed == set()


def test_demo_is_on_top_and_core_at_the_bottom():
    layers = _layers()
    assert (layers[0], layers[-1]) == ("demo", "core")


def test_the_code_keeps_the_layers():
    # In its own process: import-linter configures logging when it runs, which disables every
    # logger that exists by then (gunicorn's access log among them) for the rest of the session.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    args = [str(lint_imports), "--no-logo", str(PYPROJECT)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=PYPROJECT.parent)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr
