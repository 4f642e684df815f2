"""The README's two commands: `make run` installs only what the app runs on; `make test` adds the
test tools; CI runs exactly `make test`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLS = ("[dev]", "pytest", "hypothesis", "playwright")


def _dry_run(target: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # -B: print every step as on a fresh clone, whatever .venv already holds; -n: run nothing.
    return subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_make_run_installs_no_test_tool() -> None:
    steps = _dry_run("run")
    assert "pip install" in steps and "streamlit run app.py" in steps
    assert not [tool for tool in TEST_TOOLS if tool in steps], steps


def test_make_test_adds_the_test_tools_and_ci_runs_it() -> None:
    assert "'.[dev]'" in _dry_run("test")
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == "make test"
