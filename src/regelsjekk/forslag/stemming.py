"""Norwegian word analysis for ranking: tokens, stop words, a light stemmer and compound parts.

Why our own and not Snowball's Norwegian stemmer: Snowball strips adjective endings such as
"-leg" and "-lig", which cuts domain nouns apart ("fastlegen" → "fast", "omsorgsboliger" →
"omsorgsbo") and does nothing for nynorsk spellings of the same word ("teneste"/"tjeneste",
"skule"/"skole"). Legal text and municipal ideas need the opposite: keep nouns whole, fold
inflection (bokmål and nynorsk) onto one stem, and split compounds so that "skolefravær" meets
"fravær" and "legevakt" meets "lege". The rules are small and deterministic; index and query go
through the same functions, so a stem only has to be consistent, not a real word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterable

_WORD = re.compile(r"[0-9a-zæøåäöéèêóòôüß]+", re.IGNORECASE)

# Nynorsk (and older bokmål) spellings of morphemes that the law texts and users mix. Applied
# inside words, so compounds follow ("helsetenesta" → "helsetjenesta"). Only forms that cannot
# be mistaken for another word are listed.
_VARIANTS: tuple[tuple[str, str], ...] = (
    ("teneste", "tjeneste"), ("tenest", "tjenest"),
    ("skule", "skole"), ("fråvær", "fravær"), ("fråver", "fravær"),
    ("kyrkje", "kirke"), ("verksemd", "virksomhet"), ("vidaregåande", "videregående"),
    ("heime", "hjemme"), ("heimel", "hjemmel"), ("oppgåve", "oppgave"), ("høyring", "høring"),
    ("tilbod", "tilbud"), ("innhald", "innhold"), ("verkeområde", "virkeområde"),
    ("særskild", "særskilt"), ("statsforvaltar", "statsforvalter"), ("lærar", "lærer"),
    ("eigen", "egen"), ("rettleiing", "veiledning"), ("medverknad", "medvirkning"),
    ("myndigheit", "myndighet"), ("søkjar", "søker"), ("søkje", "søke"), ("leiar", "leder"),
    ("leiing", "ledelse"),
    # Words of municipal and election language whose nynorsk form differs from bokmål.
    ("røysting", "avstemning"), ("røyste", "stemme"), ("veljar", "velger"),
    ("fleirtal", "flertall"), ("innbyggjar", "innbygger"), ("avgjere", "avgjøre"),
    ("avgjerd", "avgjørelse"), ("fråsegn", "uttalelse"), ("einskild", "enkelt"),
    ("tilskot", "tilskudd"), ("eigedom", "eiendom"), ("husvære", "bolig"), ("sjuk", "syk"),
    ("pleiar", "pleier"), ("mottakar", "mottaker"), ("deltakar", "deltaker"),
    ("brukar", "bruker"), ("busetjing", "bosetting"), ("vatn", "vann"),
)
# The same, where the nynorsk form is the start of the bokmål word ("mindretal" / "mindretall").
_VARIANT_RE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"mindretal(?!l)"), "mindretall"), (re.compile(r"utval(?!g)"), "utvalg"),
)
_SKUL = re.compile(r"skul(?=e|a)")  # nynorsk "skule", "skular", "skulane" (not "skulle")
_HEIT = re.compile(r"heit(a|en|ene|ar|ane|er)?$")
_ADJ_LEG = re.compile(r"(?<=[a-zæøå]{3})leg(t)?$")  # nynorsk -leg adjectives, never "lege"

# Inflection endings (bokmål and nynorsk), longest first. "-ing" forms fold onto the verb stem
# ("vurdering" and "vurdere" both → "vurd"); "-het" nouns keep "het" (see stem()).
_SUFFIXES: tuple[str, ...] = tuple(sorted((
    "ingene", "ingane", "ingar", "inger", "ingen", "inga", "ings", "ing",
    "erne", "arne",
    "ene", "ane", "ens", "ets", "ers", "ars", "ast", "est",
    "er", "ar", "en", "et", "es", "a", "e", "s",
), key=len, reverse=True))
# Later rounds only for stems that themselves end like an ending: "karakterer" → "karakter"
# → "karakt" meets "karakter" → "karakt"; "vurderingens" → "vurdering" → "vurder" → "vurd"
# meets "vurdere"; "forvaltnings" → "forvaltning" → "forvaltn" meets "forvaltning".
_SECOND_ROUND: tuple[str, ...] = ("ing", "er", "ar", "e")
_MIN_STEM = 3

# Function words in bokmål and nynorsk, and words every idea uses ("ønsker", "prøve",
# "forsøk") that say nothing about which provision is meant.
STOPWORDS: frozenset[str] = frozenset("""
alle andre at av bare bli blir ble blitt både da de dei deira deires dem den denne dere deres
der det dette di din disse dykk dykkar du eg ei ein eit eitt eller elles en enn er et ett
etter for fordi fra frå før ha hadde han hans har hennar henne hennes her hjå ho hoe hun hva
hvem hver hvis hvilke hvilken hvor hvordan i ikke ikkje ingen inn inni ja jeg kan kom korleis
kun kunne kva kvar kven kvi man mange me med meg mellom men mer meir mitt mot mykje mye må
måtte ned nei no noe noen nok nå når og også om opp oss over på seg selv sia sidan sin sine
sitt sjølv skal skulle slik slike som somme så til um upp ut uten utan var vart vere verte
vi vil ville vår våre vårt være vært å òg ønsker ønskjer ønske ønskje ønsket ønskt gjerne
prøve prøva prøver forsøk forsøke forsøket forsøksperioden får få fått gjøre gjere gjer gjør
mest mindre flere fleire nye nytt ny i dag dag dagens slik sånn ting måte måten stedet staden
ønsker vil vilde via per hos blant heller lenger lengre tilbake altså dermed derfor fortsatt
både ca osv etc f.eks eksempel for eksempel egen eget egne eigen eige eigne små store stor
liten lite litt én eitt to tre fire fem seks sju åtte ni ti hver hvert kvart ha
raskere enklere bedre betre tettere tidligere mykje ofte lenge år året åra årene gang gangen
uke uka veke måned måneder månad imot mot tar ta gi gir gis gitt
""".split())


@functools.lru_cache(maxsize=65536)
def normalise(word: str) -> str:
    """Lower case and fold nynorsk spellings of shared morphemes onto bokmål."""
    w = word.lower()
    for old, new in _VARIANTS:
        if old in w:
            w = w.replace(old, new)
    for rx, new in _VARIANT_RE:
        w = rx.sub(new, w)
    w = _SKUL.sub("skol", w)
    w = _HEIT.sub(lambda m: "het" + (m.group(1) or ""), w)
    w = _ADJ_LEG.sub(lambda m: "lig" + (m.group(1) or ""), w)
    return w


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one word: one inflection ending, then "-ing"/"-er"/"-ar"/"-e" up to twice."""
    w = normalise(word)
    for suffixes in (_SUFFIXES, _SECOND_ROUND, _SECOND_ROUND):
        for suf in suffixes:
            if w.endswith(suf) and len(w) - len(suf) >= _MIN_STEM:
                if suf in ("et", "e", "s") and w.endswith("het"):
                    continue  # "myndighet" is a stem, not "myndigh" + "et"
                if suf == "s" and w.endswith("ss"):
                    continue  # "gravplass", "prosess": not a genitive
                w = w[: -len(suf)]
                break
        else:
            break
    return w


