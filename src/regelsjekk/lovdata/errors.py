"""Why a document or an archive was skipped: one code per reason, one Norwegian message each.

The codes are stable (they key the import summary and its JSON); the messages are for people.
"""

from __future__ import annotations

from enum import StrEnum

from regelsjekk.core.errors import RegelsjekkError

# code -> short Norwegian label used in the summary ("hoppet over: 3 tom fil")
SKIP_REASONS: dict[str, str] = {
    "tom_fil": "tom fil",
    "ikke_xml": "ikke gyldig XML",
    "ikke_utf8": "ikke UTF-8 (og ingen annen tegnkoding oppgitt)",
    "html_side": "HTML-side, ikke et Lovdata-dokument",
    "dtd_entitet": "DTD/ENTITY-deklarasjon (ikke tillatt)",
    "ikke_lovdata": "ikke et Lovdata-dokument (mangler dokumenthode)",
    "mangler_id": "mangler gyldig dokument-id",
    "for_stor": "for stort dokument (over grensen for bytes, tagger eller noder)",
    "farlig_sti": "farlig filsti (utenfor arkivet)",
    "lenke": "lenke (symbolsk eller hard) i arkivet",
    "ikke_fil": "ikke en vanlig fil",
    "sparse": "«sparse»-fil med hull (avvist: kan blåse seg opp)",
    "ikke_xml_navn": "ikke en .xml-fil",
    "tolkefeil": "uventet feil i tolkingen (en feil i regelsjekk; meld fra med filnavnet)",
}


# The same codes as an enum: code that raises or counts a reason names it by a member.
SkipReason = StrEnum("SkipReason", {code.upper(): code for code in SKIP_REASONS})


class ImportProblem(RegelsjekkError):
    """A problem with one document or archive member: a reason code and a Norwegian message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = SkipReason(code)  # an unknown code is a bug here, not a new reason
        self.message = message


class ArchiveError(RegelsjekkError):
    """The archive as a whole cannot be read (or must not be read further).

    ``kind`` is one of: ``ikke_arkiv`` (not an archive at all), ``avkortet`` (truncated),
    ``skadet`` (corrupt data), ``bombe`` (decompression limits exceeded), ``mangler`` (missing).
    Documents read before the error stay imported.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = ArchiveProblem(kind)
        self.message = message


ARCHIVE_PROBLEMS: dict[str, str] = {
    "ikke_arkiv": "ikke et arkiv",
    "avkortet": "avkortet arkiv",
    "skadet": "skadet arkiv",
    "bombe": "stoppet: overskred grensene for utpakking",
    "mangler": "finnes ikke",
    "nedlasting": "nedlasting feilet",
    "ingen_dokumenter": "ingen Lovdata-dokumenter i arkivet",
}

ArchiveProblem = StrEnum("ArchiveProblem", {code.upper(): code for code in ARCHIVE_PROBLEMS})


class ImportFailed(RegelsjekkError):
    """The import could not run (environment, store, lock); nothing was changed."""
