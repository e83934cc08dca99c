"""The inverted-index BM25 scores exactly as rank_bm25's BM25Okapi, the reference
implementation it replaced, and ranks and filters its hits correctly."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from advisor.bm25 import BM25Index, OkapiBM25
from advisor.filters import Columns, Filters
from ingest.store import StoredChunk

# A small vocabulary so that common terms get negative idf and hit the epsilon floor.
WORDS = st.sampled_from([f"w{i}" for i in range(12)])
CORPUS = st.lists(st.lists(WORDS, min_size=0, max_size=15), min_size=1, max_size=30)
QUERY = st.lists(st.one_of(WORDS, st.just("unseen")), min_size=0, max_size=6)


@settings(max_examples=200, deadline=None)
@given(corpus=CORPUS, query=QUERY)
def test_scores_equal_rank_bm25(corpus: list[list[str]], query: list[str]) -> None:
    if not any(corpus):
        return  # rank_bm25 divides by a zero average length here
    expected = BM25Okapi(corpus).get_scores(query)
    np.testing.assert_allclose(
        OkapiBM25.of_tokens(corpus).scores(query), expected, rtol=1e-9, atol=1e-12
    )


def test_negative_idf_takes_the_epsilon_floor() -> None:
    corpus = [["common", "rare"], ["common"], ["common"], ["other"]]
    bm25 = OkapiBM25.of_tokens(corpus)
    reference = BM25Okapi(corpus)
    assert reference.idf["common"] > 0  # replaced by the floor, as in the reference
    np.testing.assert_allclose(bm25.scores(["common"]), reference.get_scores(["common"]))


def test_shares_count_the_documents_that_hold_a_term() -> None:
    bm25 = OkapiBM25.of_tokens([["common", "rare", "common"], ["common"], ["common"], ["other"]])
    assert bm25.shares(["common", "rare", "unseen"]) == {
        "common": 0.75,
        "rare": 0.25,
        "unseen": 0.0,
    }


def test_top_keeps_positive_scores_best_first_ties_in_corpus_order() -> None:
    corpus = [["a", "b"], ["c"], ["a", "b"], ["a", "a", "b"]] + [["f", str(i)] for i in range(6)]
    bm25 = OkapiBM25.of_tokens(corpus)
    order, scores = bm25.top(["a"], 10)
    assert order.tolist() == [3, 0, 2]
    assert list(scores) == sorted(scores, reverse=True)
    assert scores[1] == scores[2]
    assert bm25.top(["a"], 2)[0].tolist() == [3, 0]  # the earlier of two tied at the cut
    assert bm25.top(["a"], 0)[0].size == 0
    allowed = np.ones(len(corpus), dtype=bool)
    allowed[3] = False
    assert bm25.top(["a"], 10, allowed)[0].tolist() == [0, 2]


@settings(max_examples=100, deadline=None)
@given(corpus=CORPUS, query=QUERY, k=st.integers(1, 8))
def test_top_k_is_the_head_of_a_full_stable_sort(
    corpus: list[list[str]], query: list[str], k: int
) -> None:
    bm25 = OkapiBM25.of_tokens(corpus)
    scores = bm25.scores(query)
    expected = [i for i in sorted(range(len(corpus)), key=lambda i: -scores[i]) if scores[i] > 0]
    assert bm25.top(query, k)[0].tolist() == expected[:k]


def test_empty_corpus_and_unknown_terms_score_nothing() -> None:
    assert OkapiBM25.of_tokens([]).scores(["x"]).shape == (0,)
    assert OkapiBM25.of_tokens([[], []]).top(["x"], 3)[0].size == 0
    assert not OkapiBM25.of_tokens([["a"], ["b"]]).scores(["zzz"]).any()
    assert OkapiBM25.of_tokens([["a"], ["b"]]).top([], 3)[0].size == 0


def chunk(i: int, text: str, kind: str) -> StoredChunk:
    meta = {"doc_id": f"d{i}", "title": "", "kind": kind, "publisher": f"P{i % 2}"}
    return StoredChunk(chunk_id=f"c{i}", text=text, metadata=meta, embedding=[])


def test_index_search_applies_the_filter_before_taking_k() -> None:
    chunks = [
        chunk(0, "churn churn churn in billing", "research"),
        chunk(1, "churn churn in billing", "internal"),
        chunk(2, "churn in billing", "internal"),
        chunk(3, "roaming charges", "internal"),
    ] + [chunk(4 + i, f"filler text number {i}", "research") for i in range(6)]
    index = BM25Index.of_chunks(chunks)
    internal = index.search("churn", 2, Filters(kinds=("internal",)))
    assert [c.chunk_id for c, _ in internal] == ["c1", "c2"]
    everything = index.search("churn", 5, Filters())
    assert [c.chunk_id for c, _ in everything] == ["c0", "c1", "c2"]
    assert index.search("churn", 5, Filters(publishers=("P0",)))[0][0].chunk_id == "c0"
    assert index.search("the of and", 5, Filters()) == []  # stopwords only
    assert index.research_publishers == ["P0", "P1"]
    assert index.scope(Filters(kinds=("internal",))) == ({"d1", "d2", "d3"}, 0.3)  # 3 of 10
    assert index.scope(Filters()) == (index.doc_ids, 1.0)


def test_filter_mask_and_single_chunk_test_agree() -> None:
    metas = [
        {"kind": "research", "publisher": "Gartner", "doc_id": "a", "year": 2021},
        {"kind": "internal", "doc_id": "b"},
        {"kind": "research", "publisher": "Pega", "doc_id": "c", "year": "2024"},
        {"kind": "research", "publisher": "None", "doc_id": "d", "year": 2019},
    ]
    columns = Columns(metas)
    cases = {
        Filters(): [True, True, True, True],
        Filters(kinds=("internal",)): [False, True, False, False],
        Filters(publishers=("Pega", "Gartner")): [True, False, True, False],
        Filters(publishers=("None",)): [False, False, False, True],  # not "no publisher"
        Filters(publishers=("Unknown",)): [False, False, False, False],
        Filters(doc_ids=("b", "d")): [False, True, False, True],
        Filters(year_from=2020): [True, False, True, False],  # no year fails a bound
        Filters(year_to=2021): [True, False, False, True],
        Filters(kinds=("research",), year_from=2020, year_to=2022): [True, False, False, False],
    }
    for filters, expected in cases.items():
        assert filters.mask(columns).tolist() == expected, filters
        assert [filters.matches(meta) for meta in metas] == expected, filters


def _research_index(rows: list[tuple[str, str]]) -> BM25Index:
    """An index of one research chunk per (publisher, text) row."""
    return BM25Index.of_chunks(
        [
            StoredChunk(
                chunk_id=f"c{i}",
                text=text,
                metadata={"doc_id": f"d{i}", "title": "", "kind": "research", "publisher": p},
                embedding=[],
            )
            for i, (p, text) in enumerate(rows)
        ]
    )


def test_a_publisher_is_named_by_its_name_not_by_a_common_word() -> None:
    publishers = ["Bain & Company", "what", "SAS / Harvard Business Review", "Pega"]
    index = _research_index([(p, "CX ownership") for p in publishers])
    assert index.named_publishers("What does our company do about CX?") == ()
    assert index.named_publishers("what is the answer?") == ()
    assert index.named_publishers("According to Pega, who owns CX?") == ("Pega",)
    assert index.named_publishers("What did Bain find?") == ("Bain & Company",)
    assert index.named_publishers("Does SAS say so?") == ("SAS / Harvard Business Review",)
    assert index.named_publishers("does pega agree?") == ("Pega",)  # the whole name, any case


def test_a_publisher_is_named_by_a_place_inside_its_name_that_only_it_uses() -> None:
    rows = [
        ("University of Carnmouth, Centre for Service Research", "Survey less often"),
        ("Retail Studies Group", "Research from the Service Centre"),
    ]
    index = _research_index(rows)
    assert index.named_publishers("What do the Carnmouth researchers propose?") == (rows[0][0],)
    # A word another publisher's documents use names neither.
    assert rows[0][0] not in index.named_publishers("What does the Service Research say?")


def test_a_terms_share_is_of_the_documents_that_hold_it_not_of_their_chunks() -> None:
    """A long report that says "CX" in few of its many chunks still holds it: the share
    that tells whether a name tells documents apart counts documents."""
    long_report = [("d0", f"Chapter {n} on churn and loyalty") for n in range(8)]
    chunks = [
        StoredChunk(
            chunk_id=f"{doc}:{i}",
            text=text,
            metadata={"doc_id": doc, "title": "", "kind": "research"},
            embedding=[],
        )
        for i, (doc, text) in enumerate(
            [*long_report, ("d0", "CX in closing"), ("d1", "CX owners"), ("d2", "NPS trends")]
        )
    ]
    index = BM25Index.of_chunks(chunks)
    shares = index.term_shares("CX NPS unseen")
    assert shares == {"cx": 2 / 3, "nps": 1 / 3, "unseen": 0.0}


def test_a_research_author_named_by_surname_names_their_publisher() -> None:
    rows = [("Quintrell & Moss", "Henrike Thornquist"), ("Ashby Lantern", "Ruth Lindqvist")]
    chunks = [
        StoredChunk(
            chunk_id=f"c{i}",
            text="Call detractors back",
            metadata={
                "doc_id": f"d{i}",
                "title": "",
                "kind": "research",
                "publisher": p,
                "author": a,
            },
            embedding=[],
        )
        for i, (p, a) in enumerate(rows)
    ]
    index = BM25Index.of_chunks(chunks)
    assert index.named_publishers("According to Thornquist, who should call?") == (
        "Quintrell & Moss",
    )
    assert index.named_publishers("What does Henrike Thornquist advise?") == ("Quintrell & Moss",)
    # Another person of the same surname is not the author.
    assert index.named_publishers("When did Marcus Lindqvist start?") == ()


def test_a_longer_publisher_name_is_named_by_its_first_word_when_only_it_uses_it() -> None:
    rows = [
        ("Brightwater Institute for Customer Strategy", "Brightwater Institute is independent"),
        ("Service Desk Weekly Ltd", "Service desks answer calls"),
        ("Pega", "Service leaders want better service"),
    ]
    index = _research_index(rows)
    named = index.named_publishers("How many firms did the Brightwater paper follow?")
    assert named == ("Brightwater Institute for Customer Strategy",)
    # "Service" starts a publisher's name, but another publisher's text writes it too.
    assert index.named_publishers("Service levels: who owns them?") == ()


def test_a_report_by_a_named_publishers_analyst_counts_as_its_own_not_a_recap() -> None:
    """A question naming Gartner is answered by Gartner's documents and by a report whose
    author is Gartner's analyst, published by another; a blog that retells Gartner's
    study in its title is not Gartner's."""
    rows = [
        ("Gartner", "Jane Doe", "Gartner 2019 CX survey"),
        ("IT World Canada", "Ed Thompson (Gartner)", "Top CX technologies"),
        ("CX Trends Blog", "Dana Whitfield (blogger)", "Recap of Gartner's CX survey"),
        ("Pega", "Pega", "Pega CX study"),
    ]
    chunks = [
        StoredChunk(
            chunk_id=f"c{i}",
            text="CX technologies ranked by impact",
            metadata={
                "doc_id": f"d{i}",
                "title": title,
                "kind": "research",
                "publisher": publisher,
                "author": author,
            },
            embedding=[],
        )
        for i, (publisher, author, title) in enumerate(rows)
    ]
    index = BM25Index.of_chunks(chunks)
    assert index.named_publishers("Which technology ranks third in Gartner's list?") == (
        "Gartner",
        "IT World Canada",
    )
    assert index.named_publishers("According to Pega, who owns CX?") == ("Pega",)


def test_a_chunk_is_found_by_its_id_wherever_it_sits_in_its_document() -> None:
    def piece(doc: str, n: int) -> StoredChunk:
        meta = {"doc_id": doc, "kind": "research", "title": doc, "chunk_index": n}
        return StoredChunk(f"{doc}:{n}", f"text {doc} {n}", meta, [])

    # "b" lost its chunk 1 (ids no longer match places); "a" is in order.
    chunks = [piece("a", 0), piece("a", 1), piece("a", 2), piece("b", 0), piece("b", 2)]
    index = BM25Index.of_chunks(chunks)
    for c in chunks:
        found = index.chunk(c.chunk_id)
        assert found is not None and (found.text, found.metadata) == (c.text, c.metadata)
    assert index.chunk("b:1") is None and index.chunk("z:0") is None
    assert index.chunk("a:x") is None
