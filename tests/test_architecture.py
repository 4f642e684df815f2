"""The house rules: packages in layers, imports only downward, no cycles, and a README that names
every package (its "How data flows" section is the map a new colleague reads first)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regelsjekk.core import layers

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
PACKAGE = SRC / "regelsjekk"


def _packages() -> set[str]:
    return {p.parent.name for p in PACKAGE.glob("*/__init__.py")}


def test_every_package_has_a_layer() -> None:
    placed = {name for group in layers.LAYERS for name in group}
    assert _packages() == placed


def test_no_flat_modules_beside_the_packages() -> None:
    """Only the package marker lives at the top: every module belongs to a concept."""
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py"]


def test_no_module_prefixes_in_disguise() -> None:
    prefixed = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                if re.match(r"(checker|forslag|report|rules)_", p.name)]
    assert prefixed == []


def test_imports_point_down() -> None:
    assert layers.upward_imports(layers.all_imports(SRC)) == []


def test_no_import_cycles() -> None:
    assert layers.module_cycles(layers.all_imports(SRC)) == []


def test_core_imports_nothing_of_ours() -> None:
    inside = [i for i in layers.all_imports(SRC) if layers.package_of(i.importer) == "core"
              and layers.package_of(i.imported) != "core"]
    assert inside == []


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "regelsjekk" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_planted_cycle_is_found(tmp_path: Path) -> None:
    src = _plant(tmp_path, {
        "__init__.py": "", "kb/__init__.py": "",
        "kb/a.py": "from regelsjekk.kb import b\n",
        "kb/b.py": "def f():\n    from regelsjekk.kb.a import x\n",
    })
    assert layers.module_cycles(layers.all_imports(src)) == [["regelsjekk.kb.a", "regelsjekk.kb.b"]]


def test_a_planted_upward_import_is_found(tmp_path: Path) -> None:
    src = _plant(tmp_path, {
        "__init__.py": "", "core/__init__.py": "", "check/__init__.py": "",
        "check/checker.py": "x = 1\n",
        "core/ids.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    from regelsjekk.check.checker import x\n",
    })
    problems = layers.upward_imports(layers.all_imports(src))
    assert len(problems) == 1 and "core may not import check" in problems[0]


def test_type_only_back_references_are_not_cycles(tmp_path: Path) -> None:
    src = _plant(tmp_path, {
        "__init__.py": "", "kb/__init__.py": "",
        "kb/a.py": "from regelsjekk.kb import b\n",
        "kb/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from regelsjekk.kb.a import x\n",
    })
    assert layers.module_cycles(layers.all_imports(src)) == []


def _data_flow_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## How data flows\n(.*?)^## ", readme, re.S | re.M)
    assert match, "README.md has no '## How data flows' section"
    return match.group(1)


@pytest.mark.parametrize("package", sorted(_packages()))
def test_readme_data_flow_names_every_package(package: str) -> None:
    assert re.search(rf"(?<![\w/]){package}/", _data_flow_section()), \
        f"README 'How data flows' does not name {package}/"


def test_readme_data_flow_names_no_package_that_does_not_exist() -> None:
    named = set(re.findall(r"(?<![\w./-])([a-z_]+)/(?=[\s:])", _data_flow_section()))
    named -= {"rules", "struktur", "examples", "tests", "docs", "bench", "scripts", "schema"}  # data folders
    assert named <= _packages(), f"README names packages that do not exist: {sorted(named - _packages())}"
