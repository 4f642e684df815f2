"""Citation parsing: every form Norwegian lawyers write, and what must not be taken for one."""

from __future__ import annotations

import pytest

from regelsjekk.refs import Pinpoint, Span, parse_citations, parse_reference


def one(text: str):
    found = parse_citations(text)
    assert len(found) == 1, found
    return found[0]


def name_of(c) -> str | None:
    return c.law.name if c.law else None


@pytest.mark.parametrize("text, name, targets", [
    ("kommuneloven § 19-1 tredje ledd", "kommuneloven", [Pinpoint(section="19-1", ledd=3)]),
    ("kl. § 19-1 (3)", "kl.", [Pinpoint(section="19-1", ledd=3)]),
    ("kl § 19-1 (3)", "kl", [Pinpoint(section="19-1", ledd=3)]),
    ("opplæringslova § 29-3", "opplæringslova", [Pinpoint(section="29-3")]),
    ("fvl. §§ 24 og 25", "fvl.", [Pinpoint(section="24"), Pinpoint(section="25")]),
    ("fvl §§ 24, 25 og 27", "fvl", [Pinpoint(section="24"), Pinpoint(section="25"),
                                     Pinpoint(section="27")]),
    ("kommunelovens § 5-1 første og annet ledd", "kommunelovens",
     [Pinpoint(section="5-1", ledd=1), Pinpoint(section="5-1", ledd=2)]),
    ("forsøksloven § 3 første ledd bokstav a og b", "forsøksloven",
     [Pinpoint(section="3", ledd=1, bokstav="a"), Pinpoint(section="3", ledd=1, bokstav="b")]),
    ("plan- og bygningsloven § 12-1 annet ledd tredje punktum", "plan- og bygningsloven",
     [Pinpoint(section="12-1", ledd=2, punktum=3)]),
    ("forvaltningsloven § 17 (1) bokstav b", "forvaltningsloven",
     [Pinpoint(section="17", ledd=1, bokstav="b")]),
    ("Grunnloven § 100", "Grunnloven", [Pinpoint(section="100")]),
    ("helse- og omsorgstjenesteloven § 3-2 nr. 6", "helse- og omsorgstjenesteloven",
     [Pinpoint(section="3-2", nummer="6")]),
    ("straffeloven § 16", "straffeloven", [Pinpoint(section="16")]),
    ("opplæringslova § 29-3 fyrste ledd", "opplæringslova", [Pinpoint(section="29-3", ledd=1)]),
    ("barnevernsloven § 15-13 andre ledd", "barnevernsloven", [Pinpoint(section="15-13", ledd=2)]),
    ("folketrygdloven § 25-13 sjuande ledd", "folketrygdloven", [Pinpoint(section="25-13", ledd=7)]),
    ("folketrygdloven § 25-13 syvende ledd", "folketrygdloven", [Pinpoint(section="25-13", ledd=7)]),
    ("arbeidsmiljøloven § 14-9 åttande ledd", "arbeidsmiljøloven", [Pinpoint(section="14-9", ledd=8)]),
    ("kommuneloven § 7-2 siste ledd", "kommuneloven", [Pinpoint(section="7-2", ledd=-1)]),
    ("kommuneloven § 5-1 2. ledd", "kommuneloven", [Pinpoint(section="5-1", ledd=2)]),
    ("kommuneloven § 5-1 annet ledd 2. pkt.", "kommuneloven",
     [Pinpoint(section="5-1", ledd=2, punktum=2)]),
    ("Grunnloven § 120 a", "Grunnloven", [Pinpoint(section="120a")]),
    ("folketrygdloven § 11a-1a", "folketrygdloven", [Pinpoint(section="11a-1a")]),
])
def test_citation_forms(text, name, targets):
    c = one(text)
    assert name_of(c) == name
    assert list(c.targets) == targets


