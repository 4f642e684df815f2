"""Inference: text patterns that suggest tags for provisions nobody has curated.

Conservative by design: a pattern only *suggests* a tag (confidence middels or lav, never høy),
and the checker never turns an inferred tag into a firm "ja". The patterns live in
rules/inferens.yaml so lawyers can read and tune them; this module compiles and runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regelsjekk.core.model import Confidence, RuleRef, Tag
from regelsjekk.rules.schema import InferensFile, YamlFile

_RANK = {Confidence.MEDIUM: 0, Confidence.LOW: 1}


@dataclass(frozen=True, slots=True)
class InferenceHit:
    tag: Tag
    confidence: Confidence
    rationale: str
    pattern: str  # the pattern id in rules/inferens.yaml
    matched_text: str
    rule: RuleRef


@dataclass(frozen=True, slots=True)
class _Pattern:
    id: str
    tag: Tag
    regex: re.Pattern[str]
    unless: tuple[re.Pattern[str], ...]
    documents: frozenset[str]
    confidence: Confidence
    rationale: str
    rule: RuleRef


class Inferencer:
    """Compiled patterns; infer(text) returns at most one hit per tag, the most confident."""

    def __init__(self, patterns: list[_Pattern]) -> None:
        self._patterns: list[_Pattern] | None = patterns
        self._specs: list[tuple] = []

    # Pickled (in the cached rulebook) as pattern sources, compiled on first use: a process that
    # never infers a tag (a lookup of a curated §) does not pay for compiling ~100 expressions.
    def __getstate__(self) -> dict:
        specs = [(p.id, p.tag, p.regex.pattern, tuple(u.pattern for u in p.unless), p.documents,
                  p.confidence, p.rationale, p.rule) for p in self.patterns]
        return {"_patterns": None, "_specs": specs}

    @property
    def patterns(self) -> list[_Pattern]:
        if self._patterns is None:
            self._patterns = [
                _Pattern(pid, tag, re.compile(regex, re.IGNORECASE),
                         tuple(re.compile(u, re.IGNORECASE) for u in unless), docs, conf, why, rule)
                for pid, tag, regex, unless, docs, conf, why, rule in self._specs]
        return self._patterns

    @classmethod
    def from_file(cls, yf: YamlFile, parsed: InferensFile) -> Inferencer:
        patterns: list[_Pattern] = []
        seen: set[str] = set()
        for i, entry in enumerate(parsed.mønstre):
            if entry.id in seen:
                raise yf.error(("mønstre", i, "id"), f"mønster-id «{entry.id}» er brukt to ganger.")
            seen.add(entry.id)
            try:
                regex = re.compile(entry.mønster, re.IGNORECASE)
                unless = tuple(re.compile(u, re.IGNORECASE) for u in entry.unntatt)
            except re.error as exc:
                raise yf.error(("mønstre", i, "mønster"), f"ugyldig regulært uttrykk: {exc}.",
                               "skriv mønsteret som et Python regulært uttrykk; "
                               "sett det i enkle anførselstegn.") from None
            patterns.append(_Pattern(entry.id, entry.tag, regex, unless, frozenset(entry.dokumenter),
                                     Confidence(entry.sikkerhet),
                                     " ".join(entry.begrunnelse.split()), yf.rule(("mønstre", i))))
        return cls(patterns)

    def infer(self, text: str, doc_id: str | None = None) -> list[InferenceHit]:
        """Hits in text; patterns limited to some documents run only when doc_id is one of them."""
        best: dict[Tag, InferenceHit] = {}
        for p in self.patterns:
            if p.documents and doc_id not in p.documents:
                continue
            m = p.regex.search(text)
            if m is None or any(u.search(text) for u in p.unless):
                continue
            old = best.get(p.tag)
            if old is None or _RANK[p.confidence] < _RANK[old.confidence]:
                best[p.tag] = InferenceHit(p.tag, p.confidence, p.rationale, p.id,
                                           _context(text, m), p.rule)
        return sorted(best.values(), key=lambda h: (_RANK[h.confidence], list(Tag).index(h.tag)))


def _context(text: str, m: re.Match[str], width: int = 40) -> str:
    """The match with a little context, on one line (shown to the user as the evidence)."""
    start, end = max(0, m.start() - width), min(len(text), m.end() + width)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")
