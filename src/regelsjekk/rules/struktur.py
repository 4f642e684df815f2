"""The built-in structure (rules/struktur): generated files read into Documents, fast.

The structure of ~45 laws is ~13,000 nodes; it is read on every fresh start of the CLI and the
app, so the generated node lines are parsed as JSON (each is a JSON object, which is also YAML)
and nodes are built without pydantic validation. A hand-edited file that does not have the
generated form goes through the YAML parser instead, with line numbers in its errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from regelsjekk.core.model import (
    DocKind,
    Document,
    DocumentMeta,
    Node,
    NodeKind,
    Origin,
)
from regelsjekk.rules.schema import RulesError, SafeLoader, YamlFile

_NODE_FIELDS = frozenset(Node.model_fields)


def _node(**values: Any) -> Node:
    """A Node without validation: the built-in structure has ~13,000 nodes and is generated,
    so skipping pydantic's checks keeps loading the rulebook well under a second."""
    node = Node.__new__(Node)
    object.__setattr__(node, "__dict__", {"label": None, "pos": None, **values})
    object.__setattr__(node, "__pydantic_fields_set__", set(_NODE_FIELDS))
    object.__setattr__(node, "__pydantic_extra__", None)
    object.__setattr__(node, "__pydantic_private__", None)
    return node


def read_structure(path: Path, name: str) -> tuple[Document, frozenset[str]]:
    """Parse a struktur file fast: the header as YAML, each node line as JSON (the generated form).

    Any line that is not a generated node line sends the whole file through the YAML parser."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\nnoder:\n")
    try:
        if not sep:
            raise ValueError
        meta = yaml.load(head, Loader=SafeLoader)
        nodes = [json.loads(line[4:]) for line in body.splitlines() if line.strip()]
        return _structure_document(name, {"dokument": (meta or {}).get("dokument"), "noder": nodes})
    except (ValueError, yaml.YAMLError, AttributeError, RulesError):
        return _read_yaml(path, name)  # slow path: full YAML, errors with line numbers


def _read_yaml(path: Path, name: str) -> tuple[Document, frozenset[str]]:
    yf = YamlFile(path, name)
    return _structure_document(name, yf.data or {}, yf)


def structure_meta(name: str, meta_raw: dict) -> DocumentMeta:
    """The «dokument» block of a struktur file (or a catalogue entry) as DocumentMeta."""
    doc_id = meta_raw["id"]
    return DocumentMeta(
        id=doc_id, kind=DocKind(doc_id.split("/")[0]), origin=Origin.BUILTIN,
        title=meta_raw.get("tittel") or meta_raw.get("korttittel") or doc_id,
        title_short=meta_raw.get("korttittel"), abbreviation=meta_raw.get("forkortelse"),
        ministry=meta_raw.get("departement") or [], date_in_force=meta_raw.get("ikrafttredelse"),
        last_change_in_force=meta_raw.get("sist_endret"),
        last_changed_by=meta_raw.get("sist_endret_ved"),
        legal_area=meta_raw.get("rettsomrade") or [], source_file=name,
        source_archive=meta_raw.get("kilde"),  # "gjeldende-lover/2026-05-02": the data's date
    )


def structure_document(name: str, data: dict) -> tuple[Document, frozenset[str]]:
    """A struktur mapping ({dokument, noder}) -> Document and its repealed §§ (the catalogue)."""
    return _structure_document(name, data)


def _structure_document(name: str, data: dict, yf: YamlFile | None = None,
                        ) -> tuple[Document, frozenset[str]]:
    """One rules/struktur file -> Document, and the ids of its repealed §§ (opphevet)."""

    def error(path: tuple, message: str) -> RulesError:
        hint = "kjør scripts/struktur.py på nytt; filene skal ikke redigeres for hånd."
        return yf.error(path, message, hint) if yf else RulesError(name, None, None, message, hint)

    meta_raw = data.get("dokument") or {}
    doc_id = meta_raw.get("id")
    if not doc_id:
        raise error(("dokument", "id"), "mangler dokument-id.")
    meta = structure_meta(name, meta_raw)
    nodes = [_node(id=doc_id, kind=NodeKind.DOCUMENT, doc_id=doc_id, parent_id=None, number=None,
                   heading=meta.display_name, text=None, summary=None, order=0)]
    order = 0

    def add(nid: str, kind: NodeKind, parent: str, number: str | None, heading: str | None) -> None:
        nonlocal order
        order += 1
        nodes.append(_node(id=nid, kind=kind, doc_id=doc_id, parent_id=parent, number=number,
                           heading=heading, text=None, summary=None, order=order))

    for i, raw in enumerate(data.get("noder") or []):
        rel = raw.get("id") if isinstance(raw, dict) else None
        if not rel:
            raise error(("noder", i), "node uten id.")
        nid = f"{doc_id}/{rel}"
        parent = f"{doc_id}/{raw['under']}" if raw.get("under") else doc_id
        heading = raw.get("tittel")
        if rel.startswith("§"):
            add(nid, NodeKind.SECTION, parent, rel[1:], heading)
            for k in range(1, int(raw.get("ledd") or 0) + 1):
                lid = f"{nid}/ledd/{k}"
                add(lid, NodeKind.LEDD, nid, str(k), None)
                for kind, items in ((raw.get("punkter") or {}).get(f"ledd/{k}") or {}).items():
                    for item in items:
                        add(f"{lid}/{kind}/{item}", NodeKind(kind), lid, str(item), None)
        elif rel.startswith("del/"):
            add(nid, NodeKind.PART, parent, rel[4:], heading)
        elif rel.startswith("kapittel/"):
            add(nid, NodeKind.CHAPTER, parent, rel[9:], heading)
        else:
            raise error(("noder", i, "id"), f"ukjent nodetype «{rel}».")
    repealed = frozenset(f"{doc_id}/{raw['id']}" for raw in data.get("noder") or []
                         if isinstance(raw, dict) and raw.get("opphevet"))
    return Document(meta=meta, nodes=nodes), repealed
