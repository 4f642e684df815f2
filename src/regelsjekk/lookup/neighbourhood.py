"""A provision's neighbourhood in the statute book: one list of edges, drawn and given as JSON.

``neighbourhood(kb, node_id)`` collects, around one provision:
  - what it is part of (chapter, part, document) and what it contains (ledd, §§), from
    ``kb.parent``/``kb.children`` so that ledd are included;
  - the knowledge base's graph edges at the provision (or at its § when it is a ledd) and, for the
    kinds that concern a whole document (hjemmel, repeal, successor), at its document:
    references in and out, regulations made under it, the law a regulation is made under,
    amendments, repeals and successors (``kb.graph``, edge attribute ``kind``);
  - the trial authorities that cover it: sector trial provisions from rules/hjemler.yaml (the
    checker's own rule, ``check.cache.KbCache.covering_authorities``) and forsøksloven § 3 where
    the provision's tags allow an exemption and none blocks it.
Every group is capped (``CAP``); what is left out is counted. ``notes`` say in words what the
picture lacks and why (no import, the document not in the import, no trial authority).

``to_dot`` draws exactly ``hood.edges`` (plus one "+N flere" box per capped group); the lookup's
JSON (``regelsjekk slå-opp --json``) carries the same ``Neighbourhood``: the edges are computed once.
Labels come from imported titles and headings: ``dot_quote`` makes each a DOT string that the
renderer cannot read as anything but text (quoted, never an HTML-like ``<…>`` label).
"""

from __future__ import annotations

import itertools
import textwrap
from typing import TYPE_CHECKING

from pydantic import Field

from regelsjekk.core import ids
from regelsjekk.core.model import Model, NodeKind, Origin, TagEffect

if TYPE_CHECKING:
    from collections.abc import Callable

    import networkx as nx

    from regelsjekk.kb.knowledge import KnowledgeBase

CAP = 8  # nodes per group in the picture and the JSON; the rest is counted in `omitted`
CONTAINS = "inneholder"
TRIAL = "forsokshjemmel"
FORSOKSLOVEN = "lov/1992-06-26-87"

# One label per edge kind, read in the direction of the edge (fra → til). Kinds the graph gains
# later are drawn with their own name until they get a label here.
EDGE_LABELS: dict[str, str] = {
    CONTAINS: "inneholder",
    "viser_til": "viser til",
    "hjemmel": "hjemmel i",
    "endrer": "endrer",
    "opphever": "opphever",
    "erstattet_av": "erstattet av",
    TRIAL: "forsøkshjemmel for",
}
# Kinds taken from the document as well when the provision lies inside it: they concern the
# whole document (a regulation's hjemmel, a repeal of the law, the law that replaced it).
DOCUMENT_KINDS = {("hjemmel", "ut"), ("opphever", "inn"), ("erstattet_av", "ut"),
                  ("erstattet_av", "inn")}
# Order of the groups (also the order of the edges in the JSON).
GROUP_ORDER = [CONTAINS, TRIAL, "hjemmel", "viser_til", "erstattet_av", "opphever", "endrer"]

NOTE_NO_IMPORT = ("Henvisninger, forskrifter og endringer vises når lovteksten er importert "
                  "(regelsjekk import).")
NOTE_DOC_NOT_IMPORTED = ("Den gjeldende teksten til {law} er ikke med i importen: henvisninger "
                         "til og fra vises når den er importert.")
NOTE_NO_REFS = "Ingen henvisninger til eller fra bestemmelsen i den importerte teksten."
NOTE_NO_TRIAL = "Ingen forsøkshjemmel i regelverket dekker bestemmelsen."
NOTE_BLOCKED = ("Forsøksloven § 3 er ikke tegnet inn: merkingen viser en grense i forsøksloven § 4 "
                "eller overordnet rett.")
NOTE_OMITTED = "Viser høyst {cap} i hver gruppe; resten er telt i boksene «+N flere»."


