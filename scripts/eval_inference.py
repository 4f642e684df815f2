#!/usr/bin/env python3
"""Measure inference (rules/inferens.yaml) against curation (rules/lover/*.yaml).

For every § of a curated law that has curated tags (directly, inherited, or on one of its ledd),
run the patterns on the § text from the normalised JSON and compare: per tag precision and
recall, and recall of "any blocking tag" (rights, duties, case processing, penalties, charges,
superior law), since missing a right is the expensive mistake. The ground truth of a § is the
union of the curated tags effective on it and on its descendants (the § text contains them all).

Usage::

    python scripts/eval_inference.py                  # § text (as after an import)
    python scripts/eval_inference.py --overskrift     # headings and summaries only (built-in)
    python scripts/eval_inference.py --json
    python scripts/eval_inference.py --vis-bom individuell_rettighet   # list the misses
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from struktur import default_source, iter_documents, section_number  # noqa: E402

from regelsjekk.core.model import NodeKind, Tag  # noqa: E402
from regelsjekk.kb.knowledge import KnowledgeBase  # noqa: E402

BLOCKING_EFFECTS = {"blokkert", "betinget", "utenfor"}
PERMISSIVE_EFFECTS = {"tillatt"}


def ground_truth(kb: KnowledgeBase, section_id: str) -> set[Tag]:
    """Curated tags effective on the § and on any descendant with entries of its own."""
    rb = kb.rulebook
    tags = {t.tag for t in rb.curated_tags(section_id, kb)}
    stack = list(kb.children(section_id))
    while stack:
        node = stack.pop()
        if node.id in rb.curated:
            tags |= {a.tag for a in rb.curated[node.id]}
        stack.extend(kb.children(node.id))
    return tags


def evaluate(kb: KnowledgeBase, texts: dict[str, str], headings_only: bool,
             min_confidence: str = "lav") -> dict:
    rb = kb.rulebook
    assert rb is not None and rb.inferencer is not None
    blocking = {t for t, d in rb.tag_definitions().items() if d.effect in BLOCKING_EFFECTS}
    permissive = {t for t, d in rb.tag_definitions().items() if d.effect in PERMISSIVE_EFFECTS}
    tp: Counter[Tag] = Counter()
    fp: Counter[Tag] = Counter()
    fn: Counter[Tag] = Counter()
    misses: dict[str, list[str]] = {t.value: [] for t in Tag}
    block = Counter()
    sections = 0
    for law in rb.laws:
        doc = law.file.dokument
        for node in kb.nodes_of(doc):
            if node.kind != NodeKind.SECTION or node.id not in texts and not headings_only:
                continue
            truth = ground_truth(kb, node.id)
            if not truth:
                continue  # uavklart: nothing to compare with
            sections += 1
            if headings_only:
                text = " ".join(filter(None, (node.heading, node.summary)))
            else:
                text = texts[node.id]
            hits = rb.inferencer.infer(text, doc) if text else []
            got = {h.tag for h in hits if min_confidence == "lav" or h.confidence == "middels"}
            for tag in truth & got:
                tp[tag] += 1
            for tag in got - truth:
                fp[tag] += 1
            for tag in truth - got:
                fn[tag] += 1
                misses[tag.value].append(node.id)
            if truth & blocking:
                block["relevant"] += 1
                block["found"] += bool(got & blocking)
            if got & blocking:
                block["flagged"] += 1
                block["correct"] += bool(truth & blocking)
            if got & permissive and not got & blocking:
                block["only_permissive"] += 1
                block["dangerous"] += bool(truth & blocking)
            if not truth & blocking:
                block["harmless"] += 1
                block["false_alarm"] += bool(got & blocking)
    per_tag = {}
    for tag in Tag:
        t, p, n = tp[tag], fp[tag], fn[tag]
        if t + p + n == 0:
            continue
        per_tag[tag.value] = {
            "kuratert": t + n, "utledet": t + p, "riktige": t,
            "presisjon": round(t / (t + p), 3) if t + p else None,
            "treff": round(t / (t + n), 3) if t + n else None,
        }
    return {
        "paragrafer": sections,
        "kilde": "overskrifter" if headings_only else "lovtekst",
        "per_tag": per_tag,
        "blokkerende": {
            "treff": round(block["found"] / block["relevant"], 3) if block["relevant"] else None,
            "presisjon": round(block["correct"] / block["flagged"], 3) if block["flagged"] else None,
            "relevante": block["relevant"],
            "falske_alarmer": block["false_alarm"],
            "uten_blokkerende": block["harmless"],
            "bare_tillatt_hint": block["only_permissive"],
            "farlige_hint": block["dangerous"],
        },
        "bom": misses,
    }


def load_texts(kb: KnowledgeBase, source: Path) -> dict[str, str]:
    """§ id -> heading + text from the normalised JSON, for the curated laws."""
    wanted = {law.file.dokument for law in kb.rulebook.laws}
    texts: dict[str, str] = {}
    for doc in iter_documents(source, wanted):
        for sec in doc["sections"]:
            number = section_number(sec.get("provision_ref"))
            if number:
                sid = f"{doc['lovdata_refid']}/§{number}"
                texts.setdefault(sid, "\n".join(filter(None, (sec.get("heading"), sec.get("text")))))
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kilde", type=Path, help="normalisert arkiv eller mappe")
    parser.add_argument("--regler", type=Path, default=REPO / "rules")
    parser.add_argument("--overskrift", action="store_true", help="bare overskrifter/sammendrag")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--vis-bom", metavar="TAGG", help="list §§ der taggen ble oversett")
    parser.add_argument("--bare-middels", action="store_true",
                        help="tell bare hint med sikkerhet middels (ikke lav)")
    args = parser.parse_args(argv)
    kb = KnowledgeBase.builtin(args.regler)
    texts = {} if args.overskrift else load_texts(kb, args.kilde or default_source())
    result = evaluate(kb, texts, args.overskrift, "middels" if args.bare_middels else "lav")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    if args.vis_bom:
        for nid in result["bom"].get(args.vis_bom, []):
            print(nid, "|", (kb.node(nid).heading or "") if kb.node(nid) else "")
        return 0
    print(f"Utledning mot kuratering: {result['paragrafer']} §§ med kuraterte tagger "
          f"({result['kilde']}{', bare middels' if args.bare_middels else ''})\n")
    print(f"{'tagg':32} {'kuratert':>8} {'utledet':>8} {'riktige':>8} {'presisjon':>9} {'treff':>6}")
    for tag, row in sorted(result["per_tag"].items()):
        fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"{tag:32} {row['kuratert']:8} {row['utledet']:8} {row['riktige']:8} "
              f"{fmt(row['presisjon']):>9} {fmt(row['treff']):>6}")
    b = result["blokkerende"]
    print(f"\nMinst én blokkerende tagg (rettighet, plikt, saksbehandling, straff, avgift, "
          f"overordnet rett, privat atferd): treff {b['treff']}, presisjon {b['presisjon']} "
          f"({b['relevante']} §§)")
    print(f"Falske alarmer: {b['falske_alarmer']} av {b['uten_blokkerende']} §§ uten blokkerende "
          "kuratert tagg fikk likevel et blokkerende hint.")
    print(f"Farlige hint: {b['farlige_hint']} av {b['bare_tillatt_hint']} §§ med bare "
          "§ 3-hint (tillatt) har en blokkerende kuratert tagg.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
