"""The parser on small hand-written documents in Lovdata's format (invented content):
ids, text per node, headings, lists, references, ranges, amendments and header metadata."""

from __future__ import annotations

import pytest

from regelsjekk.core.ids import is_valid_id
from regelsjekk.core.model import DocKind, NodeKind, Origin, RefKind
from regelsjekk.lovdata.errors import ImportProblem
from regelsjekk.lovdata.parse import parse_document
from regelsjekk.lovdata.refs import normalise_target, refine_ledd


def make(body: str, header: str = "", refid: str = "lov/2099-05-05-5",
         dokid: str = "NL/lov/2099-05-05-5", title: str = "Lov om prøving (prøveloven)") -> bytes:
    head = (f'<dt class="dokid">DokumentID</dt><dd class="dokid">{dokid}</dd>'
            f'<dt class="refid">RefID</dt><dd class="refid">{refid}</dd>'
            f'<dt class="title">Tittel</dt><dd class="title">{title}</dd>{header}')
    return (f'<!DOCTYPE html><html lang="no"><head><title>{title}</title></head><body>'
            f'<header class="documentHeader"><dl class="data-document-key-info">{head}</dl>'
            f'</header><main class="documentBody"><h1>{title}</h1>{body}</main></body></html>'
            ).encode()


def art(num: str, title: str, *ledd: str) -> str:
    inner = "".join(f'<article class="legalP">{x}</article>' for x in ledd)
    return (f'<article class="legalArticle" data-name="§{num}"><h3 class="legalArticleHeader">'
            f'<span class="legalArticleValue">§ {num}</span>. '
            f'<span class="legalArticleTitle">{title}</span></h3>{inner}</article>')


def lst(*items: str, labels: list[str] | None = None) -> str:
    out = []
    for i, text in enumerate(items):
        label = labels[i] if labels else f"{chr(97 + i)})"
        out.append(f'<li data-name="{label}"><article class="listArticle">'
                   f'<span class="data-originalId">{label}</span>'
                   f'<article class="legalP">{text}</article></article></li>')
    return f'<ul class="defaultList">{"".join(out)}</ul>'


def ids(doc) -> list[str]:  # noqa: ANN001
    return [n.id for n in doc.document.nodes]


def node(doc, node_id: str):  # noqa: ANN001, ANN201
    return next(n for n in doc.document.nodes if n.id == node_id)


def targets(doc, source: str | None = None) -> list[str]:  # noqa: ANN001
    return [r.target for r in doc.document.references if source is None or r.source == source]


D = "lov/2099-05-05-5"


def test_structure_ids_follow_lovdatas_scheme() -> None:
    body = ('<section class="section" data-name="del1"><h2>Første del. Innledning</h2>'
            '<section class="section" data-name="kap1"><h3>Kapittel 1. Formål</h3>'
            + art("1-1", "Formål", "Loven skal prøves.", "Kongen kan gi regler om:"
                  + lst("dette", "hint")) +
            '</section></section>'
            '<section class="section" data-name="kap2"><h2>Kapittel 2 A. Annet</h2>'
            + art("2A-1", "Mer", "Tekst.") + '</section>')
    doc = parse_document(make(body))
    assert ids(doc) == [
        D, f"{D}/del/1", f"{D}/kapittel/1", f"{D}/§1-1", f"{D}/§1-1/ledd/1", f"{D}/§1-1/ledd/2",
        f"{D}/§1-1/ledd/2/bokstav/a", f"{D}/§1-1/ledd/2/bokstav/b", f"{D}/kapittel/2A",
        f"{D}/§2A-1", f"{D}/§2A-1/ledd/1"]
    assert all(is_valid_id(i) for i in ids(doc))
    assert doc.document.nodes[0].kind == NodeKind.DOCUMENT
    assert node(doc, f"{D}/del/1").heading == "Innledning"
    assert node(doc, f"{D}/kapittel/1").parent_id == f"{D}/del/1"
    assert node(doc, f"{D}/§1-1").parent_id == f"{D}/kapittel/1"
    assert node(doc, f"{D}/§1-1").heading == "Formål"
    # Own text only: the ledd holds its lead-in, the items their own words.
    assert node(doc, f"{D}/§1-1/ledd/2").text == "Kongen kan gi regler om:"
    assert node(doc, f"{D}/§1-1/ledd/2/bokstav/b").text == "hint"
    assert node(doc, f"{D}/§1-1").text is None
    assert [n.order for n in doc.document.nodes if n.parent_id == f"{D}/§1-1"] == [0, 1]


