"""Statute text as a lawyer reads it, on real documents from the shared Lovdata archives.

One test per document shape found in the four archives: a list inside a ledd with text after it
(forvaltningsloven § 28), a nested list inside an item with text after it, a list directly under
a §, dash and numbered lists, lists quoted in Lovtidend amendment acts, a table, an old file
without ledd wrappers, a § whose amendment instructions stand between its ledd, footnotes and
Lovdata's change notes. Each test parses one archive member (no import) and takes its expected
fragments from the XML itself, so no statute text is written here. Members of the two small
archives are quick; the Lovtidend archives take seconds to decompress and are marked slow.
"""

from __future__ import annotations

import tarfile
from functools import cache

import pytest
from lxml import etree

from regelsjekk.core import paths
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.sources import MemorySource
from regelsjekk.lovdata.parse import parse_bytes, parse_document

LOVER = "gjeldende-lover-utvalg.tar.bz2"
LTI_2025 = "lovtidend-avd1-2025.tar.bz2"
LTI_OLD = "lovtidend-1982-2000.tar.bz2"
# Every member a test reads, per archive: each archive is streamed once and only these are kept.
MEMBERS = {
    LOVER: ("nl/nl-19670210-000.xml", "nl/nl-20050520-028.xml", "nl/nl-19610616-015.xml",
            "nl/nl-19970228-019.xml", "nl/nl-20100903-056.xml"),
    LTI_2025: ("lti/2025/sf-20250404-0597.xml", "lti/2025/sf-20250109-0020.xml",
               "lti/2025/nl-20250620-101.xml"),
    LTI_OLD: ("lti/1987/sf-19871002-0775.xml", "lti/1988/lf-19880205-0134.xml"),
}
FVL = "lov/1967-02-10"


@cache
def _members(archive: str) -> dict[str, bytes]:
    path = paths.shared_lovdata_dir() / archive
    if not path.is_file():
        return {}
    wanted = set(MEMBERS[archive])
    out: dict[str, bytes] = {}
    with tarfile.open(path, "r:*") as tar:
        for info in tar:
            if info.name in wanted:
                out[info.name] = tar.extractfile(info).read()
                if len(out) == len(wanted):
                    break
    return out


class Doc:
    """One archive member: its XML (for expected fragments) and a knowledge base over its parse."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.xml = parse_bytes(data)
        self.parsed = parse_document(data).document
        self.kb = KnowledgeBase([MemorySource([self.parsed])])

    def el(self, xml_id: str) -> etree._Element:
        found = self.xml.xpath("//*[@id=$i]", i=xml_id)
        assert found, f"no element with id {xml_id} in the XML"
        return found[0]

    def text(self, node_id: str) -> str:
        text = self.kb.full_text(node_id)
        assert text, f"{node_id} has no text"
        return text


def member(archive: str, name: str) -> Doc:
    if not (paths.shared_lovdata_dir() / archive).is_file():
        pytest.skip(f"{archive} finnes ikke i {paths.shared_lovdata_dir()} (sett REGELSJEKK_LOVDATA)")
    data = _members(archive).get(name)
    if data is None:
        pytest.skip(f"{name} finnes ikke i {archive}")
    return Doc(data)


def words(text: str | None, n: int = 6) -> str:
    """The first n words of a piece of XML text: a fragment to look for."""
    return " ".join((text or "").split()[:n])


def own_text(el: etree._Element) -> str:
    """An element's text before its first child element (a ledd's lead-in)."""
    return el.text or ""


def item_text(li: etree._Element) -> str:
    """The first words of a list item's own text (its label span left out)."""
    p = li.xpath(".//article[@class='legalP']")[0]
    return own_text(p)