def edge_label(kind: str) -> str:
    return EDGE_LABELS.get(kind, kind.replace("_", " "))


class HoodEdge(Model):
    """One edge of the picture: `fra` → `til`, of graph kind `type`, read as `etikett`."""

    fra: str
    til: str
    type: str
    etikett: str


class HoodNode(Model):
    id: str
    label: str = Field(description="Plain text (escaped only when drawn)")
    role: str = Field(description="sentrum | over | under | henvisning | forskrift | "
                                  "forsokshjemmel | tid | annen")


class Omitted(Model):
    """A capped group: `antall` more edges of `type` into (`inn`) or out of (`ut`) node `ved`."""

    type: str
    retning: str
    ved: str
    antall: int


class Neighbourhood(Model):
    centre: str
    nodes: list[HoodNode] = []
    edges: list[HoodEdge] = []
    omitted: list[Omitted] = []
    notes: list[str] = []


# -- collecting ------------------------------------------------------------------------------


def neighbourhood(kb: KnowledgeBase, node_id: str, cap: int = CAP) -> Neighbourhood:
    """Everything around one provision, each group capped at `cap`, in a stable order."""
    hood = Neighbourhood(centre=node_id)
    doc = ids.doc_of(node_id)
    labels = _Labels(kb, doc)
    roles: dict[str, str] = {node_id: "sentrum"}
    groups: dict[tuple[str, str, str], list[HoodEdge]] = {}
    seen: set[tuple[str, ...]] = set()

    def add(fra: str, til: str, kind: str, direction: str, role: str) -> None:
        if fra == til or (fra, til, kind) in seen or (kind == TRIAL and (fra, kind) in seen):
            return  # one edge per pair and kind; a trial authority once (its nearest target)
        seen.update({(fra, til, kind), (fra, kind)})
        at = til if direction == "inn" else fra
        groups.setdefault((kind, direction, at), []).append(
            HoodEdge(fra=fra, til=til, type=kind, etikett=edge_label(kind)))
        for end in (fra, til):
            roles.setdefault(end, role)

    # what it is part of: the whole chain up to the document, never capped (a handful)
    chain = [*(a.id for a in reversed(kb.ancestors(node_id))), node_id]  # document first
    for parent, child in itertools.pairwise(chain):
        add(parent, child, CONTAINS, "inn", "over")
    # what it contains
    for child in kb.children(node_id):
        add(node_id, child.id, CONTAINS, "ut", "under")

    # trial authorities: the sector laws' own, and forsøksloven § 3 where the tags allow it
    trial_notes = _trial_authorities(kb, node_id, add)

    # the graph: edges at the provision's structural node (its § for a ledd) and at its document
    from regelsjekk.kb.graph import (
        structural_id,  # networkx: only when a picture is asked for
    )

    anchor = structural_id(node_id)
    graph = kb.graph
    for kind, direction, fra, til in _graph_edges(graph, anchor):
        add(fra, til, kind, direction, _role(kind, direction))
    if doc != anchor:
        for kind, direction, fra, til in _graph_edges(graph, doc):
            if (kind, direction) in DOCUMENT_KINDS:
                add(fra, til, kind, direction, _role(kind, direction))

    # order and cap
    order = {k: i for i, k in enumerate(GROUP_ORDER)}
    for key in sorted(groups, key=lambda g: (order.get(g[0], len(order)), g[0], g[1] != "inn")):
        kind, direction, at = key
        edges = groups[key]
        if (kind != CONTAINS or direction == "ut") and len(edges) > cap:
            hood.omitted.append(Omitted(type=kind, retning=direction, ved=at,
                                        antall=len(edges) - cap))
            edges = edges[:cap]
        hood.edges.extend(edges)
    shown = {node_id} | {e.fra for e in hood.edges} | {e.til for e in hood.edges}
    hood.nodes = [HoodNode(id=n, label=labels(n), role=roles.get(n, "annen"))
                  for n in roles if n in shown]
    hood.notes = _notes(kb, node_id, hood, trial_notes, cap)
    return hood


