"""What an import did, for people (Norwegian text) and machines (JSON), and its progress line."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from regelsjekk.lovdata.errors import ARCHIVE_PROBLEMS, SKIP_REASONS

# Notes worth a line in the text summary (all of them are in the JSON under "merknader").
NOTE_LABELS: dict[str, str] = {
    "dupliserte_id": "id-er som fantes flere ganger i samme dokument (gjort unike: _2, _3 …)",
    "lov_merket_forskrift": "lover merket «forskrift» i eldre eksport (lagret som lov/…)",
    "intervall_utvidet": "henvisninger «§§ x til y» til andre dokumenter, utvidet",
    "intervall_ikke_utvidet": "henvisninger «§§ x til y» ikke utvidet (måldokumentet mangler)",
    "hjemmel_uten_id": "hjemmelsfelt uten gjenkjennelig id (ikke lagret som henvisning)",
    "ugyldig_dato": "umulige datoer i metadata (f.eks. «0000-02-08»; lagret som ukjent dato)",
    "paragraf_uten_nummer": "paragrafer uten nummer (nummerert etter plass)",
    "opphevinger_lest_i_teksten": "hele lover og forskrifter som en annen tekst opphever (kant «opphever»)",
    "forsøksforskrifter": "forsøksforskrifter i biblioteket «Tidligere forsøk» (med endringer)",
    "forsøk_tilsidesatte_bestemmelser": "bestemmelser forsøkene satte til side, med id (kant «setter_til_side»)",
    "etterfolgere_lest_i_teksten": "opphevede dokumenter med en ny lov eller forskrift som etterfølger",
}

# Skips that are not a problem with the input (an archive may hold a README).
BENIGN_SKIPS = frozenset({"ikke_xml_navn"})


@dataclass
class ArchiveResult:
    name: str
    status: str = "fullført"  # fullført | uendret | avkortet | skadet | bombe | ikke_arkiv | …
    message: str | None = None
    documents: int = 0  # members that were documents (imported, updated, unchanged, …)


@dataclass
class Summary:
    db_path: str = ""
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0
    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    archives: list[ArchiveResult] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)
    bytes_read: int = 0
    seconds: float = 0.0
    totals: dict[str, int] = field(default_factory=dict)
    phases: Counter = field(default_factory=Counter)  # seconds per phase, for benchmarks

    def skip(self, code: str, message: str) -> None:
        self.skipped[code] += 1
        examples = self.examples.setdefault(code, [])
        if len(examples) < 5:
            examples.append(message)

    @property
    def documents_seen(self) -> int:
        return self.imported + self.updated + self.unchanged + self.superseded

    @property
    def failed(self) -> bool:
        """Input errors: an archive not read to its end, or documents refused for cause."""
        bad_archive = any(a.status not in ("fullført", "uendret") for a in self.archives)
        return bad_archive or any(c not in BENIGN_SKIPS for c in self.skipped)

    def to_dict(self) -> dict:
        rate = self.documents_seen / self.seconds if self.seconds else 0.0
        return {
            "kunnskapsbase": self.db_path,
            "importert": self.imported,
            "oppdatert": self.updated,
            "uendret": self.unchanged,
            "satt_til_side": self.superseded,
            "hoppet_over": dict(sorted(self.skipped.items())),
            "hoppet_over_eksempler": self.examples,
            "arkiver": [{"navn": a.name, "status": a.status, "melding": a.message,
                         "dokumenter": a.documents} for a in self.archives],
            "i_kunnskapsbasen": self.totals,
            "merknader": dict(sorted(self.notes.items())),
            "sekunder": round(self.seconds, 2),
            "faser": {k: round(v, 2) for k, v in self.phases.items()},
            "dokumenter_per_sekund": round(rate, 1),
            "mb_per_sekund": round(self.bytes_read / 1e6 / self.seconds, 2) if self.seconds else 0,
        }

    def render(self) -> str:
        lines = [f"Import ferdig på {self.seconds:.1f} s → {self.db_path}"]
        lines.append(f"  importert (nye):   {self.imported}")
        lines.append(f"  oppdatert:         {self.updated}")
        lines.append(f"  uendret:           {self.unchanged}")
        if self.superseded:
            lines.append(f"  satt til side:     {self.superseded} (en konsolidert eller nyere "
                         "versjon av samme dokument gjelder; registrert, ikke søkbar)")
        total_skipped = sum(self.skipped.values())
        lines.append(f"  hoppet over:       {total_skipped}")
        for code, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"    {n:>6}  {SKIP_REASONS.get(code, code)}")
            for example in self.examples.get(code, [])[:3]:
                lines.append(f"            f.eks. {example}")
        for a in self.archives:
            label = ARCHIVE_PROBLEMS.get(a.status, a.status)
            text = f"  arkiv {a.name}: {label}, {a.documents} dokumenter"
            if a.message and a.status not in ("fullført",):
                text += f"\n    {a.message}"
            lines.append(text)
        notes = [(k, self.notes[k]) for k in NOTE_LABELS if self.notes.get(k)]
        if notes:
            lines.append("  merknader:")
            lines.extend(f"    {n:>6}  {NOTE_LABELS[k]}" for k, n in notes)
        if self.totals:
            t = self.totals
            lines.append(f"  i kunnskapsbasen nå: {t.get('dokumenter', 0)} dokumenter, "
                         f"{t.get('noder', 0)} noder, {t.get('henvisninger', 0)} henvisninger")
        return "\n".join(lines)


class Progress:
    """Counts and rate to stderr on long imports; a terminal line is overwritten in place."""

    def __init__(self, stream: TextIO | None = None, every: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.every = every
        self.start = time.perf_counter()
        self.last = self.start
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0  # documents of archives already finished
        self.printed = False

    def __call__(self, archive: str, documents: int, bytes_read: int, final: bool = False) -> None:
        now = time.perf_counter()
        total = self.done + documents
        if final:
            self.done = total
            if not self.printed:
                return  # a short import needs no progress line
        elif now - self.last < (self.every if self.tty else self.every * 5):
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        line = (f"{archive}: {documents} dokumenter (totalt {total}, {total / elapsed:.0f} dok/s, "
                f"{bytes_read / 1e6 / elapsed:.1f} MB/s)")
        if self.tty:
            self.stream.write("\r" + line.ljust(79) + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.printed = True