def in_order(text: str, fragments: list[str]) -> list[int]:
    """Where each fragment starts, each after the one before; fails naming the first missing."""
    at, places = 0, []
    for frag in fragments:
        assert frag, "empty fragment (the XML did not have what the test expected)"
        k = text.find(frag, at)
        assert k >= 0, f"«{frag}» not found after position {at} (in order) in:\n{text}"
        places.append(k)
        at = k + len(frag)
    return places


def line_of(text: str, fragment: str) -> str:
    return next(line for line in text.split("\n") if fragment in line)


def labels(ol: etree._Element) -> list[str]:
    return [li.get("data-name") for li in ol.iterchildren("li")]


# -- consolidated laws (quick) -----------------------------------------------------------------


def test_fvl_28_third_ledd_reads_lead_in_then_a_to_d_then_the_text_after_the_list() -> None:
    doc = member(LOVER, "nl/nl-19670210-000.xml")
    ledd3 = doc.el("kapittel-6-paragraf-1-ledd-3")
    ol = ledd3.find("ol")
    items = list(ol.iterchildren("li"))
    after = ledd3.find("p")  # p.leddfortsettelse: the text after the list, still ledd 3
    assert labels(ol) == ["a.", "b.", "c.", "d."]  # as Lovdata prints them in this law
    # Ids are as before: the list is ledd 3's, lettered a–d.
    for letter in "abcd":
        assert doc.kb.node(f"{FVL}/§28/ledd/3/bokstav/{letter}") is not None
    assert doc.kb.node(f"{FVL}/§28/ledd/4") is not None

    text = doc.text(f"{FVL}/§28")
    ledd4 = words(doc.el("kapittel-6-paragraf-1-ledd-4").text)
    in_order(text, [words(own_text(ledd3)),
                    *[f"{li.get('data-name')} {words(item_text(li), 4)}" for li in items],
                    words(after.text), ledd4])
    # Each item is a line of its own that starts with its letter, indented under the lead-in.
    for li in items:
        line = line_of(text, words(item_text(li), 4))
        assert line.lstrip().startswith(f"{li.get('data-name')} {words(item_text(li), 2)}")
        assert line.startswith("  ")
    # Lovdata's change note ("Endret ved lover …") is not statute text.
    note = doc.xml.xpath("//article[@data-name='§28']/article[@class='changesToParent']")[0]
    assert words(etree.tostring(note, method="text", encoding=str), 3) not in text

    # Looked up alone, bokstav c reads "c. …"; ledd 3 alone keeps the same order.
    c_text = doc.text(f"{FVL}/§28/ledd/3/bokstav/c")
    assert c_text.startswith(f"{items[2].get('data-name')} {words(item_text(items[2]), 2)}")
    in_order(doc.text(f"{FVL}/§28/ledd/3"), [words(own_text(ledd3)), words(item_text(items[3])),
                                               words(after.text)])
    # The ledd's own text (what full-text search indexes) holds lead-in and the text after the
    # list, the items hold their own words.
    own = doc.kb.node(f"{FVL}/§28/ledd/3").text
    in_order(own, [words(own_text(ledd3)), words(after.text)])
    assert words(item_text(items[0])) not in own


def test_fvl_28_through_lookup_and_the_cli() -> None:
    from regelsjekk.cli.lookup import render_text
    from regelsjekk.lookup.provisions import lookup
    from regelsjekk.rules.rulebook import load_rulebook

    doc = member(LOVER, "nl/nl-19670210-000.xml")
    rulebook = load_rulebook(paths.rules_dir())
    kb = KnowledgeBase([MemorySource([doc.parsed]), MemorySource(rulebook.builtin_documents())],
                       rulebook)
    result = lookup("fvl § 28", kb)
    assert result.found
    ledd3 = doc.el("kapittel-6-paragraf-1-ledd-3")
    items = list(ledd3.find("ol").iterchildren("li"))
    printed = render_text(result)
    in_order(printed, [words(own_text(ledd3), 4),
                       *[f"{li.get('data-name')} {words(item_text(li), 3)}" for li in items],
                       words(ledd3.find("p").text, 4)])