def test_numbered_and_bulleted_items_and_numbered_ledd() -> None:
    body = ('<article class="legalArticle" data-name="§3"><h3 class="legalArticleHeader">'
            '<span class="legalArticleValue">§ 3</span></h3>'
            '<article class="numberedLegalP">(1) Første.</article>'
            '<article class="numberedLegalP">(2) Andre:' + lst("en", "to", labels=["1.", "2."])
            + lst("strek", labels=["-"]) + '</article></article>')
    doc = parse_document(make(body))
    assert f"{D}/§3/ledd/2" in ids(doc)
    assert f"{D}/§3/ledd/2/nummer/1" in ids(doc)
    assert f"{D}/§3/ledd/2/nummer/2" in ids(doc)
    assert f"{D}/§3/ledd/2/nummer/3" in ids(doc)  # a dash item is numbered by position
    assert node(doc, f"{D}/§3/ledd/1").text == "(1) Første."


def test_roman_chapters_and_unnumbered_headings() -> None:
    body = ('<section class="section" data-name="kapI"><h2>I</h2>'
            '<article class="legalP">Endringer.</article></section>'
            '<section class="section"><h2>Vedlegg</h2><article class="legalP">Kart.</article>'
            '</section>'
            '<section class="section" data-name="kap3"><h2>Kapittel 3. Tre</h2>'
            '<section class="section" data-name="kapI"><h3>I. Underdel</h3>'
            + art("3-1", "Ett", "Tekst.") + '</section></section>')
    doc = parse_document(make(body))
    assert f"{D}/kapittel/I/ledd/1" in ids(doc)
    # An unnumbered heading is no container: its ledd joins the document.
    assert f"{D}/ledd/1" in ids(doc)
    assert "Vedlegg" in node(doc, D).text
    # "I." inside chapter 3 is a sub-heading: § 3-1 hangs under chapter 3.
    assert node(doc, f"{D}/§3-1").parent_id == f"{D}/kapittel/3"
    assert doc.stats["underoverskrift_i_kapittel"] == 1


def test_duplicate_ids_are_made_unique_and_counted() -> None:
    body = art("1", "A", "x") + art("1", "B", "y")
    doc = parse_document(make(body))
    assert f"{D}/§1" in ids(doc) and f"{D}/§1_2" in ids(doc)
    assert node(doc, f"{D}/§1_2/ledd/1").text == "y"
    assert doc.stats["dupliserte_id"] == 1
    assert len(set(ids(doc))) == len(ids(doc))