def words(text: str) -> list[str]:
    """The words of a text, lower case, in order (numbers kept: "8. trinn" → "8", "trinn")."""
    return _WORD.findall(text.lower()) if text else []


def content_words(text: str) -> list[str]:
    """Words that can carry meaning: no stop words, no one-letter words."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


_CLAUSE = re.compile(r"[.;:!?,()]")
_MOTIVE_OPENERS = (("for", "å"), ("for", "at"), ("fordi",), ("siden",), ("sidan",),
                   ("ettersom",), ("så", "vi"), ("så", "me"), ("så", "dei"), ("så", "de"))
_MAIN_VERBS = frozenset("vil skal må ønsker ønskjer kan bør trenger treng".split())


def weighted_content_words(text: str, motive_weight: float) -> list[tuple[str, float]]:
    """Content words with a weight: words in a purpose or cause clause ("for å spare penger",
    "fordi …", "…, så vi slipper …") say why the idea is wanted, not what it changes, and get
    motive_weight; all other words get 1.0. A clause runs to the next punctuation mark or, for
    a clause opening the sentence ("For å få budsjettet i balanse vil vi …"), to the verb that
    starts the main clause."""
    out: list[tuple[str, float]] = []
    for clause in _CLAUSE.split(text or ""):
        ws = words(clause)
        motive = any(tuple(ws[:len(o)]) == o for o in _MOTIVE_OPENERS)
        for i, w in enumerate(ws):
            if motive and i > 1 and w in _MAIN_VERBS:
                motive = False
            if w not in STOPWORDS and len(w) > 1:
                out.append((w, motive_weight if motive else 1.0))
    return out


def stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


class Decompounder:
    """Splits compound words into the stems of known parts: "skolefravær" → ["skol", "fravær"].

    Works on the (normalised) word, not its stem, so inflected tails are recognised
    ("oppvekstlederen" → "oppvekst" + "led"). A part must be at least four letters long and
    have its stem in the vocabulary, so "forsøk" does not become "for" + "søk". Linking "s" and
    "e" between parts are allowed ("vedtaksmyndighet" → "vedtak" + "myndighet"). Splits are
    cached per word.
    """

    MIN_PART = 4

    def __init__(self, vocabulary: Container[str]) -> None:
        self.vocabulary = vocabulary
        self._cache: dict[str, tuple[str, ...]] = {}

    def parts(self, word: str) -> tuple[str, ...]:
        """The stems of a compound's parts, or () when it is not a known compound."""
        cached = self._cache.get(word)
        if cached is None:
            cached = tuple(self._split(normalise(word), depth=0) or ())
            self._cache[word] = cached
        return cached

    def _known(self, part: str) -> bool:
        return len(part) >= self.MIN_PART and stem(part) in self.vocabulary

    def _split(self, w: str, depth: int) -> list[str] | None:
        if depth > 3 or len(w) < 2 * self.MIN_PART:
            return None
        # Try the longest tail first: "oppgavefellesskap" → "oppgav" + "fellesskap", not
        # "oppgav" + "fell" + "skap".
        for cut in range(self.MIN_PART, len(w) - self.MIN_PART + 1):
            head, tail = w[:cut], w[cut:]
            if not self._known(tail):
                continue
            for h in (head, head[:-1] if head[-1:] in ("s", "e") else None):
                if h is None or len(h) < self.MIN_PART:
                    continue
                if self._known(h):
                    return [stem(h), stem(tail)]
                deeper = self._split(h, depth + 1)
                if deeper:
                    return deeper + [stem(tail)]
            if head.endswith("s") and len(head) > self.MIN_PART and head[-2] not in "s":
                # A linking -s- before a known word is a strong compound signal even when the
                # head is not in the vocabulary: "fartsregl" → "fart" + "regl".
                return [stem(head[:-1]), stem(tail)]
        return None


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """A synonym phrase as a tuple of stems (stop words dropped): "treffe enkeltvedtak"."""
    return tuple(stem(w) for w in content_words(phrase))


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for it in items:
        if it not in seen:
            seen.add(it)
            out.append(it)
    return out