def test_nested_list_inside_an_item_with_text_after_the_nested_list() -> None:
    doc = member(LOVER, "nl/nl-20050520-028.xml")  # straffeloven § 81 bokstav b
    b = doc.el("kapittel-1-kapittel-15-paragraf-5-ledd-1-punkt-2-ledd-1")
    inner = b.find("ol")
    after = inner.tail
    assert after and after.strip(), "the XML no longer has text after the nested list"
    text = doc.text("lov/2005-05-20-28/§81")
    in_order(text, [f"b. {words(own_text(b), 3)}",
                    *[f"{li.get('data-name')} {words(item_text(li), 1)}"
                      for li in inner.iterchildren("li")],
                    words(after, 3)])
    outer_line = line_of(text, words(own_text(b), 3))
    nested_line = line_of(text, words(item_text(inner[0]), 1))
    after_line = line_of(text, words(after, 3))
    indent = len(outer_line) - len(outer_line.lstrip())
    assert len(nested_line) - len(nested_line.lstrip()) > indent  # nested list indented deeper
    # The text after the nested list continues item b, under its text, not as a new item.
    assert len(after_line) - len(after_line.lstrip()) > indent
    assert doc.kb.node("lov/2005-05-20-28/§81/ledd/1/bokstav/b/nummer/3") is not None


def test_numbered_list_directly_under_a_section() -> None:
    doc = member(LOVER, "nl/nl-19610616-015.xml")  # grannelova § 24: no ledd, a numbered list
    art = doc.xml.xpath("//article[@data-name='§24']")[0]
    ol = art.find("ol")
    assert ol is not None
    text = doc.text("lov/1961-06-16-15/§24")
    items = [li for li in ol.iterchildren("li") if li.get("data-name", "").rstrip(".").isdigit()]
    assert len(items) >= 2
    in_order(text, [f"{li.get('data-name')} {words(item_text(li), 3)}" for li in items])


def test_dash_list_keeps_its_dashes() -> None:
    doc = member(LOVER, "nl/nl-19970228-019.xml")  # folketrygdloven § 1-10 annet ledd
    ledd = doc.el("kapittel-1-kapittel-1-paragraf-12-ledd-2")
    ul = ledd.find("ul")
    assert set(labels(ul)) == {"-"}
    text = doc.text("lov/1997-02-28-19/§1-10/ledd/2")
    in_order(text, [words(own_text(ledd)),
                     *[f"- {words(item_text(li), 3)}" for li in ul.iterchildren("li")]])


def test_footnotes_are_not_statute_text() -> None:
    doc = member(LOVER, "nl/nl-20100903-056.xml")
    art = doc.xml.xpath("//article[@data-name='§10']")[0]
    note = art.xpath(".//article[@class='footnote']")[0]
    text = doc.text("lov/2010-09-03-56/§10")
    ledd1 = doc.el("paragraf-10-ledd-1") if doc.xml.xpath("//*[@id='paragraf-10-ledd-1']") else \
        art.xpath("article[@class='legalP']")[0]
    assert words(own_text(ledd1), 4) in text
    assert words(etree.tostring(note, method="text", encoding=str), 4) not in text
    # The footnote mark ("Kongen¹ bestemmer") does not leave a stray digit in the sentence.
    sup = art.xpath(".//sup[@class='footnotereference']")[0]
    before = " ".join(own_text(sup.getparent()).split()[-1:])
    assert f"{before} {sup.tail.split()[0]}" in text


def _notes(doc: Doc, node_id: str | None = None) -> list[tuple]:
    return [n for n in doc.notes if node_id is None or n[0] == node_id]


Doc.notes = property(lambda self: parse_document(self.data).notes)  # type: ignore[attr-defined]


