#!/usr/bin/env python3
"""Generate rules/struktur/*.yaml: the built-in structure of the laws and forskrifter in LISTE.yaml.

The built-in knowledge base must work on a fresh machine without any import, so it carries the
structure of the laws a municipality meets most: parts, chapters, §§ with their headings, and the
number of ledd in each §. It never carries statute text. The source is the normalised JSON of all
current laws (``normalisert-gjeldende-2026-05.tar.xz``, read as a stream, or an extracted folder).

Usage::

    python scripts/struktur.py                       # the shared archive (paths.shared_lovdata_dir)
    python scripts/struktur.py --kilde /some/folder  # a folder with data/normalized/... or *.json
    python scripts/struktur.py --sjekk               # exit 1 if the files on disk are out of date

The normalised text separates ledd with a newline but runs list items together, so bokstav and
nummer nodes are only created where LISTE.yaml names them (checked by hand against the text).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
STRUKTUR = REPO / "rules" / "struktur"
ARCHIVE_NAME = "normalisert-gjeldende-2026-05.tar.xz"

ORDINAL_PARTS = {
    "første": 1, "fyrste": 1, "andre": 2, "annen": 2, "tredje": 3, "fjerde": 4, "femte": 5,
    "sjette": 6, "syvende": 7, "sjuende": 7, "sjuande": 7, "åttende": 8, "åttande": 8,
    "niende": 9, "niande": 9, "tiende": 10, "tiande": 10,
}
_PART_ORDINAL = re.compile(r"^(\w+)\s+del\b\s*[.:–-]?\s*(.*)$", re.IGNORECASE)
_PART_NUMBERED = re.compile(r"^Del\s+([IVXLC]+|\d+)\b\s*[.:–-]?\s*(.*)$")
_CHAPTER = re.compile(r"^(?:Kapittel|Kapitel|KAPITTEL|Kap\.?)\s+([0-9]+\s?[A-Za-z]?|[IVXLC]+\s?[A-Za-z]?)"
                      r"(?=[\s.:–-]|$)\s*[.:–-]?\s*(.*)$")
_SECTION_REF = re.compile(r"^§\s*(\d+(?:\s?[a-z])?(?:-\d+(?:\s?[a-z])?)?)$")
REPEALED = {"– – –", "- - -", "---", "(Opphevet)", "Opphevet"}


def parse_part(label: str) -> tuple[str, str] | None:
    """'Første del. Generelle bestemmelser' -> ('1', 'Generelle bestemmelser')."""
    m = _PART_ORDINAL.match(label.strip())
    if m and m.group(1).lower() in ORDINAL_PARTS:
        return str(ORDINAL_PARTS[m.group(1).lower()]), m.group(2).strip()
    m = _PART_NUMBERED.match(label.strip())
    if m:
        return m.group(1), m.group(2).strip()
    return None


def parse_chapter(label: str) -> tuple[str, str] | None:
    """'Kapittel 19. Interkommunale politiske råd' -> ('19', …); printed numbers kept (2A, IV)."""
    m = _CHAPTER.match(label.strip())
    if not m:
        return None
    return m.group(1).replace(" ", ""), m.group(2).strip()


def section_number(ref: str | None) -> str | None:
    m = _SECTION_REF.match((ref or "").strip())
    return m.group(1).replace(" ", "") if m else None


def short_title(raw: str | None) -> tuple[str | None, str | None]:
    """'Forvaltningsloven – fvl' -> ('Forvaltningsloven', 'fvl')."""
    if not raw:
        return None, None
    if " – " in raw:
        name, abbr = raw.split(" – ", 1)
        return name.strip(), abbr.strip()
    return raw.strip(), None


def build(doc: dict, entry: dict) -> tuple[dict, list[str]]:
    """One law's structure as the YAML-ready mapping, and warnings about what was skipped."""
    warnings: list[str] = []
    doc_id = doc["lovdata_refid"]
    name, abbr = short_title(doc.get("short_title"))
    meta = {
        "id": doc_id,
        "tittel": doc.get("title"),
        "korttittel": name,
        "forkortelse": abbr,
        "departement": [d.strip() for d in (doc.get("department") or "").split(",") if d.strip()],
        "ikrafttredelse": doc.get("date_in_force"),
        "sist_endret": doc.get("last_change_in_force"),
        "sist_endret_ved": doc.get("last_changed_by"),
        "rettsomrade": [a.strip() for a in (doc.get("legal_area") or "").split(";") if a.strip()],
        "kilde": f"{doc.get('source_dataset')}/{doc.get('archive_last_modified', '')[:10]}",
    }
    nodes: list[dict] = []
    seen: set[str] = set()
    headings: dict[str, str] = {}
    for sec in doc["sections"]:
        parent: str | None = None
        for label in sec.get("path") or []:
            part = parse_part(label)
            chapter = None if part else parse_chapter(label)
            if part:
                nid, heading = f"del/{part[0]}", part[1]
            elif chapter:
                nid, heading = f"kapittel/{chapter[0]}", chapter[1]
            else:
                continue  # sub-headings inside chapters ("I. Alminnelige bestemmelser") have no id
            if nid in seen and headings.get(nid) != heading:
                warnings.append(f"{doc_id}: {nid} har to overskrifter: «{headings[nid]}» og «{heading}»")
            if nid not in seen:
                seen.add(nid)
                headings[nid] = heading
                node = {"id": nid, "tittel": heading}
                if parent:
                    node["under"] = parent
                nodes.append(node)
            parent = nid
        number = section_number(sec.get("provision_ref"))
        if number is None:
            warnings.append(f"{doc_id}: hoppet over «{sec.get('provision_ref')}» (ikke en §)")
            continue
        sid = f"§{number}"
        if sid in seen:
            warnings.append(f"{doc_id}: § {number} finnes to ganger; beholdt den første")
            continue
        seen.add(sid)
        text = (sec.get("text") or "").strip()
        node = {"id": sid, "tittel": (sec.get("heading") or "").strip() or None}
        if parent:
            node["under"] = parent
        if text in REPEALED or not text:
            node["opphevet"] = True
        else:
            node["ledd"] = sum(1 for p in text.split("\n") if p.strip())
        nodes.append(node)
    for parent_rel, letters in (entry.get("bokstaver") or {}).items():
        section = parent_rel.split("/")[0]
        ledd = re.search(r"/ledd/(\d+)$", parent_rel)
        match = next((n for n in nodes if n["id"] == section), None)
        if match is None or ledd is None or int(ledd.group(1)) > match.get("ledd", 0):
            warnings.append(f"{doc_id}: LISTE.yaml nevner {parent_rel}, som ikke finnes")
            continue
        kind = "bokstav" if str(letters[0]).isalpha() else "nummer"
        match.setdefault("punkter", {})[f"ledd/{ledd.group(1)}"] = {kind: [str(x) for x in letters]}
    return {"dokument": meta, "noder": nodes}, warnings