@pytest.mark.parametrize("text, span", [
    ("kommuneloven §§ 1-1 til 1-4", Span(Pinpoint(section="1-1"), Pinpoint(section="1-4"))),
    ("kommuneloven §§ 19-1–19-4", Span(Pinpoint(section="19-1"), Pinpoint(section="19-4"))),
    ("fvl. §§ 24 – 25", Span(Pinpoint(section="24"), Pinpoint(section="25"))),
    ("kommuneloven kapittel 17 til 20", Span(Pinpoint(chapter="17"), Pinpoint(chapter="20"))),
    ("kommuneloven § 5-1 første til tredje ledd",
     Span(Pinpoint(section="5-1", ledd=1), Pinpoint(section="5-1", ledd=3))),
])
def test_ranges(text, span):
    assert list(one(text).targets) == [span]


def test_plural_hyphen_is_marked_for_the_resolver():
    """'§§ 24-25' is a range in fvl but § 24-25 in a law numbered by chapter: let the data decide."""
    (target,) = one("fvl. §§ 24-25").targets
    assert isinstance(target, Span) and target.hyphen
    assert one("kommuneloven § 24-25").targets == (Pinpoint(section="24-25"),)


@pytest.mark.parametrize("text, doc_id, targets", [
    ("lov 22. juni 2018 nr. 83 § 5-1", "lov/2018-06-22-83", [Pinpoint(section="5-1")]),
    ("lov av 22. juni 2018 nr. 83 § 5-1", "lov/2018-06-22-83", [Pinpoint(section="5-1")]),
    ("lov 22.6.2018 nr. 83 § 5-1", "lov/2018-06-22-83", [Pinpoint(section="5-1")]),
    ("lov 26. juni 1992 nr. 87 om forsøk i offentlig forvaltning § 3", "lov/1992-06-26-87",
     [Pinpoint(section="3")]),
    ("forskrift 23. juni 2006 nr. 724 § 3-1", "forskrift/2006-06-23-724", [Pinpoint(section="3-1")]),
    ("§ 5 i lov 22. juni 2018 nr. 83", "lov/2018-06-22-83", [Pinpoint(section="5")]),
    ("https://lovdata.no/lov/2018-06-22-83/§19-1", "lov/2018-06-22-83", [Pinpoint(section="19-1")]),
    ("https://lovdata.no/dokument/NL/lov/2018-06-22-83/KAPITTEL_19#§19-1", "lov/2018-06-22-83",
     [Pinpoint(section="19-1")]),
    ("https://lovdata.no/dokument/NL/lov/2018-06-22-83/%C2%A719-1", "lov/2018-06-22-83",
     [Pinpoint(section="19-1")]),
    ("https://lovdata.no/dokument/NL/lov/2018-06-22-83/KAPITTEL_19", "lov/2018-06-22-83",
     [Pinpoint(chapter="19")]),
    ("https://lovdata.no/dokument/SF/forskrift/2006-06-23-724", "forskrift/2006-06-23-724", []),
    ("LOV-2018-06-22-83-§19-1", "lov/2018-06-22-83", [Pinpoint(section="19-1")]),
    ("LOV-2018-06-22-83", "lov/2018-06-22-83", []),
    ("lov/2018-06-22-83/§19-1/ledd/2", "lov/2018-06-22-83", [Pinpoint(section="19-1", ledd=2)]),
    ("lov/1992-06-26-87/§3/ledd/1/bokstav/a", "lov/1992-06-26-87",
     [Pinpoint(section="3", ledd=1, bokstav="a")]),
])
def test_ids_urls_and_dates(text, doc_id, targets):
    c = one(text)
    assert c.law is not None and c.law.doc_id == doc_id
    assert list(c.targets) == targets


def test_date_without_number_keeps_the_date():
    c = one("lov 10. februar 1967 § 2")
    assert (c.law.kind, c.law.date, c.law.doc_id) == ("lov", "1967-02-10", None)


def test_postpositive_law_names():
    assert name_of(one("§ 19-1 i kommuneloven")) == "kommuneloven"
    assert name_of(one("§ 4 første ledd etter forvaltningsloven")) == "forvaltningsloven"
    assert name_of(one("kap. 5 i kommuneloven")) == "kommuneloven"
    assert one("kap. 5 i kommuneloven").targets == (Pinpoint(chapter="5"),)
    c = one("§ 2 i forskrift om kommunale og fylkeskommunale budsjetter, jf. loven")
    assert name_of(c) == "forskrift om kommunale og fylkeskommunale budsjetter"