def test_change_notes_are_kept_apart_on_their_section() -> None:
    """Issue 12: «Endret ved lover …» is not statute text, but a lawyer wants the history: it is
    kept as a note of the § it stands in, shown apart (slå-opp «Merknader», the app's expander)."""
    doc = member(LOVER, "nl/nl-19670210-000.xml")
    note = doc.xml.xpath("//article[@data-name='§28']/article[@class='changesToParent']")[0]
    expected = " ".join(etree.tostring(note, method="text", encoding=str).split())
    [(node, kind, label, text)] = _notes(doc, f"{FVL}/§28")
    assert (kind, label) == ("endring", None)
    assert words(text, 8) == words(expected, 8) and words(text, 3) not in doc.text(f"{FVL}/§28")
    every = doc.xml.xpath("//article[@class='changesToParent']")
    assert len([n for n in doc.notes if n[1] == "endring"]) == len(every)


def test_a_footnote_is_kept_on_the_provision_that_marks_it() -> None:
    """A footnote belongs to the node whose text carries its mark (here a ledd of § 10), with its
    label; a line break inside it becomes a space."""
    doc = member(LOVER, "nl/nl-20100903-056.xml")
    art = doc.xml.xpath("//article[@data-name='§10']")[0]
    fn = art.xpath(".//article[@class='footnote']")[0]
    sup = art.xpath(".//sup[@class='footnotereference']")[0]
    holder = sup.getparent()
    while holder.get("class") not in ("legalP", "legalArticle"):
        holder = holder.getparent()
    found = [n for n in doc.notes if n[1] == "fotnote" and n[2] == fn.get("data-name")]
    assert len(found) == 1
    node_id, _, _, text = found[0]
    assert node_id.startswith("lov/2010-09-03-56/§10")
    label = fn.xpath("span[@class='footnoteLabel']")[0]
    body = " ".join(etree.tostring(fn, method="text", encoding=str).split())
    assert words(text, 5) == words(body[len(" ".join((label.text or "").split())):].strip(), 5)
    assert not text.startswith(fn.get("data-name") + " ")  # the mark is the label, not text


def test_footnotes_with_the_same_label_go_to_their_own_marks() -> None:
    """A label («1») starts again in each section: every footnote goes to the § whose text or
    heading carries its own mark (Lovdata's per-document counter ties them), not the first «1»."""
    doc = member(LOVER, "nl/nl-20050520-028.xml")
    footnotes = doc.xml.xpath("//article[@class='footnote']")
    labels = [fn.get("data-name") for fn in footnotes]
    assert len(labels) > len(set(labels))  # the shape under test: a label used twice
    found = [n for n in doc.notes if n[1] == "fotnote"]
    assert [n[2] for n in found] == labels
    for fn, (node_id, _, _, _) in zip(footnotes, found):
        sup = doc.xml.xpath("//sup[@class='footnotereference'][@data-unique-footnote-counter=$c]",
                            c=fn.get("data-unique-footnote-counter"))[0]
        section = next(a for a in sup.iterancestors("article")
                       if a.get("class") == "legalArticle").get("data-name")
        assert f"/{section.replace(' ', '')}" in node_id, (section, node_id)
    assert len({n[0] for n in found}) == len(found)  # each on its own provision


@pytest.mark.slow
def test_a_lovtidend_correction_is_a_note_of_the_document() -> None:
    """Lovtidend's correction notices (gazettenote) belong to the document, dated, apart from the
    text; the corrected wording they quote never becomes a node of the act."""
    doc = member(LTI_2025, "lti/2025/nl-20250620-101.xml")
    gazette = doc.xml.xpath("//article[@class='gazettenote']")
    assert gazette
    notes = [n for n in doc.notes if n[1] == gazette[0].get("data-gazette-note-type")]
    assert len(notes) == len(gazette)
    assert all(n[0] == "lov/2025-06-20-101" for n in notes)
    assert notes[0][2] == gazette[0].get("data-gazette-note-date")
    quoted = gazette[0].xpath(".//article[@class='legalP']")[0].get("id")
    assert not any(n.id.endswith(quoted) for n in doc.parsed.nodes)