def test_links_ranges_and_ledd_words() -> None:
    body = (art("1", "A", "a") + art("2", "B", "b") + art("3", "C", "c") + art("4", "D", "d")
            + art("5", "Henvisninger",
                  f'Etter <a href="{D}/§1">§§ 1</a> til <a href="{D}/§4">4</a> og '
                  f'<a href="lov/1999-03-26-17/§2-2">husleieloven § 2-2</a> annet ledd, '
                  f'<a href="lov/1999-03-26-17/§3-1">§ 3-1</a> første og annet ledd, '
                  f'<a href="lov/2005-05-20-28/§51/bokstav/a">§ 51 bokstav a</a>, '
                  f'<a href="lov/1967-02-10/kapiv">kapittel IV</a>, '
                  f'<a href="https://lovdata.no/dokument/NL/lov/1967-02-10/§11">§ 11</a>, '
                  f'<a href="eu/32004r0883">forordning</a>, '
                  f'<a href="lov/1999-03-26-17/§9-1">§§ 9-1</a> til <a href="lov/1999-03-26-17/§9-3">9-3</a>.'))
    doc = parse_document(make(body))
    got = targets(doc, f"{D}/§5/ledd/1")
    # The range in this document is expanded with its own § order.
    assert sorted(t for t in got if t.startswith(D)) == [f"{D}/§1", f"{D}/§2", f"{D}/§3",
                                                          f"{D}/§4"]
    assert "lov/1999-03-26-17/§2-2/ledd/2" in got      # "annet ledd" after the link
    assert "lov/1999-03-26-17/§3-1" in got             # "første og annet ledd": left at the §
    assert "lov/2005-05-20-28/§51/bokstav/a" in got
    assert "lov/1967-02-10/kapittel/IV" in got
    assert "lov/1967-02-10/§11" in got
    assert not any(t.startswith("eu/") for t in got)
    # A range into another document waits for that document's § order.
    assert [(r.first, r.last) for r in doc.ranges] == [("lov/1999-03-26-17/§9-1",
                                                        "lov/1999-03-26-17/§9-3")]
    texts = {r.target: r.text for r in doc.document.references}
    assert texts[f"{D}/§1"] == texts[f"{D}/§3"] == texts[f"{D}/§4"] == "§§ 1 til 4"
    assert texts["lov/1999-03-26-17/§9-3"] == "§§ 9-1 til 9-3"
    assert doc.ref_flags[targets(doc).index("lov/1999-03-26-17/§2-2/ledd/2")] == 2


def test_hjemmel_and_amendments() -> None:
    header = ('<dt class="basedOn">Hjemmel</dt><dd class="basedOn"><ul>'
              '<li>lov/1992-06-26-87/§7</li><li>null</li><li><a href="forskrift/1992-12-18-1079">'
              'forskrift/1992-12-18-1079</a></li></ul></dd>'
              '<dt class="changesToDocuments">Endrer</dt><dd class="changesToDocuments"><ul>'
              '<li>lov/2015-06-19-70</li></ul></dd>')
    body = ('<section class="section" data-name="kapI"><h2>I</h2>'
            '<article class="document-change" data-document="lov/2015-06-19-70">'
            '<article class="change" data-change-part="lov/2015-06-19-70/§13/ledd/2/setning/1">'
            '<article class="defaultP">§ 13 andre ledd skal lyde:</article>'
            '<article class="legalP">Ny tekst om prøving.</article></article>'
            '<article class="change" data-add-new-part="lov/2015-06-19-70/§1a">'
            '<article class="futureLegalArticle" data-name="§1a"><span class="futureLegalArticleHeader">'
            '<span class="legalArticleValue">§ 1 a</span></span>'
            '<article class="legalP">Innskutt.</article></article></article>'
            '</article></section>')
    doc = parse_document(make(body, header, refid="forskrift/2099-06-06-66",
                              dokid="LTI/forskrift/2099-06-06-66", title="Forskrift om endring"))
    meta = doc.document.meta
    assert meta.kind == DocKind.FORSKRIFT and meta.origin == Origin.LOVTIDEND
    assert meta.based_on == ["lov/1992-06-26-87/§7", "forskrift/1992-12-18-1079"]
    assert meta.changes_to_documents == ["lov/2015-06-19-70"]
    refs = {(r.source, r.target, r.kind) for r in doc.document.references}
    F = "forskrift/2099-06-06-66"
    assert (F, "lov/1992-06-26-87/§7", RefKind.HJEMMEL) in refs
    assert (F, "lov/2015-06-19-70", RefKind.AMENDS) in refs
    assert (f"{F}/kapittel/I", "lov/2015-06-19-70/§13/ledd/2", RefKind.AMENDS) in refs
    assert (f"{F}/kapittel/I", "lov/2015-06-19-70/§1a", RefKind.AMENDS) in refs
    # Quoted amendment text is the chapter's text, never nodes of the amending act.
    assert ids(doc) == [F, f"{F}/kapittel/I"]
    assert "Ny tekst om prøving." in node(doc, f"{F}/kapittel/I").text
    assert doc.stats["hjemmel_uten_id"] == 0  # "null" is Lovdata's empty marker, not an id


