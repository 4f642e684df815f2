"""The shared vocabulary of regelsjekk: documents, provisions, references and tags.

This module imports nothing of ours. Every other layer (import, store, rules, checker, app)
speaks in these types, so a change here is a change of contract: keep it small and stable.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class ApplicantKind(StrEnum):
    """Who applies for a trial: the vocabulary shared by requests and rules/ (approvers)."""

    KOMMUNE = "kommune"
    FYLKESKOMMUNE = "fylkeskommune"
    STATLIG_ORGAN = "statlig_organ"  # a state body whose level the request does not give
    STATLIG_REGIONAL = "statlig_regional"  # regional or local state administration
    STATLIG_SENTRAL = "statlig_sentral"  # central state administration: ministries, directorates
    PRIVAT = "privat"  # a company, foundation or association: outside forsøksloven § 2

    @property
    def municipal(self) -> bool:
        return self in (ApplicantKind.KOMMUNE, ApplicantKind.FYLKESKOMMUNE)

    @property
    def state(self) -> bool:
        return self in (ApplicantKind.STATLIG_REGIONAL, ApplicantKind.STATLIG_SENTRAL,
                        ApplicantKind.STATLIG_ORGAN)


class NodeKind(StrEnum):
    DOCUMENT = "dokument"
    PART = "del"
    CHAPTER = "kapittel"
    SECTION = "paragraf"
    LEDD = "ledd"
    BOKSTAV = "bokstav"
    NUMMER = "nummer"


# The kinds the provision graph holds (ledd and list items fold into their §).
STRUCTURAL_KINDS = (NodeKind.DOCUMENT, NodeKind.PART, NodeKind.CHAPTER, NodeKind.SECTION)


class DocKind(StrEnum):
    LOV = "lov"
    FORSKRIFT = "forskrift"


class Origin(StrEnum):
    """Where a document's content came from."""

    CONSOLIDATED = "gjeldende"  # Lovdata's consolidated current text (NL/, SF/)
    LOVTIDEND = "lovtidend"  # as promulgated in Norsk Lovtidend (LTI/, LTII/)
    BUILTIN = "innebygd"  # structure and headings from rules/ only, no statute text


class Model(BaseModel):
    """Our base model: validators are built on first use, not at import (start-up time of every
    CLI call; most calls use a handful of the ~60 models)."""

    model_config = ConfigDict(defer_build=True)


class DocumentMeta(Model):
    """Header metadata of one Lovdata document (the dt/dd pairs), normalised."""

    model_config = ConfigDict(frozen=False)

    id: str = Field(description="Our document id, Lovdata's refid: lov/2018-06-22-83")
    kind: DocKind
    origin: Origin
    dokid: str | None = Field(None, description="Lovdata's DokumentID, e.g. NL/lov/2018-06-22-83")
    legacy_id: str | None = None
    title: str
    title_short: str | None = None
    abbreviation: str | None = Field(None, description="From titleShort after '–', e.g. 'kl.'")
    ministry: list[str] = []
    date_in_force: str | None = None
    date_of_publication: str | None = None
    last_change_in_force: str | None = None
    last_changed_by: str | None = None
    changes_to_documents: list[str] = Field([], description="Ids this document amends")
    based_on: list[str] = Field([], description="Hjemmel: ids of the provisions it is made under")
    legal_area: list[str] = []
    applies_to: str | None = None
    published_in: str | None = None
    misc_information: str | None = None
    extra: dict[str, str] = Field({}, description="Other dt/dd pairs, kept as-is")
    in_force: bool = Field(True, description="False for repealed or superseded documents")
    local: bool = Field(False, description="A lokal forskrift (Lovtidend avd. II)")
    # Provenance of the import
    source_archive: str | None = None
    source_file: str | None = None
    content_hash: str | None = None

    @property
    def display_name(self) -> str:
        return self.title_short or self.title


class Node(Model):
    """One addressable unit of a document: the document itself, a part, chapter, §, ledd, item."""

    id: str
    kind: NodeKind
    doc_id: str
    parent_id: str | None = None
    number: str | None = Field(None, description="'19-1' for a §, '2' for a ledd, 'a' for bokstav")
    heading: str | None = None
    text: str | None = Field(None, description="The node's own text (children excluded)")
    summary: str | None = Field(None, description="Our own summary (rules/), never statute text")
    order: int = Field(0, description="Position among siblings, for display order")
    label: str | None = Field(None, description="A list item's label as printed: 'a)', '1.', '–'")
    pos: int | None = Field(None, description="How many lines of the parent's own text come "
                            "before this node (a ledd's lead-in before its list, text after it); "
                            "None: after all of it; -1-k: a list item filed under the ledd "
                            "before it but standing in the grandparent's text after k lines")


class RefKind(StrEnum):
    CITES = "viser_til"  # a cross-reference in the text
    HJEMMEL = "hjemmel"  # a regulation is made under this provision
    AMENDS = "endrer"  # an amending act changes this document
    REPEALS = "opphever"  # an act repeals this document or provision (from its text)
    SUCCEEDED_BY = "erstattet_av"  # a repealed document -> the document that replaced it
    SETS_ASIDE = "setter_til_side"  # a trial regulation -> a provision it set aside (as it was then)


