"""A provision's neighbourhood (lookup.neighbourhood): what it holds, that the app's picture and
`slå-opp --json` give the same edges, and that labels from imported data cannot break the DOT.

The DOT checks read the text itself (no Graphviz on the test machine): every label must be one
well-formed quoted string, and the edges drawn must be exactly the edges in the JSON. The
real-browser test (tests/test_app_browser.py) checks that Chromium renders the picture.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import networkx as nx
import pytest

from regelsjekk.check.cache import cache_for
from regelsjekk.cli.main import main
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.lookup.neighbourhood import (
    CAP,
    EDGE_LABELS,
    NOTE_NO_IMPORT,
    HoodEdge,
    HoodNode,
    Neighbourhood,
    dot_quote,
    neighbourhood,
    to_dot,
)

KL_19_1 = "lov/2018-06-22-83/§19-1"
KL_CH_19 = "lov/2018-06-22-83/kapittel/19"
KL = "lov/2018-06-22-83"
FL_3_A = "lov/1992-06-26-87/§3/ledd/1/bokstav/a"

# A DOT quoted string: no raw quote, backslash only as the first half of an escape, no line break.
QUOTED = r'"(?:[^"\\\n\r]|\\.)*"'
NODE = re.compile(rf"^  (n\d+|m\d+) \[label=({QUOTED})(?:, [a-z]+=(?:{QUOTED}|[\w.]+))*\];$")
EDGE = re.compile(rf"^  (n\d+|m\d+) -> (n\d+|m\d+) \[label=({QUOTED})(?:, [a-z]+=(?:{QUOTED}|[\w.]+))*\];$")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def parse_dot(dot: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Node names → quoted labels, and edges (from, to, quoted label); fails on any other line
    in the body, so a label that ends its string early or spills onto a new line is caught."""
    lines = dot.split("\n")
    assert lines[0] == "digraph nabolag {" and lines[-1] == "}"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in lines[1:-1]:
        if m := EDGE.match(line):
            edges.append((m[1], m[2], m[3]))
        elif m := NODE.match(line):
            nodes[m[1]] = m[2]
        else:
            assert re.fullmatch(r"  (rankdir|node|edge)\b.*;", line), f"not DOT we write: {line!r}"
            assert '"' not in re.sub(QUOTED, "", line)
    return nodes, edges


def unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", lambda m: " " if m[1] == "n" else m[1], quoted[1:-1])


def drawn_edges(hood: Neighbourhood) -> Counter:
    """The edges of the picture between real nodes, as (label, label, edge label)."""
    nodes, edges = parse_dot(to_dot(hood))
    return Counter((nodes[a], nodes[b], label) for a, b, label in edges
                   if a.startswith("n") and b.startswith("n"))


def json_edges(hood_json: dict) -> Counter:
    label = {n["id"]: dot_quote(n["label"]) for n in hood_json["nodes"]}
    return Counter((label[e["fra"]], label[e["til"]], dot_quote(e["etikett"]))
                   for e in hood_json["edges"])


# -- what the neighbourhood holds ----------------------------------------------------------------


def test_kl_19_1_on_the_builtin_kb_has_parents_children_and_trial_authority(kb):
    hood = neighbourhood(kb, KL_19_1)
    edges = {(e.fra, e.til, e.type) for e in hood.edges}
    # parents, up to the document
    assert (KL_CH_19, KL_19_1, "inneholder") in edges
    assert any(fra == KL and t == "inneholder" for fra, _, t in edges)
    # children: its ledd, in order
    ledd = [e.til for e in hood.edges if e.fra == KL_19_1 and e.type == "inneholder"]
    assert ledd and ledd == [c.id for c in kb.children(KL_19_1)][:CAP]
    # the provision is tagged «organisering» (a § 3 ground, nothing blocking): forsøksloven § 3
    assert (FL_3_A, KL_19_1, "forsokshjemmel") in edges
    # no import: no references, and the caption says why
    assert not {t for _, _, t in edges} & {"viser_til", "hjemmel", "endrer"}
    assert NOTE_NO_IMPORT in hood.notes
    # every end of every edge is a node with a label, the centre first
    assert hood.nodes[0].id == KL_19_1 and hood.nodes[0].role == "sentrum"
    labels = {n.id: n.label for n in hood.nodes}
    assert {e.fra for e in hood.edges} | {e.til for e in hood.edges} <= set(labels)
    assert labels[KL] == "Kommuneloven"
    assert labels[FL_3_A].startswith("Forsøksloven § 3 første ledd bokstav a")
    assert "Kommunalt oppgavefellesskap" in labels[KL_19_1]
    assert all(e.etikett == EDGE_LABELS[e.type] for e in hood.edges)