def test_header_ids_are_deduplicated_and_entries_without_an_id_counted() -> None:
    header = ('<dt class="basedOn">Hjemmel</dt><dd class="basedOn"><ul>'
              '<li>lov/1992-06-26-87/§7</li><li>Kongelig resolusjon</li>'
              '<li>lov/1992-06-26-087/§7</li></ul></dd>'
              '<dt class="changesToDocuments">Endrer</dt><dd class="changesToDocuments"><ul>'
              '<li>lov/2015-06-19-70</li><li>lov/2015-06-19-70</li><li>EØS-avtalen</li>'
              '<li>forskrift/2001-01-01-0</li></ul></dd>')
    doc = parse_document(make(art("1", "A", "a"), header))
    meta = doc.document.meta
    assert meta.based_on == ["lov/1992-06-26-87/§7"]
    assert meta.changes_to_documents == ["lov/2015-06-19-70", "forskrift/2001-01-01"]
    assert (doc.stats["hjemmel_uten_id"], doc.stats["endrer_uten_id"]) == (1, 1)


def test_header_metadata_kept_including_unknown_pairs() -> None:
    header = ('<dt class="legacyID">Datokode</dt><dd class="legacyID">LOV-2099-05-05-5</dd>'
              '<dt class="titleShort">Korttittel</dt><dd class="titleShort">Prøveloven – prl.</dd>'
              '<dt class="ministry">Departement</dt><dd class="ministry"><ul><li>Prøvedepartementet'
              '</li></ul></dd><dt class="dateInForce">I kraft fra</dt>'
              '<dd class="dateInForce">Kongen bestemmer</dd>'
              '<dt class="dateOfPublication">Kunngjort</dt><dd class="dateOfPublication">2099-05-05'
              '</dd><dt class="lastChangeInForce">Sist</dt><dd class="lastChangeInForce">2100-01-01'
              '</dd><dt class="legalArea">Rettsområde</dt><dd class="legalArea"><ul><li>A &gt; B'
              '</li></ul></dd><dt class="miscInformation">Annet</dt>'
              '<dd class="miscInformation">Prop. 1 L.</dd>'
              '<dt class="journalNumber">Journalnummer</dt><dd class="journalNumber">2099-0001</dd>'
              '<dt class="table-of-contents">Innhold</dt><dd class="table-of-contents">'
              '<ul class="tocTopUl"><li>§ 1</li></ul></dd>')
    meta = parse_document(make(art("1", "A", "a"), header)).document.meta
    assert (meta.id, meta.dokid, meta.legacy_id) == (D, "NL/lov/2099-05-05-5", "LOV-2099-05-05-5")
    assert (meta.title_short, meta.abbreviation) == ("Prøveloven", "prl.")
    assert meta.ministry == ["Prøvedepartementet"]
    assert meta.date_in_force == "Kongen bestemmer"
    assert meta.date_of_publication == "2099-05-05" and meta.last_change_in_force == "2100-01-01"
    assert meta.legal_area == ["A > B"] and meta.misc_information == "Prop. 1 L."
    assert meta.extra == {"journalNumber": "2099-0001"}
    assert meta.origin == Origin.CONSOLIDATED and not meta.local


def test_law_labelled_forskrift_by_an_old_export_is_a_law() -> None:
    data = make(art("1", "A", "a"), refid="", dokid="LTI/forskrift/2001-06-15-99",
                title="Lov om prøving")
    doc = parse_document(data, "lti/2001/nl-20010615-099.xml")
    assert doc.document.meta.id == "lov/2001-06-15-99"
    assert doc.stats["lov_merket_forskrift"] == 1