class DocState(StrEnum):
    """Where a document or provision stands on a given date, as far as the data can tell."""

    I_KRAFT = "i_kraft"
    DELVIS = "delvis_i_kraft"  # in force, but parts are not yet (dates later, or "Kongen bestemmer")
    IKKE_ENNA = "ikke_i_kraft_ennå"
    OPPHEVET = "opphevet"
    UKJENT = "ukjent"  # only the text as promulgated: whether it still applies cannot be told

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def current(self) -> bool:
        """May the checker read it as the law on that date?"""
        return self in (DocState.I_KRAFT, DocState.DELVIS)


_STATE_LABELS = {DocState.I_KRAFT: "i kraft", DocState.DELVIS: "delvis i kraft",
                 DocState.IKKE_ENNA: "ikke i kraft ennå", DocState.OPPHEVET: "opphevet",
                 DocState.UKJENT: "ukjent om gjeldende"}


class Status(Model):
    """A document's or provision's status in time, with the data it rests on (never the clock alone)."""

    node_id: str
    state: DocState
    as_of: date = Field(description="The date the status answers for")
    since: str | None = Field(None, description="From when (ISO date), where the data says it")
    by: str | None = Field(None, description="The act that repeals it (or puts it in force)")
    successors: list[str] = Field([], description="Documents or provisions that replaced it")
    basis: str = Field(description="Norwegian: what in the data the status rests on")
    edge: str | None = Field(None, description="The graph edge or rule used, e.g. "
                                                "'opphever: lov/1992-09-25-107/§66 -> lov/1954-11-12-1'")

    @property
    def label(self) -> str:
        return self.state.label


class Reference(Model):
    source: str = Field(description="Node id the reference stands in")
    target: str = Field(description="Node id referred to (may be outside the knowledge base)")
    kind: RefKind = RefKind.CITES
    text: str | None = Field(None, description="The anchor text as written, e.g. '§§ 1-1 til 1-4'")


class Document(Model):
    """A parsed document: metadata, its nodes in document order, and its outgoing references."""

    meta: DocumentMeta
    nodes: list[Node]
    references: list[Reference] = []


# ---------------------------------------------------------------------------------------------
# Tags: what kind of rule a provision is, and so what forsøksloven says about deviating from it.


class Tag(StrEnum):
    ORGANISERING = "organisering"
    OPPGAVEFORDELING = "oppgavefordeling"
    STATLIG_KONTROLL = "statlig_kontroll"
    ENHETSFYLKE = "enhetsfylke"
    KOMMUNELOV_GRUNNLEGGENDE = "kommunelov_grunnleggende"
    FORVALTNINGSLOV_SAKSBEHANDLING = "forvaltningslov_saksbehandling"
    RETTSSIKKERHET = "rettssikkerhet"
    INDIVIDUELL_RETTIGHET = "individuell_rettighet"
    INDIVIDUELL_PLIKT = "individuell_plikt"
    PRIVAT_ATFERD = "privat_atferd"
    OVERORDNET_RETT = "overordnet_rett"
    STRAFF = "straff"
    SKATT_AVGIFT = "skatt_avgift"
    EGEN_FORSOKSHJEMMEL = "egen_forsokshjemmel"
    # Purpose, definitions and scope provisions: nothing to deviate from in practice.
    FORMAL_DEFINISJON = "formal_definisjon"


class TagEffect(StrEnum):
    """What a tag means for a trial under forsøksloven (tags.yaml `virkning`).

    Not to be confused with request.model.Effect, the effect a trial has on individuals.
    """

    TILLATT = "tillatt"    # a § 3 ground allows the deviation
    BLOKKERT = "blokkert"  # a § 4 limit (or lex superior) blocks it
    BETINGET = "betinget"  # blocked unless the request shows an equally good safeguard
    UTENFOR = "utenfor"    # outside what forsøksloven is for
    INFO = "info"          # says something about the provision, decides nothing


class TagSource(StrEnum):
    CURATED = "kuratert"
    INFERRED = "utledet"


class Confidence(StrEnum):
    HIGH = "høy"
    MEDIUM = "middels"
    LOW = "lav"


class RuleRef(Model):
    """Where in rules/ a piece of knowledge lives: file, line and the key path within it."""

    file: str
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line else self.file
        return f"{loc} ({self.key})" if self.key else loc


class TagAssignment(Model):
    """One tag on one node, with provenance. Inherited downwards unless overridden."""

    node_id: str
    tag: Tag
    source: TagSource
    rationale: str = Field(description="Why, in our own words")
    confidence: Confidence = Confidence.HIGH
    reviewed: date | None = None
    rule: RuleRef | None = Field(None, description="The rules/ entry or inference pattern")
    pattern: str | None = Field(None, description="For inferred tags: the text pattern that hit")
    matched_text: str | None = None


class EffectiveTag(Model):
    """A tag as it applies to a node after inheritance and overrides."""

    assignment: TagAssignment
    inherited_from: str | None = Field(None, description="Ancestor node id the tag came from")

    @property
    def tag(self) -> Tag:
        return self.assignment.tag


class NodeLookup(Protocol):
    """What the rulebook needs of a knowledge base: a node by id and its text (if imported).

    A protocol, so that rules/ can walk a knowledge base's hierarchy without importing kb/
    (which sits above it and holds the rulebook).
    """

    def node(self, node_id: str) -> Node | None: ...

    def full_text(self, node_id: str) -> str | None: ...