def file_name(doc_id: str) -> str:
    return doc_id.replace("/", "_") + ".yaml"


def render(data: dict) -> str:
    """Stable YAML: the metadata block, then one flow mapping per node (small diffs, fast load)."""
    head = ("# Generert av scripts/struktur.py fra Lovdatas normaliserte JSON (NLOD 2.0).\n"
            "# Ikke rediger for hånd: bare titler, overskrifter og nummer, aldri lovtekst.\n")
    meta = yaml.safe_dump({"dokument": data["dokument"]}, allow_unicode=True, sort_keys=False,
                          width=120)
    lines = [head, meta, "noder:\n"]
    for node in data["noder"]:
        lines.append("  - " + json.dumps(node, ensure_ascii=False) + "\n")
    return "".join(lines)


def iter_documents(source: Path, wanted: set[str]) -> Iterator[dict]:
    """Normalised JSON documents whose refid is wanted, from a .tar.xz (streamed) or a folder."""
    names = {_json_name(d) for d in wanted}
    datasets = ("gjeldende-lover/", "gjeldende-sentrale-forskrifter/")
    if source.is_file():
        with tarfile.open(source, "r|*") as tar:
            for member in tar:
                base = member.name.rsplit("/", 1)[-1]
                if member.isfile() and any(d in member.name for d in datasets) and base in names:
                    fh = tar.extractfile(member)
                    if fh is not None:
                        yield json.load(fh)
        return
    for pattern in ("lov-*.json", "for-*.json"):
        for path in source.rglob(pattern):
            if path.name in names:
                yield json.loads(path.read_text(encoding="utf-8"))


def _json_name(doc_id: str) -> str:
    """lov/2018-06-22-83 -> lov-2018-06-22-83.json; forskrift/2010-03-26-488 -> for-….json."""
    kind, rest = doc_id.split("/", 1)
    return ("lov-" if kind == "lov" else "for-") + rest + ".json"


def default_source() -> Path:
    sys.path.insert(0, str(REPO / "src"))
    from regelsjekk.core.paths import shared_lovdata_dir

    return shared_lovdata_dir() / ARCHIVE_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kilde", type=Path, help=f"{ARCHIVE_NAME} eller en mappe med JSON-filene")
    parser.add_argument("--ut", type=Path, default=STRUKTUR, help="målmappe (standard rules/struktur)")
    parser.add_argument("--sjekk", action="store_true", help="bare sjekk at filene er oppdatert")
    args = parser.parse_args(argv)
    source = args.kilde or default_source()
    if not source.exists():
        print(f"Fant ikke kilden {source}. Tips: oppgi arkivet eller mappen med --kilde, "
              "eller sett REGELSJEKK_LOVDATA.", file=sys.stderr)
        return 3
    entries = {e["id"]: e for e in yaml.safe_load((STRUKTUR / "LISTE.yaml").read_text())["dokumenter"]}
    found: set[str] = set()
    stale: list[str] = []
    for doc in iter_documents(source, set(entries)):
        doc_id = doc["lovdata_refid"]
        found.add(doc_id)
        data, warnings = build(doc, entries[doc_id])
        for w in warnings:
            print("advarsel:", w, file=sys.stderr)
        text = render(data)
        target = args.ut / file_name(doc_id)
        if args.sjekk:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(str(target))
            continue
        args.ut.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: "
              f"{sum(1 for n in data['noder'] if n['id'].startswith('§'))} §§")
    missing = sorted(set(entries) - found)
    for doc_id in missing:
        print(f"feil: {doc_id} finnes ikke i {source}", file=sys.stderr)
    for path in stale:
        print(f"utdatert: {path}", file=sys.stderr)
    return 1 if missing or stale else 0


if __name__ == "__main__":
    sys.exit(main())