def test_full_title_before_section():
    c = one("Vi viser til forskrift om kommunale og fylkeskommunale budsjetter § 2.")
    assert name_of(c) == "forskrift om kommunale og fylkeskommunale budsjetter"
    assert name_of(one("lov om kommuner og fylkeskommuner (kommuneloven) § 3-1")) == "kommuneloven"


def test_jf_chains_inherit_the_law():
    found = parse_citations("etter kommuneloven § 19-1, jf. § 19-2 og § 19-3")
    assert [t.section for c in found for t in c.targets] == ["19-1", "19-2", "19-3"]
    assert [name_of(c) for c in found] == ["kommuneloven"] * len(found)
    assert [c.inherited for c in found] == [False] + [True] * (len(found) - 1)
    found = parse_citations("kommuneloven § 5-1 jfr. § 5-3, jamfør § 5-4")
    assert [c.targets[0].section for c in found] == ["5-1", "5-3", "5-4"]
    assert all(name_of(c) == "kommuneloven" for c in found)


def test_a_new_law_name_breaks_the_chain():
    found = parse_citations("kl. § 19-1, jf. fvl. § 17")
    assert [name_of(c) for c in found] == ["kl.", "fvl."]
    assert found[1].chain_law is not None  # fallback if «fvl.» names nothing


def test_relative_references():
    c = one("§ 4 første ledd")
    assert c.law is None and c.targets == (Pinpoint(section="4", ledd=1),)
    assert one("§§ 1-1 til 1-4 i denne loven").law.this_document
    assert one("§ 3 i loven her").law.this_document


def test_reference_mode_takes_the_whole_prefix_as_name():
    (c,) = parse_reference("forskrift om kommunale og fylkeskommunale budsjetter § 2")
    assert name_of(c) == "forskrift om kommunale og fylkeskommunale budsjetter"
    (c,) = parse_reference("Forsøksloven")
    assert name_of(c) == "Forsøksloven" and c.targets == ()
    found = parse_reference("kl. § 19-1, jf. § 19-2")
    assert [c.targets[0].section for c in found] == ["19-1", "19-2"]
    assert found[1].law.name == "kl."


# -- what must not match -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Møtet starter kl. 10 i kommunestyresalen.",
    "Kommunen skal sende saken til statsforvalteren innen to uker.",
    "Det kom 25 kl-elever og 19-1 i stemmer.",
    "lovens formål er godt kjent",
    "Vi ønsker å prøve ut en ny modell.",
])
def test_ordinary_text_has_no_citations(text):
    assert parse_citations(text) == []


def test_number_is_never_cut_or_extended():
    assert one("kommuneloven § 2-30").targets == (Pinpoint(section="2-30"),)
    assert one("kommuneloven § 2-3.").targets == (Pinpoint(section="2-3"),)
    assert one("kommuneloven § 3-2").targets == (Pinpoint(section="3-2"),)


def test_following_numbers_that_are_not_sections_stop_a_list():
    c = one("Etter § 5 og 10 kommuner i regionen")
    assert c.targets == (Pinpoint(section="5"),)


def test_words_before_section_are_only_weak_guesses():
    c = one("Det står i § 5 at kommunen kan.")
    assert c.law is None
    c = one("Vi skal følge § 5 nøye.")
    assert c.law is not None and c.law.weak  # dropped by the resolver unless it names a law


def test_parts_need_a_law_named_with_them():
    """'del' is an ordinary word: "del 2 av rapporten" is no citation, "kommuneloven del 5" is."""
    assert parse_citations("En del 2 av rapporten viser at del 3 er viktig.") == []
    assert one("kommuneloven del 5").targets == (Pinpoint(part="5"),)
    assert name_of(one("del 2 i kommuneloven")) == "kommuneloven"
    assert one("Del 3 i denne loven").law.this_document


def test_section_letter_is_not_the_word_i():
    assert one("§ 4 i kommuneloven").targets == (Pinpoint(section="4"),)
    assert one("kapittel 20 i kommuneloven").targets == (Pinpoint(chapter="20"),)
