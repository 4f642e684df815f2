"""Look a provision up by citation: what guidance staff need in the middle of a counselling session.

``lookup(text, kb)`` resolves the citation and gathers, per provision: id, citation, heading, our
summary, the statute text when imported, tags with their provenance, the lovdata.no link,
references in and out, regulations made under it, and (on request) its neighbourhood in the
statute book (lookup.neighbourhood: the edges the app draws and `slå-opp --json` prints). The CLI
(`regelsjekk slå-opp`) and the app's Oppslag page both call this one function and only render its
result.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from regelsjekk.core import ids
from regelsjekk.core.model import Model, Node, NodeKind, Reference
from regelsjekk.lookup.neighbourhood import Neighbourhood, neighbourhood
from regelsjekk.refs import Resolution, format_citation, resolve_citation
from regelsjekk.refs.index import title_index
from regelsjekk.refs.resolve import status_note

MAX_REFERENCES = 60  # per direction; a § of folketrygdloven can be cited thousands of times
IMPORT_TEXT_HINT = "Lovteksten er ikke importert. Kjør `regelsjekk import` for å se teksten her."
IMPORT_MORE_HINT = ("Lovteksten til dette dokumentet er ikke med i importen. Importer alle gjeldende "
                    "lover og forskrifter med `regelsjekk import` for å se teksten her.")


class TagView(Model):
    tag: str
    label: str | None = None
    effect: str | None = None
    source: str  # kuratert | utledet
    confidence: str
    rationale: str
    inherited_from: str | None = None
    rule: str | None = Field(None, description="Where in rules/ (file:line (key)) or the pattern")
    pattern: str | None = None


class RefView(Model):
    node_id: str  # the other end of the reference
    citation: str
    kind: str
    text: str | None = None
    in_kb: bool


class ChildView(Model):
    id: str
    label: str
    heading: str | None = None


class NoteView(Model):
    """A note kept apart from the statute text: change history, a footnote, a correction."""

    node_id: str = Field(description="The node the note belongs to")
    kind: str = Field(description="endring | fotnote | rettelse | merknad")
    label: str | None = Field(None, description="A footnote's mark, a correction's date")
    text: str


NOTE_KINDS = {"endring": "Endringshistorikk", "fotnote": "Fotnote", "rettelse": "Rettelse",
              "utgått": "Utgått", "merknad": "Merknad"}


class ProvisionView(Model):
    id: str
    kind: str
    citation: str
    heading: str | None = None
    path: list[str] = Field([], description="Document, part, chapter above it")
    summary: str | None = None
    keywords: list[str] = Field([], description="Our search words (stikkord) for the §")
    text: str | None = None
    url: str
    tags: list[TagView] = []
    children: list[ChildView] = []
    references_out: list[RefView] = []
    references_in: list[RefView] = []
    references_in_total: int = 0
    regulations: list[RefView] = []
    notes: list[NoteView] = Field([], description="Change history, footnotes and corrections, "
                                                  "apart from the text (from the import)")
    neighbourhood: Neighbourhood | None = Field(
        None, description="The provision's neighbourhood (parents, children, references, hjemmel, "
                          "trial authorities, repeal and successor) as edges {fra, til, type, "
                          "etikett}; the app draws exactly these")


class DocumentView(Model):
    id: str
    title: str
    short_title: str | None = None
    kind: str
    in_force: str
    in_force_basis: str = ""
    origin: str
    url: str


class LookupResult(Model):
    query: str
    resolution: Resolution
    document: DocumentView | None = None
    provisions: list[ProvisionView] = []
    hints: list[str] = []
    as_of: str = ""
    data: str = Field("", description="Where the statute data comes from and its date")

    @property
    def found(self) -> bool:
        return bool(self.provisions)

    @property
    def current(self) -> bool:
        """False when what was found is not law on the date asked (repealed, not yet, unknown):
        it is still shown, under the message that says so."""
        return self.resolution.status is None


def lookup(text: str, kb, context_doc: str | None = None, *, today: date | None = None,
           with_text: bool = True, with_neighbourhood: bool = False) -> LookupResult:
    """Resolve ``text`` and describe every provision it names (with its neighbourhood when asked:
    that builds the knowledge base's graph on first use, about half a second on a full import)."""
    today = today or date.today()
    res = resolve_citation(text, kb, context_doc, today=today)
    out = LookupResult.model_construct(query=text, resolution=res, as_of=today.isoformat(), data=kb.data_note())
    if res.doc_id:
        meta = kb.document(res.doc_id)
        if meta is not None:
            out.document = DocumentView.model_construct(
                id=meta.id, title=meta.title, short_title=meta.title_short, kind=str(meta.kind),
                in_force=status_note(kb, meta.id, today),
                in_force_basis=st.basis if (st := kb.status(meta.id, today)) else "",
                origin=str(meta.origin),
                url=ids.lovdata_url(meta.id))
    for node_id in res.ids:
        node = kb.node(node_id)
        if node is None:
            continue
        view = _describe(node, kb, with_text)
        if with_neighbourhood:
            view.neighbourhood = neighbourhood(kb, node.id)
        out.provisions.append(view)
    if out.provisions and with_text and not any(p.text for p in out.provisions) \
            and all(p.kind != NodeKind.DOCUMENT for p in out.provisions):
        out.hints.append(IMPORT_MORE_HINT if getattr(kb, "has_import", False) else IMPORT_TEXT_HINT)
    return out


def _describe(node: Node, kb, with_text: bool) -> ProvisionView:
    view = ProvisionView.model_construct(
        id=node.id, kind=str(node.kind), citation=format_citation(node.id, kb), heading=node.heading,
        summary=node.summary, url=ids.lovdata_url(node.id),
        path=[_ancestor_label(a) for a in reversed(kb.ancestors(node.id))],
    )
    rulebook = getattr(kb, "rulebook", None)
    if rulebook is not None:
        view.keywords = rulebook.keywords_of(node.id)
    if with_text and node.kind != NodeKind.DOCUMENT:
        view.text = kb.full_text(node.id)
    view.tags = _tags(node.id, kb)
    if node.kind in (NodeKind.DOCUMENT, NodeKind.PART, NodeKind.CHAPTER):
        view.children = [ChildView(id=c.id, label=ids.human_label(c.id) or c.id, heading=c.heading)
                         for c in kb.children(node.id)]
    subtree = _subtree_ids(node, kb) if node.kind != NodeKind.DOCUMENT else [node.id]
    view.notes = [NoteView.model_construct(node_id=n, kind=k, label=lb, text=t)
                  for n, k, lb, t in kb.notes(subtree)]
    out_refs: list[Reference] = []
    in_refs: list[Reference] = []
    regs: list[Reference] = []
    for nid in subtree:
        out_refs.extend(kb.references_from(nid))
        in_refs.extend(r for r in kb.references_to(nid) if r.kind != "hjemmel")
        regs.extend(kb.regulations_under(nid))
    view.references_out = [_ref(r.target, r, kb) for r in _unique(out_refs, "target")[:MAX_REFERENCES]]
    unique_in = _unique(in_refs, "source")
    view.references_in_total = len(unique_in)
    view.references_in = [_ref(r.source, r, kb) for r in unique_in[:MAX_REFERENCES]]
    view.regulations = [_ref(r.source, r, kb, document=True) for r in _unique(regs, "source")]
    return view


def _ancestor_label(node: Node) -> str:
    if node.kind == NodeKind.DOCUMENT:
        return node.heading or node.id
    label = ids.human_label(node.id)
    return f"{label} {node.heading}".strip() if node.heading else label


def _subtree_ids(node: Node, kb, limit: int = 400) -> list[str]:
    out = [node.id]
    stack = list(kb.children(node.id))
    while stack and len(out) < limit:
        n = stack.pop()
        out.append(n.id)
        stack.extend(kb.children(n.id))
    return out


def _unique(refs: list[Reference], attr: str) -> list[Reference]:
    seen: set[tuple[str, str]] = set()
    out: list[Reference] = []
    for r in refs:
        key = (getattr(r, attr), str(r.kind))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _ref(node_id: str, r: Reference, kb, document: bool = False) -> RefView:
    in_kb = kb.node(node_id) is not None
    if document:
        doc = ids.doc_of(node_id)
        meta = kb.document(doc)
        label = meta.title if meta else format_citation(doc, kb)
    else:
        try:
            label = format_citation(node_id, kb)
        except ids.InvalidId:
            label = node_id
    return RefView(node_id=node_id, citation=label, kind=str(r.kind), text=r.text, in_kb=in_kb)


def _tags(node_id: str, kb) -> list[TagView]:
    rulebook = getattr(kb, "rulebook", None)
    out: list[TagView] = []
    for et in kb.tags(node_id):
        a = et.assignment
        label = effect = None
        if rulebook is not None:
            try:
                definition = rulebook.tag_definition(a.tag)
                label, effect = definition.label, str(definition.effect)
            except (KeyError, ValueError):
                pass
        out.append(TagView.model_construct(tag=str(a.tag), label=label, effect=effect, source=str(a.source),
                           confidence=str(a.confidence), rationale=a.rationale,
                           inherited_from=et.inherited_from,
                           rule=str(a.rule) if a.rule else None, pattern=a.pattern))
    return out


def known_document_count(kb) -> int:
    """How many documents the lookup can name (for status lines)."""
    return len(title_index(kb))