def test_notes_through_the_store_lookup_and_cli(tmp_path, capsys) -> None:  # noqa: ANN001
    """Imported, the notes are stored per node and shown by `slå-opp` under «Merknader» and in
    --json (`notes`); the text itself stays without them."""
    import json

    from regelsjekk.cli.main import main as cli_main
    from regelsjekk.lovdata.load import Source, run_import

    data = _members(LOVER).get("nl/nl-19670210-000.xml")
    if data is None:
        pytest.skip("forvaltningsloven finnes ikke i arkivet")
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "fvl.xml").write_bytes(data)
    db = tmp_path / "kb.sqlite"
    run_import([Source(folder)], db, fresh=True)
    store_kb = KnowledgeBase.open(db)
    notes = store_kb.notes([f"{FVL}/§28"])
    assert [n[1] for n in notes] == ["endring"]
    from regelsjekk.lookup.provisions import lookup

    view = lookup(f"{FVL}/§28", store_kb).provisions[0]
    assert [n.kind for n in view.notes] == ["endring"] and view.notes[0].text not in view.text
    capsys.readouterr()
    assert cli_main(["--db", str(db), "slå-opp", f"{FVL}/§28"]) == 0
    out = capsys.readouterr().out
    assert "Merknader (fra Lovdata, utenfor lovteksten):" in out
    assert out.index("Merknader") > out.index(words(view.text, 4))  # after the text, apart
    assert cli_main(["--db", str(db), "slå-opp", "--json", f"{FVL}/§28"]) == 0
    shown = json.loads(capsys.readouterr().out)["provisions"][0]["notes"]
    assert [n["kind"] for n in shown] == ["endring"] and shown[0]["node_id"] == f"{FVL}/§28"


def test_a_chapter_reads_each_section_under_its_own_heading() -> None:
    doc = member(LOVER, "nl/nl-19670210-000.xml")
    chapter = doc.kb.node(f"{FVL}/kapittel/VI")
    sec28 = doc.kb.node(f"{FVL}/§28")
    text = doc.text(chapter.id)
    lines = text.split("\n")
    head = f"§ 28 {sec28.heading}"
    assert head in lines  # a line of its own, not run into the statute text
    first = words(doc.el("kapittel-6-paragraf-1-ledd-1").text)
    assert first in lines[lines.index(head) + 1]
    # The § looked up alone starts with its text (its heading is shown apart, by the lookup).
    assert doc.text(sec28.id).startswith(first)


# -- Lovtidend (slow: the archives take seconds to decompress) ----------------------------------


@pytest.mark.slow
def test_amendment_act_quoted_list_keeps_its_letters() -> None:
    doc = member(LTI_2025, "lti/2025/sf-20250404-0597.xml")
    # The new § 4 quoted in the amending regulation: text of the amending act, not nodes of it.
    quoted = doc.el("kapittel-1-foreslåttparagraf-2-ledd-1")
    ul = quoted.find("ul")
    owner = next(n for n in doc.parsed.nodes if n.text and words(own_text(quoted)) in n.text)
    text = doc.text(owner.id)
    places = in_order(text, [words(own_text(quoted)),
                             *[f"{li.get('data-name')} {words(item_text(li), 3)}"
                               for li in ul.iterchildren("li")]])
    assert text[places[1] - 1] == "\n"  # each item starts a line
    assert not any(n.id.endswith("/bokstav/a") for n in doc.parsed.nodes
                   if n.id.startswith(owner.id + "/"))  # no nodes made from quoted text