def test_a_sector_trial_authority_points_at_what_it_covers(kb):
    node = "lov/2023-06-09-30/§3-1"  # opplæringslova: covered by its own § 29-3
    authorities = cache_for(kb).covering_authorities(node)
    assert authorities, "rules/hjemler.yaml no longer covers opplæringslova"
    edges = {(e.fra, e.til, e.type) for e in neighbourhood(kb, node).edges}
    assert {(a.provision, node, "forsokshjemmel") for a in authorities} <= edges


def test_a_blocked_provision_gets_no_forsoksloven_edge_and_says_why(kb):
    node = "lov/1967-02-10/§28"  # fvl. § 28 (klage): rights and case processing, § 4 limits
    hood = neighbourhood(kb, node)
    assert not [e for e in hood.edges if e.fra.startswith("lov/1992-06-26-87/")]
    assert any("§ 4" in n for n in hood.notes)


def test_groups_are_capped_and_counted(kb):
    hood = neighbourhood(kb, KL, cap=3)  # kommuneloven: its parts
    parts = [e for e in hood.edges if e.fra == KL and e.type == "inneholder"]
    assert len(parts) == 3
    (gap,) = [o for o in hood.omitted if o.type == "inneholder"]
    assert gap.ved == KL and gap.retning == "ut" and gap.antall == len(kb.children(KL)) - 3
    nodes, edges = parse_dot(to_dot(hood))
    boxes = [name for name, label in nodes.items() if name.startswith("m")]
    assert [nodes[b] for b in boxes] == [f'"+{gap.antall} flere"']
    assert any(b == boxes[0] for _, b, _ in edges)


def test_graph_edges_of_every_kind_are_drawn_with_one_label_table():
    """Edges the graph gains (repeal, successor, trial coverage, references) are drawn from
    kb.graph, at the provision's § for a ledd and at its document for document-wide kinds."""
    kb = KnowledgeBase.builtin()
    g = nx.DiGraph(kb.graph)
    other = "lov/2030-01-01-1"
    g.add_edge(f"{other}/§9", KL_19_1, kind="opphever")
    g.add_edge(KL, other, kind="erstattet_av")
    g.add_edge("lov/2031-01-01-1/§2", KL_19_1, kind="endrer")
    for i in range(CAP + 3):
        g.add_edge(f"lov/2001-01-01-{i + 1}/§1", KL_19_1, kind="viser_til")
    g.add_edge(KL_19_1, "lov/1967-02-10/§28", kind="viser_til")
    g.add_edge(KL_19_1, "lov/1967-02-10/§29", kind="ny_type")
    g.add_edge("lov/2099-01-01-1/§7", KL_19_1, kind="forsokshjemmel")  # a trial authority's edge
    g.add_edge(FL_3_A, KL_19_1, kind="forsokshjemmel")  # already drawn from the tags: once
    kb._graph = g  # the graph is built by kb.graph; this one has every kind
    hood = neighbourhood(kb, f"{KL_19_1}/ledd/2")
    got = {(e.fra, e.til, e.etikett) for e in hood.edges}
    assert (f"{other}/§9", KL_19_1, "opphever") in got
    assert (KL, other, "erstattet av") in got
    assert ("lov/2031-01-01-1/§2", KL_19_1, "endrer") in got
    assert (KL_19_1, "lov/1967-02-10/§28", "viser til") in got
    assert (KL_19_1, "lov/1967-02-10/§29", "ny type") in got  # an unknown kind: its own name
    assert ("lov/2099-01-01-1/§7", KL_19_1, "forsøkshjemmel for") in got
    assert [e.til for e in hood.edges if e.fra == FL_3_A] == [f"{KL_19_1}/ledd/2"]
    cited_by = [e for e in hood.edges if e.til == KL_19_1 and e.type == "viser_til"]
    assert len(cited_by) == CAP
    assert [(o.type, o.retning, o.ved, o.antall) for o in hood.omitted] == [
        ("viser_til", "inn", KL_19_1, 3)]
    roles = {n.id: n.role for n in hood.nodes}
    assert roles[other] == "tid" and roles[f"{other}/§9"] == "tid"
    assert drawn_edges(hood) == json_edges(hood.model_dump(mode="json"))