def _graph_edges(graph: nx.DiGraph, node: str) -> list[tuple[str, str, str, str]]:
    """(kind, direction, fra, til) of every non-structural edge at `node`, sorted within a kind.
    The only place this module reads networkx."""
    if node not in graph:
        return []
    out = [(k, "ut", node, v) for _, v, k in graph.out_edges(node, data="kind") if k != CONTAINS]
    out += [(k, "inn", u, node) for u, _, k in graph.in_edges(node, data="kind") if k != CONTAINS]
    return sorted(out)


def _role(kind: str, direction: str) -> str:
    if kind == "hjemmel":
        return "forskrift" if direction == "inn" else "henvisning"
    if kind == TRIAL:
        return "forsokshjemmel"
    if kind in ("opphever", "erstattet_av"):
        return "tid"
    return "henvisning"


def _trial_authorities(kb: KnowledgeBase, node_id: str, add: Callable[..., None]) -> list[str]:
    """Add trial-authority edges (authority → provision); return notes on what was not drawn."""
    if kb.rulebook is None or ids.doc_of(node_id) == FORSOKSLOVEN:
        return []
    from regelsjekk.check.cache import cache_for

    cache = cache_for(kb)
    found = False
    for authority in cache.covering_authorities(node_id):
        add(authority.provision, node_id, TRIAL, "inn", "forsokshjemmel")
        found = True
    allowing, blocked = [], False
    # a chapter or § is never more open than its parts (the checker's rule): their limits count
    for tag in [*cache.tags(node_id), *cache.part_tags(node_id)]:
        definition = cache.tagdef(tag.tag)
        if definition is None:
            continue
        if definition.effect == TagEffect.TILLATT:
            allowing.append(definition.ground_or_limit)
        elif definition.effect in (TagEffect.BLOKKERT, TagEffect.UTENFOR):
            blocked = True
    if allowing and not blocked:
        for ground in dict.fromkeys(allowing):
            add(ground, node_id, TRIAL, "inn", "forsokshjemmel")
            found = True
    notes = []
    if blocked:
        notes.append(NOTE_BLOCKED)
    elif not found:
        notes.append(NOTE_NO_TRIAL)
    return notes


def _notes(kb: KnowledgeBase, node_id: str, hood: Neighbourhood, trial_notes: list[str],
           cap: int) -> list[str]:
    notes: list[str] = []
    meta = kb.document(ids.doc_of(node_id))
    kinds = {e.type for e in hood.edges}
    if not getattr(kb, "has_import", False):
        notes.append(NOTE_NO_IMPORT)
    elif meta is not None and meta.origin == Origin.BUILTIN:
        notes.append(NOTE_DOC_NOT_IMPORTED.format(law=meta.display_name.split(" – ")[0]))
    elif "viser_til" not in kinds:
        notes.append(NOTE_NO_REFS)
    notes.extend(trial_notes)
    if hood.omitted:
        notes.append(NOTE_OMITTED.format(cap=cap))
    return notes


class _Labels:
    """Short plain-text labels: the law's name only for nodes outside the provision's document."""

    def __init__(self, kb: KnowledgeBase, home_doc: str) -> None:
        self.kb = kb
        self.home = home_doc
        self.heading = None
        if kb.rulebook is not None:
            from regelsjekk.check.cache import cache_for

            self.heading = cache_for(kb).heading  # headings without Lovdata's "(…)." wrapping

    def __call__(self, node_id: str) -> str:
        doc = ids.doc_of(node_id)
        meta = self.kb.document(doc)
        if meta is not None:
            law = meta.display_name.split(" – ")[0]
        else:
            from regelsjekk.refs import format_citation

            try:
                law = format_citation(doc, self.kb)
            except ValueError:  # an id outside the scheme (InvalidId): show it as it is
                return node_id
        law = law[:1].upper() + law[1:]
        if node_id == doc:
            return law
        try:
            where = ids.human_label(node_id) or node_id
        except ids.InvalidId:
            where = node_id
        node = self.kb.node(node_id)
        heading = None
        if node is not None and node.kind in (NodeKind.PART, NodeKind.CHAPTER, NodeKind.SECTION):
            heading = self.heading(node_id) if self.heading else node.heading
        text = where if doc == self.home else f"{law} {where}"
        return f"{text} – {heading}" if heading else text


