"""TEST-ONLY reader of the third-party normalised JSON (normalisert-gjeldende-2026-05.tar.xz).

It streams the archive and yields each document's metadata and § nodes (with headings) as model
objects, so that citation resolution can be evaluated against the titles and section numbers of
all 4,151 current laws and central regulations. It is deliberately not an importer: no text,
no ledd, no references, and it is never used by the product (the importer reads Lovdata's own
XML). Section ids are built only from plain "§ N" refs; refs the normaliser had to disambiguate
("§ 2-3#kapittel-…", the same number twice in one document) are left out and counted.
"""

from __future__ import annotations

import functools
import json
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from regelsjekk.core.model import (
    DocKind,
    Document,
    DocumentMeta,
    Node,
    NodeKind,
    Origin,
)
from regelsjekk.core.paths import rules_dir, shared_lovdata_dir

ARCHIVE_NAME = "normalisert-gjeldende-2026-05.tar.xz"
_SECTION_REF = re.compile(r"^§\s*(\d+[A-Za-z]?(?:-\d+[A-Za-z]?)?)$")
_CHAPTER = re.compile(r"^Kapittel\s+(\d+\s?[A-Za-z]?|[IVXLC]+)\s*[.:]", re.IGNORECASE)


@dataclass
class NormalizedDoc:
    """One document of the normalised set, as our model objects plus what the evaluation needs."""

    document: Document
    raw_id: str  # the normaliser's id, e.g. LOV-1814-05-17-NN
    short_title: str | None  # as written, e.g. "Forvaltningsloven – fvl"
    sections: list[str] = field(default_factory=list)  # § numbers that are unique in the document
    duplicated_sections: int = 0  # § refs left out because the number occurs more than once

    @property
    def doc_id(self) -> str:
        return self.document.meta.id


def archive_path() -> Path:
    return shared_lovdata_dir() / ARCHIVE_NAME


def iter_documents(path: Path | None = None) -> Iterator[NormalizedDoc]:
    """Stream the archive (no extraction to disk) and yield one NormalizedDoc per JSON file."""
    with tarfile.open(path or archive_path(), mode="r|xz") as tar:
        for member in tar:
            if not (member.isfile() and member.name.endswith(".json")
                    and "/gjeldende-" in member.name):
                continue
            fh = tar.extractfile(member)
            if fh is None:
                continue
            yield _to_doc(json.load(fh))


def law_sections(doc_ids) -> dict[str, list[dict]]:
    """The current sections (raw JSON: provision_ref, heading, text) of the named laws, streamed
    once from the archive; for tests that compare our rules/ with the statute. pytest.skip when
    the archive is absent."""
    import pytest

    path = archive_path()
    if not path.exists():
        pytest.skip(f"mangler {path}")
    wanted = {f"lov-{d.split('/', 1)[1]}.json": d for d in doc_ids}
    found: dict[str, list[dict]] = {}
    with tarfile.open(path, mode="r|xz") as tar:
        for member in tar:
            doc_id = wanted.get(member.name.rsplit("/", 1)[-1])
            if doc_id is None or not member.isfile() or "gjeldende-lover/" not in member.name:
                continue
            fh = tar.extractfile(member)
            if fh is not None:
                found[doc_id] = json.load(fh)["sections"]
            if len(found) == len(wanted):
                break
    return found


def _to_doc(data: dict) -> NormalizedDoc:
    doc_id = data["lovdata_refid"]
    meta = DocumentMeta(
        id=doc_id, kind=DocKind(doc_id.split("/")[0]), origin=Origin.CONSOLIDATED,
        title=data["title"], title_short=data.get("short_title"),
        ministry=[data["department"]] if data.get("department") else [],
        date_in_force=data.get("date_in_force"), last_change_in_force=data.get("last_change_in_force"),
        legal_area=[data["legal_area"]] if data.get("legal_area") else [],
    )
    nodes = [Node(id=doc_id, kind=NodeKind.DOCUMENT, doc_id=doc_id, heading=meta.display_name)]
    chapters: dict[str, str] = {}
    sections: list[str] = []
    seen: set[str] = set()
    duplicated = 0
    for order, s in enumerate(data.get("sections") or [], start=1):
        ref = (s.get("provision_ref") or "").strip()
        parent = doc_id
        for step in s.get("path") or []:
            m = _CHAPTER.match(step)
            if m:
                number = re.sub(r"\s+", "", m.group(1)).upper()
                cid = f"{doc_id}/kapittel/{number}"
                if number not in chapters:
                    chapters[number] = cid
                    nodes.append(Node(id=cid, kind=NodeKind.CHAPTER, doc_id=doc_id, parent_id=doc_id,
                                      number=number, heading=step.split(".", 1)[-1].strip(),
                                      order=order))
                parent = chapters[number]
        if "#" in ref and ref.startswith("§"):
            duplicated += 1
            continue
        m = _SECTION_REF.match(ref)
        if not m:
            continue
        number = m.group(1).lower()
        if number in seen:
            duplicated += 1
            continue
        seen.add(number)
        sections.append(number)
        nodes.append(Node(id=f"{doc_id}/§{number}", kind=NodeKind.SECTION, doc_id=doc_id,
                          parent_id=parent, number=number, heading=s.get("heading"), order=order))
    return NormalizedDoc(Document(meta=meta, nodes=nodes), data.get("id", doc_id),
                         data.get("short_title"), sections, duplicated)


@dataclass
class Corpus:
    """All documents once, and a knowledge base of their titles and § headings (MemorySource)."""

    documents: list[NormalizedDoc]  # every file, including the nynorsk Grunnlov (same id)
    unique: dict[str, NormalizedDoc]  # by doc id; the bokmål version wins a shared id
    kb: object


@functools.lru_cache(maxsize=1)
def load_corpus() -> Corpus:
    """Read the archive once per process (about 5 s) and build the knowledge base over it."""
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.kb.sources import MemorySource
    from regelsjekk.rules.rulebook import load_rulebook

    docs = list(iter_documents())
    unique: dict[str, NormalizedDoc] = {}
    for d in sorted(docs, key=lambda d: d.raw_id.upper().endswith("-NN")):
        unique.setdefault(d.doc_id, d)
    kb = KnowledgeBase([MemorySource([d.document for d in unique.values()])],
                       load_rulebook(rules_dir()))
    return Corpus(docs, unique, kb)
