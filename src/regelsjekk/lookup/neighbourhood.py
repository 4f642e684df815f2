"""A provision's neighbourhood as a small graph: parent chapter, references in and out, hjemmel.

Returned as Graphviz DOT text (the app draws it with st.graphviz_chart). Labels come from imported
headings and titles, so every label is escaped for DOT; nothing is interpreted as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from regelsjekk.core.ids import doc_of, human_label
from regelsjekk.core.model import RefKind
from regelsjekk.kb.knowledge import KnowledgeBase


@dataclass
class Neighbourhood:
    centre: str
    parents: list[str] = field(default_factory=list)
    refs_out: list[str] = field(default_factory=list)
    refs_in: list[str] = field(default_factory=list)
    regulations: list[str] = field(default_factory=list)
    hjemmel: list[str] = field(default_factory=list)


def neighbourhood(kb: KnowledgeBase, node_id: str, limit: int = 12) -> Neighbourhood:
    """Collect the nodes around one provision (each list capped at `limit`, in a stable order)."""
    hood = Neighbourhood(node_id)
    parent = kb.parent(node_id)
    if parent is not None:
        hood.parents.append(parent.id)
    out = sorted({r.target for r in kb.references_from(node_id) if r.kind == RefKind.CITES} - {node_id})
    hood.refs_out = out[:limit]
    incoming = kb.references_to(node_id)
    hood.refs_in = sorted({r.source for r in incoming if r.kind == RefKind.CITES} - {node_id})[:limit]
    hood.regulations = sorted({doc_of(r.source) for r in incoming if r.kind == RefKind.HJEMMEL})[:limit]
    doc = kb.document(doc_of(node_id))
    if doc is not None and doc.based_on and node_id == doc.id:
        hood.hjemmel = sorted(doc.based_on)[:limit]
    return hood


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")[:80]


def label_for(kb: KnowledgeBase, node_id: str) -> str:
    meta = kb.document(doc_of(node_id))
    law = meta.display_name.split(" – ")[0] if meta else doc_of(node_id)
    if node_id == doc_of(node_id):
        return law
    node = kb.node(node_id)
    heading = f" – {node.heading}" if node is not None and node.heading else ""
    try:
        where = human_label(node_id)
    except ValueError:
        where = node_id
    return f"{law} {where}{heading}"


def to_dot(kb: KnowledgeBase, hood: Neighbourhood) -> str:
    lines = ["digraph nabolag {", '  rankdir=LR; node [shape=box, style="rounded,filled", '
             'fillcolor="#f4f6fb", fontname="Helvetica", fontsize=10];']
    names: dict[str, str] = {}

    def node(node_id: str, **attrs: str) -> str:
        if node_id not in names:
            names[node_id] = f"n{len(names)}"
            extra = "".join(f', {k}="{v}"' for k, v in attrs.items())
            label = _dot_escape(label_for(kb, node_id))
            lines.append(f'  {names[node_id]} [label="{label}"{extra}];')
        return names[node_id]

    centre = node(hood.centre, fillcolor="#ffe8a3", penwidth="2")
    for p in hood.parents:
        lines.append(f'  {node(p)} -> {centre} [label="del av", style=dashed];')
    for t in hood.refs_out:
        lines.append(f'  {centre} -> {node(t)} [label="viser til"];')
    for s in hood.refs_in:
        lines.append(f'  {node(s)} -> {centre} [label="viser til"];')
    for r in hood.regulations:
        lines.append(f'  {node(r, fillcolor="#dff3e4")} -> {centre} [label="hjemmel i"];')
    for h in hood.hjemmel:
        lines.append(f'  {centre} -> {node(h)} [label="hjemmel i"];')
    lines.append("}")
    return "\n".join(lines)