# -- drawing ---------------------------------------------------------------------------------

_FILL = {"sentrum": "#ffe8a3", "over": "#e8ecf4", "under": "#ffffff", "henvisning": "#f4f6fb",
         "forskrift": "#dff3e4", "forsokshjemmel": "#fde2cf", "tid": "#f9d6d5", "annen": "#f4f6fb"}
_EDGE_STYLE = {CONTAINS: 'style=dashed, color="#8a94a6", fontcolor="#5b6475"',
               TRIAL: 'color="#c2571a", fontcolor="#c2571a", penwidth=1.6',
               "opphever": 'color="#b42318", fontcolor="#b42318"',
               "erstattet_av": 'color="#b42318", fontcolor="#b42318", style=dashed'}
LABEL_WIDTH = 30  # characters per line in a box
LABEL_LINES = 3


def dot_quote(text: str) -> str:
    """`text` as one quoted DOT string, shown as plain text by Graphviz.

    Control characters (newlines too) become spaces; backslashes and double quotes are escaped,
    so no escape sequence (\\N, \\G, \\l …) and no end of string can come from the text; `&` is
    written as an entity so that Graphviz shows "&lt;" literally instead of decoding it. Always
    quoted, never an HTML-like label, so `<`…`>` stays text. Long text is wrapped (the only
    escape sequences in the result are the line breaks added here) and cut with "…"; cutting
    happens before escaping, so an escape is never split.
    """
    plain = "".join(" " if (ord(c) < 32 or ord(c) == 127 or c in "\u2028\u2029") else c for c in text)
    lines = textwrap.wrap(" ".join(plain.split()), LABEL_WIDTH, break_long_words=True,
                          break_on_hyphens=False) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][:LABEL_WIDTH - 1].rstrip() + "…"
    escaped = [ln.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"') for ln in lines]
    return '"' + "\\n".join(escaped) + '"'


def to_dot(hood: Neighbourhood) -> str:
    """The neighbourhood as Graphviz DOT: the edges of `hood.edges`, nothing more, plus one
    dotted "+N flere" box per capped group."""
    lines = ["digraph nabolag {",
             '  rankdir=LR; nodesep=0.15; ranksep=0.5;',
             ('  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", '
              'fontname="Helvetica", fontsize=10, margin="0.12,0.05"];'),
             '  edge [fontname="Helvetica", fontsize=9];']
    names: dict[str, str] = {}
    for i, node in enumerate(hood.nodes):
        names[node.id] = f"n{i}"
        extra = ', penwidth=2' if node.role == "sentrum" else ""
        lines.append(f'  n{i} [label={dot_quote(node.label)}, '
                     f'fillcolor="{_FILL.get(node.role, _FILL["annen"])}"{extra}];')
    for edge in hood.edges:
        style = _EDGE_STYLE.get(edge.type, "")
        lines.append(f"  {names[edge.fra]} -> {names[edge.til]} [label={dot_quote(edge.etikett)}"
                     + (f", {style}" if style else "") + "];")
    for i, gap in enumerate(hood.omitted):
        box, at = f"m{i}", names[gap.ved]
        lines.append(f'  {box} [label={dot_quote(f"+{gap.antall} flere")}, style="rounded,dashed", '
                     'fillcolor="#ffffff"];')
        edge = f"{box} -> {at}" if gap.retning == "inn" else f"{at} -> {box}"
        lines.append(f"  {edge} [label={dot_quote(edge_label(gap.type))}, style=dotted];")
    lines.append("}")
    return "\n".join(lines)
