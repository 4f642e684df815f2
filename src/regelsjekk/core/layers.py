"""The house rules for imports: which package may import which, read from the source with ast.

Packages sit in layers; a module may import its own package and any package in a lower layer,
never a higher one, and no two modules may import each other through any chain. Imports under
``if TYPE_CHECKING:`` are annotations only (they never run): they must respect the layers but do
not count as cycles; imports inside functions run, and count for both.

Used by tests/test_architecture.py, and printable as a picture: ``python -m regelsjekk.core.layers``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = "regelsjekk"

# Lowest first. Packages in the same layer may not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("core",),        # ids, model, paths, errors: imports nothing of ours
    ("rules",),       # rules/ as data: schema, rulebook, struktur, inference
    ("kb",),          # store reader, sources, KnowledgeBase, graph
    ("lovdata",),     # the Lovdata importer: writes the store whose schema kb defines
    ("refs",),        # citations -> ids, resolved against a knowledge base
    ("request",),     # the request model, the request language and the JSON form
    ("check",),       # the checker (pure)
    ("report",),      # renderings of a check's report
    ("forslag", "lookup", "curation"),  # idea -> provisions; lookup; lint and coverage
    ("batch",),       # many files through request -> check -> report
    ("cli", "web", "api"),  # the three front ends (thin): terminal, Streamlit, HTTP
]


def layer_of(package: str) -> int:
    for rank, names in enumerate(LAYERS):
        if package in names:
            return rank
    raise KeyError(package)


@dataclass(frozen=True)
class Import:
    importer: str   # dotted module that imports
    imported: str   # dotted module (or package) imported
    line: int
    type_only: bool = False  # under `if TYPE_CHECKING:`: counts for direction, not for cycles


def module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    for sub in ast.walk(child):
                        if hasattr(sub, "lineno"):
                            lines.add(sub.lineno)
    return lines


def imports_of(path: Path, src: Path, known: set[str]) -> list[Import]:
    """Runtime imports of our own modules in one file (`from pkg import module` resolved)."""
    name = module_name(path, src)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _type_checking_lines(tree)
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known
                       else node.module for a in node.names]
        else:
            continue
        for target in targets:
            if target == ROOT or target.startswith(ROOT + "."):
                found.append(Import(name, target, node.lineno, node.lineno in skip))
    return found


def all_imports(src: Path) -> list[Import]:
    files = sorted((src / ROOT).rglob("*.py"))
    known = {module_name(f, src) for f in files}
    return [imp for f in files for imp in imports_of(f, src, known)]


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def upward_imports(imports: list[Import]) -> list[str]:
    """Imports from a lower layer to a higher one (or across packages in one layer)."""
    problems = []
    for imp in imports:
        a, b = package_of(imp.importer), package_of(imp.imported)
        if a is None or b is None or a == b:
            continue
        if layer_of(b) >= layer_of(a):
            problems.append(f"{imp.importer}:{imp.line} imports {imp.imported} "
                            f"({a} may not import {b})")
    return problems


def module_cycles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative); runtime imports."""
    graph: dict[str, set[str]] = {}
    for imp in (i for i in imports if not i.type_only):
        graph.setdefault(imp.importer, set()).add(imp.imported)
        graph.setdefault(imp.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
    return cycles


def picture() -> str:
    """The layers as text, top first (used in docs/architecture.md)."""
    return "\n".join("  " + "  ·  ".join(names) for names in reversed(LAYERS))


if __name__ == "__main__":  # pragma: no cover
    print(picture())
