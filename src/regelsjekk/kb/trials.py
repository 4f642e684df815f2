"""Tidligere forsøk: the library of trial regulations, asked by provision.

The import reads each trial regulation once (lovdata/trials.py) and stores what it set aside as
the ids those provisions had then. This module answers the counsellor's question — "has this been
tried?" — for a provision as it is *today*:

  same       the trial set aside exactly this provision
  part       the trial set aside a part of it (a ledd of the § asked about)
  whole      the trial set aside something that contains it (the whole § or law)
  before     the trial set aside its predecessor, mapped through rules/tid.yaml (curated, never
             guessed): a § mapping for a §, the law's succession for a whole law

Evidence only: nothing here changes a verdict. Absence is not evidence either — the library covers
what the imported Lovtidend archives hold (``coverage()`` says which years), and a trial that set a
rule aside without naming it cannot be found by that rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from regelsjekk.core.dates import short_date
from regelsjekk.core.ids import doc_of, human_label, lovdata_url

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase

HOW_LABELS = {
    "same": "satte til side denne bestemmelsen",
    "part": "satte til side en del av denne bestemmelsen",
    "whole": "satte til side det som omfatter denne bestemmelsen",
    "before": "satte til side forgjengeren",
}
# Lovtidend avd. II (local regulations, where the kommuner's vedtekter stand) is in the shared
# archives only up to 2000; after that only avd. I (central) for 2025.
GAP_NOTE = ("Biblioteket dekker bare forskriftene som finnes i de importerte Lovtidend-arkivene. "
            "At et forsøk ikke står her, betyr ikke at det ikke har vært prøvd.")


@dataclass(frozen=True)
class SetAsideItem:
    text: str
    source: str
    target: str | None
    uncertain: bool
    reason: str | None
    today: tuple[str, ...] = ()      # today's provision(s), where known
    today_note: str | None = None    # why there is no mapping to today, or how it was made


@dataclass(frozen=True)
class Trial:
    id: str
    dokid: str
    title: str
    kind: str
    applicants: tuple[str, ...]
    applicant_kind: str | None
    authority: tuple[str, ...]
    approver: str | None
    made_by: str | None
    start: str | None
    end: str | None
    end_text: str | None
    kostra: bool
    amends: tuple[str, ...]
    set_aside: tuple[SetAsideItem, ...]
    none_reason: str | None
    amended_by: tuple[str, ...] = ()
    extended_to: str | None = None
    areas: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"https://lovdata.no/dokument/{self.dokid}" if "/" in self.dokid else \
            lovdata_url(self.id)

    @property
    def year(self) -> int | None:
        when = self.start or self.id.split("/", 1)[1][:10]
        try:
            return int(when[:4])
        except ValueError:
            return None

    @property
    def period(self) -> str:
        start = short_date(self.start) if self.start else "ukjent start"
        end = self.extended_to or self.end
        if end:
            tail = f"til {short_date(end)}" + (" (forlenget)" if self.extended_to else "")
        elif self.end_text:
            tail = self.end_text
        else:
            tail = "slutt ikke angitt"
        return f"fra {start}, {tail}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "tittel": self.title, "type": self.kind, "lenke": self.url,
            "søkere": list(self.applicants), "søkertype": self.applicant_kind,
            "hjemmel": list(self.authority), "godkjent_av": self.approver,
            "fastsatt_av": self.made_by, "fra": self.start, "til": self.end,
            "forlenget_til": self.extended_to, "slutt": self.end_text,
            "endrer": list(self.amends), "endret_av": list(self.amended_by),
            "områder": list(self.areas),
            "tilsidesatt": [{"id": i.target, "tekst": i.text, "kilde": i.source,
                             "usikker": i.uncertain, "merknad": i.reason,
                             "i_dag": list(i.today), "i_dag_merknad": i.today_note}
                            for i in self.set_aside],
            "ingen_tilsidesatt_fordi": self.none_reason,
        }


@dataclass(frozen=True)
class Match:
    trial: Trial
    item: SetAsideItem
    how: str                      # same / part / whole / before
    via: str | None = None        # the rule that mapped a predecessor (rules/tid.yaml)

    @property
    def how_label(self) -> str:
        return HOW_LABELS[self.how]

    def to_dict(self) -> dict[str, Any]:
        return {**self.trial.to_dict(), "treff": {"hvordan": self.how, "tekst": self.how_label,
                                                   "bestemmelse": self.item.target,
                                                   "via": self.via}}


@dataclass
class Coverage:
    trials: int = 0
    amendments: int = 0
    with_ids: int = 0
    without_ids: int = 0
    years: dict[str, int] = field(default_factory=dict)   # promulgated regulations per year
    stale: bool = False  # the store predates the library: re-import

    @property
    def span(self) -> str:
        if not self.years:
            return "ingen år"
        ys = sorted(self.years)
        runs: list[list[str]] = []
        for y in ys:
            if runs and int(y) == int(runs[-1][-1]) + 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        return ", ".join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)

    def sentence(self) -> str:
        if self.stale:
            return ("Den importerte kunnskapsbasen er eldre enn biblioteket «Tidligere forsøk». "
                    "Kjør `regelsjekk import` på nytt for å fylle det.")
        if not self.trials and not self.years:
            return ("Biblioteket «Tidligere forsøk» er tomt: det bygges fra Norsk Lovtidend når "
                    "arkivene importeres (`regelsjekk import ../shared/lovdata/*.tar.bz2`).")
        return (f"{self.trials} forsøksforskrifter og {self.amendments} endringer av dem, fra "
                f"Lovtidend-årene {self.span}; {self.with_ids} med tilsidesatte bestemmelser "
                f"med id, {self.without_ids} uten (grunnen står ved hver). "
                + GAP_NOTE)

    def to_dict(self) -> dict[str, Any]:
        return {"forsøk": self.trials, "endringer": self.amendments,
                "med_tilsidesatte_id": self.with_ids, "uten": self.without_ids,
                "år": self.years, "utdatert_import": self.stale, "merknad": self.sentence()}


class TrialLibrary:
    """Every trial in the imported store, indexed by what it set aside (then and today)."""

    def __init__(self, rows: list[str] | None, kb: KnowledgeBase | None = None,
                 years: dict[str, int] | None = None) -> None:
        self._kb = kb
        rulebook = kb.rulebook if kb is not None else None
        self._time = getattr(rulebook, "time", None)
        self._areas = _area_rules(rulebook)
        raw = [json.loads(r) for r in rows or []]
        amended_by: dict[str, list[dict]] = {}
        for r in raw:
            for target in r.get("amends") or []:
                amended_by.setdefault(target, []).append(r)
        self.trials: dict[str, Trial] = {}
        for r in raw:
            later = sorted(amended_by.get(r["id"], []), key=lambda x: x.get("start") or x["id"])
            extended = max((x["end"] for x in later if x.get("end")), default=None)
            if extended and r.get("end") and extended <= r["end"]:
                extended = None
            self.trials[r["id"]] = self._trial(r, tuple(x["id"] for x in later), extended)
        self._by_target: dict[str, list[tuple[Trial, SetAsideItem]]] = {}
        for trial in self.trials.values():
            for item in trial.set_aside:
                for key in {item.target, *item.today} - {None}:
                    self._by_target.setdefault(key, []).append((trial, item))
        stale = rows is None and bool(years)
        self.coverage = Coverage(
            trials=sum(1 for t in self.trials.values() if t.kind == "forsøk"),
            amendments=sum(1 for t in self.trials.values() if t.kind == "endring"),
            with_ids=sum(1 for t in self.trials.values() if any(i.target for i in t.set_aside)),
            without_ids=sum(1 for t in self.trials.values()
                            if not any(i.target for i in t.set_aside)),
            years=dict(years or {}), stale=stale)

    # -- building -------------------------------------------------------------------------------

    def _trial(self, r: dict, amended_by: tuple[str, ...], extended: str | None) -> Trial:
        items = []
        for s in r.get("set_aside") or []:
            today, note = self._today(s.get("target"))
            items.append(SetAsideItem(text=s["text"], source=s["source"], target=s.get("target"),
                                      uncertain=bool(s.get("uncertain")), reason=s.get("reason"),
                                      today=today, today_note=note))
        trial = Trial(
            id=r["id"], dokid=r.get("dokid") or r["id"], title=r.get("title") or r["id"],
            kind=r.get("kind") or "forsøk", applicants=tuple(r.get("applicants") or ()),
            applicant_kind=r.get("applicant_kind"), authority=tuple(r.get("authority") or ()),
            approver=r.get("approver"), made_by=r.get("made_by"), start=r.get("start"),
            end=r.get("end"), end_text=r.get("end_text"), kostra=bool(r.get("kostra")),
            amends=tuple(r.get("amends") or ()), set_aside=tuple(items),
            none_reason=r.get("none_reason"), amended_by=amended_by, extended_to=extended)
        return Trial(**{**trial.__dict__, "areas": self._area_of(trial)})

    def _today(self, target: str | None) -> tuple[tuple[str, ...], str | None]:
        """Today's provision for a set-aside id, from rules/tid.yaml only (never guessed)."""
        if not target or self._time is None:
            return (), None
        law = doc_of(target)
        succession = self._time.laws.get(law)
        if succession is None:
            return (), None  # not known to be repealed: the id is today's id
        if target == law:
            if succession.new:
                return (succession.new,), (f"Loven er erstattet av {succession.new} "
                                            f"(rules/tid.yaml).")
            return (), "Loven er opphevet; ingen kjent etterfølger (rules/tid.yaml)."
        section = target.split("/ledd/")[0].split("/nummer/")[0].split("/bokstav/")[0]
        mapped = self._time.sections.get(section)
        if mapped is not None:
            return tuple(mapped.new), (f"Tilsvarende bestemmelse i dag etter rules/tid.yaml "
                                       f"(sikkerhet {mapped.confidence}).")
        successor = f" Loven er erstattet av {succession.new}." if succession.new else ""
        return (), (f"{succession.name} er opphevet.{successor} Ingen kuratert kobling fra "
                    f"denne paragrafen til dagens lov, så forsøket kobles ikke til en bestemt "
                    f"bestemmelse i dag.")

    def _area_of(self, trial: Trial) -> tuple[str, ...]:
        words = " ".join([trial.title, *(i.text for i in trial.set_aside)]).lower()
        laws = {doc_of(i.target) for i in trial.set_aside if i.target}
        laws |= {doc_of(t) for i in trial.set_aside for t in i.today}
        out = [name for name, (keywords, docs) in self._areas.items()
               if any(k in words for k in keywords) or laws & docs]
        return tuple(out) or ("annet",)

    # -- asking ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.trials)

    def get(self, trial_id: str) -> Trial | None:
        return self.trials.get(trial_id)

    def setting_aside(self, node_id: str) -> list[Match]:
        """Trials that set this provision, a part of it, what contains it, or its predecessor
        aside — newest first."""
        found: dict[tuple[str, str], Match] = {}

        def add(trial: Trial, item: SetAsideItem, how: str, via: str | None = None) -> None:
            key = (trial.id, item.target or item.text)
            old = found.get(key)
            if old is None or _RANK[how] < _RANK[old.how]:
                found[key] = Match(trial, item, how, via)

        for key, pairs in self._by_target.items():
            relation = _relation(key, node_id)
            if relation is None:
                continue
            for trial, item in pairs:
                if key == item.target:
                    add(trial, item, relation)
                elif key != doc_of(key) or key == node_id:
                    # Through today's mapping of an old provision (rules/tid.yaml). A whole old law
                    # maps to its successor as a whole: that says nothing of its §§ one by one.
                    add(trial, item, "before", "rules/tid.yaml")
        # A whole law asked about: trials on its predecessor laws count as "before".
        if self._time is not None and node_id == doc_of(node_id):
            for old, succ in self._time.laws.items():
                if succ.new == node_id or node_id in succ.also:
                    for key, pairs in self._by_target.items():
                        if doc_of(key) == old:
                            for trial, item in pairs:
                                add(trial, item, "before", "rules/tid.yaml")
        return sorted(found.values(), key=lambda m: (m.trial.start or m.trial.id, m.trial.id),
                      reverse=True)

    def search(self, *, text: str = "", area: str | None = None, year_from: int | None = None,
               year_to: int | None = None, authority: str | None = None,
               applicant: str | None = None, include_kostra: bool = True) -> list[Trial]:
        """Filter the library (the app's page): all conditions must hold; newest first."""
        words = [w for w in text.lower().split() if w]
        out = []
        for t in self.trials.values():
            if area and area not in t.areas:
                continue
            if not include_kostra and t.kostra:
                continue
            y = t.year
            if year_from and (y is None or y < year_from) or year_to and (y is None or y > year_to):
                continue
            if authority and not any(a == authority or a.startswith(authority + "/")
                                     for a in t.authority):
                continue
            if applicant and not any(applicant.lower() in a.lower() for a in t.applicants):
                continue
            hay = " ".join([t.title, *t.applicants, *(i.text for i in t.set_aside)]).lower()
            if any(w not in hay for w in words):
                continue
            out.append(t)
        return sorted(out, key=lambda t: (t.start or t.id, t.id), reverse=True)

    def areas(self) -> list[str]:
        return sorted({a for t in self.trials.values() for a in t.areas})

    def authorities(self) -> list[str]:
        return sorted({a for t in self.trials.values() for a in t.authority})

    def applicants(self) -> list[str]:
        return sorted({a for t in self.trials.values() for a in t.applicants})


