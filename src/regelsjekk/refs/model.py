"""What a parsed citation is: a law reference plus the places in it (pinpoints).

Plain frozen dataclasses: the parser makes thousands of them, they are compared in property
tests, and nothing here needs validation beyond what the parser already guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Pinpoint:
    """One place in a document, as precise as the citation is: § 19-1 third ledd, letter a."""

    chapter: str | None = None
    section: str | None = None
    ledd: int | None = None  # -1 means "siste ledd"
    punktum: int | None = None
    bokstav: str | None = None
    nummer: str | None = None
    part: str | None = None  # "del 5" (Lovdata's del/5)

    @property
    def is_empty(self) -> bool:
        return self == Pinpoint()


@dataclass(frozen=True, slots=True)
class Span:
    """A range: "§§ 1-1 til 1-4", "kapittel 17–20", "første til tredje ledd"."""

    start: Pinpoint
    end: Pinpoint
    # "§§ 24-25": a range in a law numbered 1, 2, 3 …, but § 24-25 in a law numbered by chapter.
    # The resolver decides from the document; the formatter writes it back the same way.
    hyphen: bool = False


Target = Pinpoint | Span


@dataclass(frozen=True, slots=True)
class LawRef:
    """Which law or regulation a citation names, in whichever way it was named."""

    name: str | None = None  # as written: "kommuneloven", "kl.", "forskrift om …"
    doc_id: str | None = None  # given by Lovdata id, URL or date and number
    kind: str | None = None  # "lov" / "forskrift" when given by date without number
    date: str | None = None  # ISO date when given by date without number
    this_document: bool = False  # "denne loven", "loven her": the context document
    weak: bool = False  # a guessed abbreviation in free text: ignored when it names nothing

    def key(self) -> tuple:
        """What the reference means, without how it was spelt (for comparisons)."""
        from regelsjekk.refs.normalize import normalize_name

        return (normalize_name(self.name) if self.name else None, self.doc_id, self.kind,
                self.date, self.this_document)


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation found in text: the law (if named), its targets, and where it stood."""

    law: LawRef | None
    targets: tuple[Target, ...] = ()
    text: str = ""
    start: int = 0
    end: int = 0
    inherited: bool = field(default=False)  # law taken from the citation before it (jf. chain)
    # The law of the citation before it in a "jf." chain: used when a weak name names nothing.
    chain_law: LawRef | None = field(default=None, compare=False)
    # Set when a typed reference has a § or "kapittel" whose number could not be read.
    problem: str | None = field(default=None, compare=False)

    def key(self) -> tuple:
        """Meaning only: law and targets, not position or spelling."""
        return (self.law.key() if self.law else None, self.targets)