def test_local_regulation_and_number_without_leading_zeros() -> None:
    doc = parse_document(make(art("1", "A", "a"), refid="forskrift/1994-02-17-0263",
                              dokid="LTII/forskrift/1994-02-17-263"))
    assert doc.document.meta.id == "forskrift/1994-02-17-263"
    assert doc.document.meta.local


def test_document_without_any_id_is_refused() -> None:
    with pytest.raises(ImportProblem) as info:
        parse_document(make(art("1", "A", "a"), refid="", dokid=""))
    assert info.value.code == "mangler_id"


@pytest.mark.parametrize(("href", "expected"), [
    ("lov/1999-03-26-17/§1-1", "lov/1999-03-26-17/§1-1"),
    ("forskrift/2003-12-19-01766", "forskrift/2003-12-19-1766"),
    ("lov/1967-02-10/kapvi", "lov/1967-02-10/kapittel/VI"),
    ("lov/1997-02-28-19/kap17A", "lov/1997-02-28-19/kapittel/17A"),
    ("lov/1981-05-22-25/§99/ledd/1/setning/3", "lov/1981-05-22-25/§99/ledd/1"),
    ("lov/2008-06-27-71/§12-7/ledd/1/nummer/14", "lov/2008-06-27-71/§12-7/ledd/1/nummer/14"),
    ("lov/1992-11-27-109/eøsl/a31", "lov/1992-11-27-109"),
    ("lov/1965-06-18-4/42", "lov/1965-06-18-4"),
    ("legal-areas/08", None),
    ("#kapittel-1", None),
    ("null", None),
])
def test_normalise_target(href: str, expected: str | None) -> None:
    assert normalise_target(href) == expected


def test_refine_ledd_is_conservative() -> None:
    assert refine_ledd("lov/1999-03-26-17/§2", " tredje ledd gjelder") == "lov/1999-03-26-17/§2/ledd/3"
    assert refine_ledd("lov/1999-03-26-17/§2", " fyrste ledd") == "lov/1999-03-26-17/§2/ledd/1"
    assert refine_ledd("lov/1999-03-26-17/§2", " annet ledd og tredje ledd") is None
    assert refine_ledd("lov/1999-03-26-17/§2", " siste ledd") is None
    assert refine_ledd("lov/1999-03-26-17/§2/ledd/1", " annet ledd") is None


def test_lovtidend_front_matter_lists_are_text_of_the_document() -> None:
    body = ('<article class="defaultP" data-text-size="small">Endringer i følgende lover:'
            + lst("Lov om noe.", "Lov om annet.", labels=["1", "2"]) + '</article>'
            + art("1", "A", "a"))
    doc = parse_document(make(body))
    assert ids(doc) == [D, f"{D}/§1", f"{D}/§1/ledd/1"]
    assert "Endringer i følgende lover:" in node(doc, D).text
    assert "Lov om annet." in node(doc, D).text



def test_stored_metadata_is_the_models_json_also_for_a_name_pydantic_cannot_encode() -> None:
    """The loader's rows carry the header as JSON (documents.meta): the model's own JSON, and
    the same JSON the plain way when the member name has undecodable bytes (a tar name read
    with surrogateescape), which pydantic refuses to encode."""
    import json

    from regelsjekk.lovdata.parse import parse_rows

    data = make(art("1", "Formål", "Loven gjelder prøving."),
                header='<dt class="titleShort">Korttittel</dt><dd class="titleShort">Prøveloven – prl.</dd>')
    for name in ("lti/nl-20990505-005.xml", "lti/nl-2099\udcff.xml"):
        meta_text = parse_rows(data, name, "arkiv.tar.bz2", "abc")[1]
        meta = parse_document(data, name, "arkiv.tar.bz2").document.meta
        meta.content_hash = "abc"
        assert json.loads(meta_text) == meta.model_dump(mode="json")
        assert json.loads(meta_text)["abbreviation"] == "prl."
        assert json.loads(meta_text)["source_file"] == name
