"""What the checker reads in the request's own words, beyond the fields it is given.

The request states its effect, its replacement rule and its purpose in free text. A few readings
of that text decide how careful an answer must be; they live here, together, so their limits are
seen together: each only ever makes an answer *more* careful (a wrong «ja» is the worst bug), and
none of them turns a «nei» into a «ja» on words alone — except `names_enhetsfylke`, which also
needs the applicants that forsøksloven § 3 første ledd d names.

- `denied`: a word the request denies in its clause («Barnevernstjenesten er ikke med») shows no
  purpose of a sector authority;
- `narrowing_words`: a replacement rule that may narrow a right although the request says it
  widens it («bare som lån»);
- `safeguards_removed`: a replacement rule that takes away notice, a say or an appeal;
- `names_enhetsfylke`: the request says what § 3 første ledd d means;
- `actors_named`: who an idea (forslag's free text) says will act: kommune, fylkeskommune, a
  state body, a private one. It only ever lowers a route that the named actors cannot use.
"""

from __future__ import annotations

import re

from regelsjekk.core.model import ApplicantKind

# Negation within the clause, up to four words before the word or (for «ikke/ikkje») three words
# after it: «Barnevernstjenesten er ikke med», «uten barnevernet», «verken skolen eller …».
_NEGATION = r"(?:ikke|ikkje|uten|utan|ingen|inga|intet|verken|korkje)"
_NEG_BEFORE = re.compile(r"(?<!\w)" + _NEGATION + r"(?:\W+\w+){0,3}\W*$")
_NEG_AFTER = re.compile(r"^\w*(?:\W+\w+){0,2}?\W+(?:ikke|ikkje)(?!\w)")
_CLAUSE_END = re.compile(r"[.;:!?,()\n]")


def denied(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] is denied within its clause."""
    left = _CLAUSE_END.split(text[max(0, start - 80):start])[-1]
    right = _CLAUSE_END.split(text[end:end + 80])[0]
    return bool(_NEG_BEFORE.search(left) or _NEG_AFTER.match(right))


_NARROWING = re.compile(r"(?<!\w)(bare|kun|ikke lenger|ikkje lenger|strengere|strengare|færre|"
                        r"kortere|kortare|begrens\w*|avgrens\w*|reduser\w*|lån|egenandel\w*|"
                        r"egenbetaling\w*|bortfall\w*|fjern\w*|avvikl\w*|opphør\w*)(?!\w)",
                        re.IGNORECASE)


def narrowing_words(text: str | None) -> tuple[str, ...]:
    """The words of `text` that may narrow a right (lower case, first seen first)."""
    return tuple(dict.fromkeys(m.group(0).lower() for m in _NARROWING.finditer(text or "")))


_SAFEGUARD_GONE = re.compile(
    r"(?:uten|utan) (?:at|å)\b[^.;]{0,80}?\b(?:varsl|uttal|høyr|høres|høring|informer)\w*"
    r"|vedtak\w* (?:er|blir) endelig\w*|vedtak\w* (?:er|blir) endeleg\w*"
    r"|(?:uten|utan|ingen|inga|ikke|ikkje) (?:lenger |lengre )?(?:nabovarsel|forhåndsvarsel|varsel|"
    r"varsling|høring|høyring|klagerett|klageadgang|rett til å klage|rett til å uttale)\w*"
    r"|(?:kan|skal) (?:ikke|ikkje) (?:lenger |lengre )?(?:påklages|påklagast|klages|klagast|"
    r"ankes|ankast)"
    r"|(?:ikke|ikkje) (?:skal |lenger |lengre )?kunne (?:påklages|påklagast|klages|klagast|ankes|ankast)",
    re.IGNORECASE)


def safeguards_removed(text: str | None) -> list[str]:
    """The phrases of `text` that take away notice, a say or an appeal («uten at naboene varsles»,
    «kan ikke påklages», «vedtaket er endelig»), first seen first."""
    return list(dict.fromkeys(" ".join(m.group(0).split()) for m in _SAFEGUARD_GONE.finditer(text or "")))


_ENHETSFYLKE = re.compile(r"enhetsfylke|felles administrativ(?:e)? leiing|felles administrativ "
                          r"ledelse|ett regionalt organ|eitt regionalt organ", re.IGNORECASE)


def names_enhetsfylke(text: str) -> bool:
    """Whether `text` says what forsøksloven § 3 første ledd d means: fylkeskommunen and the
    statsforvalter in one regional body with a common administrative leadership."""
    return bool(_ENHETSFYLKE.search(text))


# Who acts in an idea: «kommunen vil …», «fylkeskommunane», «Statsforvaltaren», «direktoratet»,
# «et privat selskap». A school or service type («friskole», «sjukeheim») names no actor.
_ACTORS = [
    (ApplicantKind.FYLKESKOMMUNE, re.compile(r"(?<!\w)fylkes?kommun\w*", re.I)),
    (ApplicantKind.KOMMUNE, re.compile(r"(?<!\w)(?:inter)?kommun(?:e|en|ar|ane|er|ene|al\w*)(?!\w)",
                                       re.I)),
    (ApplicantKind.STATLIG_REGIONAL, re.compile(
        r"(?<!\w)(?:statsforvalter\w*|statsforvaltar\w*|fylkesmann\w*)", re.I)),
    (ApplicantKind.STATLIG_SENTRAL, re.compile(r"(?<!\w)\w*(?:direktorat|departement)\w*", re.I)),
    (ApplicantKind.PRIVAT, re.compile(r"(?<!\w)(?:privat\w*|selskap\w*|stiftel\w*|forening\w*|"
                                      r"foreining\w*|bedrift\w*)", re.I)),
]


def actors_named(text: str) -> set[ApplicantKind]:
    """The kinds of actor an idea names (not denied: «uten kommunen» names none)."""
    found = set()
    for kind, pattern in _ACTORS:
        if any(not denied(text, m.start(), m.end()) for m in pattern.finditer(text)):
            found.add(kind)
    return found