@pytest.mark.slow
def test_table_rows_in_order_one_per_line() -> None:
    doc = member(LTI_2025, "lti/2025/sf-20250109-0020.xml")
    table = doc.xml.xpath("//article[@data-name='§4-4']//table")[0]
    rows = []
    for tr in table.iter("tr"):
        cells = [" ".join(td.xpath("string()").split()) for td in tr if td.tag in ("td", "th")]
        if len(cells) >= 2 and cells[0] and cells[1]:
            rows.append(f"{cells[0]} | {words(cells[1], 1)}")  # cells joined by « | »
    assert len(rows) >= 3
    text = doc.text("forskrift/2025-01-09-20/§4-4")
    places = in_order(text, rows)
    assert all(text[k - 1] == "\n" for k in places)  # one row per line


@pytest.mark.slow
def test_old_file_list_without_ledd_and_text_between_two_lists() -> None:
    doc = member(LTI_OLD, "lti/1987/sf-19871002-0775.xml")  # § 7: lists straight under the §
    art = doc.xml.xpath("//article[@data-name='§7']")[0]
    assert not art.xpath("article[@class='legalP']")  # no ledd wrappers
    lists = art.findall("ul")
    between = art.find("p")  # p.leddfortsettelse between the lists
    assert len(lists) >= 2 and between is not None
    first, second = lists[0][-1], lists[1][0]
    text = doc.text("forskrift/1987-10-02-775/§7")
    in_order(text, [f"{lists[0][0].get('data-name')} {words(item_text(lists[0][0]), 3)}",
                    f"{first.get('data-name')} {words(item_text(first), 3)}",
                    words(between.text, 4),
                    f"{second.get('data-name')} {words(item_text(second), 3)}"])


@pytest.mark.slow
def test_list_under_a_ledd_but_after_the_sections_own_lead_in() -> None:
    """A trial regulation (1988): "Lover og forskrifter det er gjort unntak fra:" is ledd 1, then
    a line of the § itself ("Vedtektene § 2"), then a dash list Lovdata files under ledd 1. The
    list's lead-in must come before it, though it is not text of ledd 1."""
    doc = member(LTI_OLD, "lti/1988/lf-19880205-0134.xml")
    art = doc.xml.xpath("//article[@data-name='§8']")[0]
    ledd1 = art.xpath("article[@class='legalP']")[0]
    lead = art.xpath("article[@class='defaultP'][ul]")[0]
    ul = lead.find("ul")
    sec = doc.kb.node("forskrift/1988-02-05-134/§8")
    assert doc.kb.node(f"{sec.id}/ledd/1/nummer/1") is not None  # ids as Lovdata files them
    in_order(doc.text(sec.id), [words(ledd1.text, 4), words(lead.text, 2),
                                *[f"- {words(item_text(li), 3)}" for li in ul.iterchildren("li")]])
    # Ledd 1 looked up alone still lists its items (after its own text).
    in_order(doc.text(f"{sec.id}/ledd/1"), [words(ledd1.text, 4), f"- {words(item_text(ul[0]), 3)}"])



def test_the_imported_store_reads_fvl_28_in_order_and_search_still_finds_the_text(small_kb) -> None:  # noqa: ANN001
    """The same through an import (label and pos stored in SQLite) and its full-text index."""
    doc = member(LOVER, "nl/nl-19670210-000.xml")
    ledd3 = doc.el("kapittel-6-paragraf-1-ledd-3")
    items = list(ledd3.find("ol").iterchildren("li"))
    after = ledd3.find("p").text
    assert small_kb.node(f"{FVL}/§28/ledd/3/bokstav/c").label == items[2].get("data-name")
    in_order(small_kb.full_text(f"{FVL}/§28"),
             [words(own_text(ledd3)), *[f"{li.get('data-name')} {words(item_text(li), 3)}"
                                        for li in items], words(after)])
    hits = [h.node_id for h in small_kb.search_text(words(after, 8))]
    assert f"{FVL}/§28/ledd/3" in hits
    hits = [h.node_id for h in small_kb.search_text(words(item_text(items[2]), 5))]
    assert f"{FVL}/§28/ledd/3/bokstav/c" in hits