def test_on_an_import_a_regulation_shows_the_law_it_is_made_under(small_kb):
    node = "forskrift/1997-01-10-16/§1"  # gravplassforskriften, made under gravferdsloven
    meta = small_kb.document("forskrift/1997-01-10-16")
    assert meta is not None and meta.based_on, "gravplassforskriften is not in the small import"
    hood = neighbourhood(small_kb, node)
    hjemmel = {e.til for e in hood.edges if e.type == "hjemmel" and e.fra == meta.id}
    assert hjemmel and hjemmel <= {b for b in meta.based_on} | {b.split("/ledd/")[0]
                                                               for b in meta.based_on}
    assert all(e.etikett == "hjemmel i" for e in hood.edges if e.type == "hjemmel")
    assert NOTE_NO_IMPORT not in hood.notes


# -- the picture and the JSON ---------------------------------------------------------------------


def test_slaa_opp_json_gives_the_edges_the_picture_draws(kb, capsys, tmp_path):
    code = main(["--db", str(tmp_path / "ingen.sqlite"), "slå-opp", "--json", "kommuneloven § 19-1"])
    assert code == 0
    (provision,) = json.loads(capsys.readouterr().out)["provisions"]
    hood_json = provision["neighbourhood"]
    assert hood_json["edges"] and all(set(e) == {"fra", "til", "type", "etikett"}
                                      for e in hood_json["edges"])
    hood = neighbourhood(kb, KL_19_1)
    assert hood_json == hood.model_dump(mode="json")
    assert drawn_edges(hood) == json_edges(hood_json)
    # the plain-text lookup does not build the graph
    main(["--db", str(tmp_path / "ingen.sqlite"), "slå-opp", "kommuneloven § 19-1"])
    assert "neighbourhood" not in capsys.readouterr().out


HOSTILE = ['Lov om "sitat" og \\N \\G \\l', "to\nlinjer\r\ttab", "<b>fet</b> <<html>> & &lt; &amp;",
           "slutt på \\", '"' * 200, "x" * 40 + '"', "ordentlig lang overskrift " * 10,
           "\u2028skille\u2029", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_labels_are_one_quoted_dot_string_shown_as_text(text):
    quoted = dot_quote(text)
    assert re.fullmatch(QUOTED, quoted), quoted
    assert "\n" not in quoted and "\r" not in quoted
    # what Graphviz shows, after its entity decoding; compared without the wrapping's spaces
    shown = "".join(unquote(quoted).replace("&amp;", "&").split())
    letters = "".join(text.replace("\u2028", " ").replace("\u2029", " ").split())
    if shown.endswith("…") and not text.endswith("…"):  # long text is cut, never inside an escape
        assert letters.startswith(shown[:-1]) and len(shown) > 40
    else:
        assert shown == letters


def test_hostile_labels_keep_the_dot_well_formed_and_never_html():
    hood = Neighbourhood(
        centre="a", nodes=[HoodNode(id=str(i), label=t, role="annen") for i, t in enumerate(HOSTILE)]
        + [HoodNode(id="a", label="midten", role="sentrum")],
        edges=[HoodEdge(fra=str(i), til="a", type="viser_til", etikett=t)
               for i, t in enumerate(HOSTILE)])
    dot = to_dot(hood)
    assert "label=<" not in dot
    nodes, edges = parse_dot(dot)  # fails on a string that ends early or a raw line break
    assert len(nodes) == len(HOSTILE) + 1 and len(edges) == len(HOSTILE)
    shown = [unquote(q) for q in nodes.values()]
    assert "<b>fet</b> <<html>> &amp; &amp;lt; &amp;amp;" in shown  # text; & as its entity


@pytest.mark.slow
def test_on_the_full_import_references_and_regulations_are_drawn_and_capped(full_kb):
    node = "lov/1967-02-10/§28"  # fvl. § 28: cited in the act, many regulations made under it
    hood = neighbourhood(full_kb, node)
    regulations = [e for e in hood.edges if e.type == "hjemmel" and e.til == node]
    cited_by = [e for e in hood.edges if e.type == "viser_til" and e.til == node]
    assert cited_by and len(regulations) == CAP
    under = {u for u, _, k in full_kb.graph.in_edges(node, data="kind") if k == "hjemmel"}
    (gap,) = [o for o in hood.omitted if o.type == "hjemmel"]
    assert gap.antall == len(under) - CAP and {e.fra for e in regulations} <= under
    assert drawn_edges(hood) == json_edges(hood.model_dump(mode="json"))