_NOT_TOUCHED = re.compile(r"berører\s+ikke|ikke\s+berør|berøres\s+ikke", re.IGNORECASE)
_RANK = {"same": 0, "part": 1, "whole": 2, "before": 3}


def _relation(set_aside: str, asked: str) -> str | None:
    if set_aside == asked:
        return "same"
    if set_aside.startswith(asked + "/"):
        return "part"
    if asked.startswith(set_aside + "/"):
        return "whole"
    return None


def _area_rules(rulebook: object | None) -> dict[str, tuple[tuple[str, ...], set[str]]]:
    areas = getattr(rulebook, "trial_areas", None)
    if not areas:
        return {}
    return {a.name: (tuple(k.lower() for k in a.keywords), set(a.laws)) for a in areas}


def library(kb: KnowledgeBase) -> TrialLibrary:
    """The library of the knowledge base's imported store (built once per knowledge base)."""
    def build() -> TrialLibrary:
        rows, years = None, {}
        for source in kb.sources:
            if hasattr(source, "trial_rows"):
                rows = source.trial_rows()
                years = source.promulgated_years()
                break
        return TrialLibrary(rows if rows is not None or not years else None, kb, years)
    return kb.derived("trials", build)


def replaced_by(kb: KnowledgeBase, match: Match, width: int = 220) -> str | None:
    """One line from the trial's own text on what replaced the rule, read from the import.

    The trial § that names the same § as the provision set aside (outside the list that sets it
    aside) says what the trial did instead; failing that, the trial's first provision.
    """
    trial, item = match.trial, match.item
    nodes = [n for n in kb.nodes_of(trial.id) if n.text and n.kind in ("ledd", "paragraf")
             and not _NOT_TOUCHED.search(n.text)]
    if not nodes:
        return None
    listing = item.source.split("/ledd/")[0]
    section = None
    if item.target and "/§" in item.target:
        section = item.target.split("/§", 1)[1].split("/", 1)[0]
    chosen = None
    if section:
        pattern = re.compile(rf"§\s*{re.escape(section)}(?![\d-])")
        chosen = next((n for n in nodes if not n.id.startswith(listing + "/") and n.id != listing
                       and pattern.search(n.text or "")), None)
    chosen = chosen or nodes[0]
    line = " ".join((chosen.text or "").split())
    return line if len(line) <= width else line[:width - 1].rstrip() + "…"


def describe(match: Match) -> str:
    """One line for a listing: who, when, what, and how it relates to the provision asked."""
    t = match.trial
    who = ", ".join(t.applicants) or (t.made_by or "ukjent søker")
    target = human_label(match.item.target) if match.item.target else match.item.text
    return f"{t.year or '?'} · {who} · {match.how_label} ({target}) · {t.title}"
