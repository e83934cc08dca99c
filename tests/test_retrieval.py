"""Hybrid retrieval over a real tmp store: fusion, filters, balance, MMR, index cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import bm25
from advisor.bm25 import BM25Index
from advisor.composition import build_store
from advisor.retrieval import Filters, HybridRetriever, about_own_organisation, asks_the_research
from core.settings import Settings
from ingest.embedder import Embedder
from ingest.pipeline import Ingestor
from ingest.store import StoredChunk

pytestmark = pytest.mark.integration


def note(title: str, publisher: str, date: str, kind: str, body: str) -> str:
    return (
        f'---\ntitle: "{title}"\npublisher: "{publisher}"\ndate: "{date}"\nkind: {kind}\n---\n'
        f"## Body\n\n{body}\n"
    )


DOCS = {
    "pega.md": note(
        "Pega study",
        "Pega",
        "2020",
        "research",
        "Pega found that 64% of organisations still have no C-level CX sponsor.",
    ),
    "merkle.md": note(
        "Merkle study",
        "Merkle",
        "2021",
        "research",
        "Merkle found that 63% put CX transformation with the CMO.",
    ),
    "gartner.md": note(
        "Gartner survey",
        "Gartner",
        "2019",
        "research",
        "Gartner found that marketing controls about half of CX budgets.",
    ),
    "memo.md": note(
        "Org memo",
        "Northwind",
        "2026",
        "internal",
        "At Northwind the CMO holds most of the CX budget and no one owns CX.",
    ),
    "dup.md": note(
        "Pega study copy",
        "Pega",
        "2020",
        "research",
        "Pega found that 64 percent of organisations still have no C-level CX sponsor.",
    ),
}


@pytest.fixture
def setup(tmp_path: Path, embedder: Embedder) -> tuple[HybridRetriever, Ingestor, Path]:
    settings = Settings(store_dir=tmp_path / "store")
    store = build_store(settings, embedder)
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text)
    ingestor = Ingestor(settings, store, embedder)
    assert ingestor.ingest_paths([folder]).ok
    return HybridRetriever(store=store, embedder=embedder, k=3), ingestor, folder


def titles(passages) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.title for p in passages]


def test_finds_the_fact_and_is_a_langchain_retriever(setup) -> None:  # type: ignore[no-untyped-def]
    retriever, _, _ = setup
    assert titles(retriever.passages("no C-level CX sponsor", 1)) in (
        ["Pega study"],
        ["Pega study copy"],
    )
    docs = retriever.invoke("Which executive does Merkle put in charge of CX transformation?")
    assert docs[0].metadata["title"] == "Merkle study" and "63%" in docs[0].page_content
    assert 0 < docs[0].metadata["score"] <= 1 and docs[0].metadata["rrf"] > 0


def test_filters(setup) -> None:  # type: ignore[no-untyped-def]
    retriever, _, _ = setup
    q = "Who owns CX?"
    assert set(titles(retriever.passages(q, 5, Filters(kinds=("internal",))))) == {"Org memo"}
    assert set(titles(retriever.passages(q, 5, Filters(publishers=("Merkle",))))) == {
        "Merkle study"
    }
    years = retriever.passages(q, 5, Filters(year_from=2020, year_to=2021))
    assert set(titles(years)) == {"Pega study", "Merkle study", "Pega study copy"}
    memo = retriever.passages(q, 1, Filters(kinds=("internal",)))[0]
    only = retriever.passages(q, 5, Filters.from_dict({"doc_id": memo.doc_id}))
    assert {p.doc_id for p in only} == {memo.doc_id}
    assert Filters.from_dict({"kind": "both"}) == Filters()


def test_own_organisation_questions_get_both_kinds(setup) -> None:  # type: ignore[no-untyped-def]
    retriever, _, _ = setup
    assert about_own_organisation("Who should own CX here?")
    assert not about_own_organisation("Who should own CX according to Pega?")
    kinds = [p.kind for p in retriever.passages("Who should own CX here?", 4)]
    assert {"research", "internal"} <= set(kinds)


def test_a_case_put_to_the_research_is_not_a_question_about_our_records() -> None:
    assert about_own_organisation("What is our churn this quarter?")
    assert about_own_organisation("What would our NPS be without the Q3 outage?")
    # "in-house" compares ways of working; "could we ... by ...?" asks what a change does.
    assert not about_own_organisation(
        "How much cheaper is a contact handled by an outsourcer than one handled in-house?"
    )
    assert not about_own_organisation(
        "How much could we cut churn by bringing our retention calls back in-house?"
    )
    # A supposed case and what will come of it, "our" or not; a case that only frames a
    # question about the records stays one.
    assert not about_own_organisation(
        "If we let agents give goodwill without approval, how much will our spend go up?"
    )
    assert about_own_organisation("If we look at last quarter, what was our churn?")


def test_a_question_that_asks_what_the_research_says_is_put_to_the_research() -> None:
    assert asks_the_research("What does the research say about a Chief Customer Officer?")
    assert asks_the_research("How often is the CMO in charge of CX? Do the surveys agree?")
    assert asks_the_research("Who should own CX according to the studies?")
    assert not asks_the_research("What did our research team spend in 2026?")
    assert not asks_the_research("Who should own CX here?")


def test_mmr_avoids_near_duplicates(setup) -> None:  # type: ignore[no-untyped-def]
    retriever, _, _ = setup
    q = "What share of organisations have no C-level CX sponsor?"
    plain = titles(retriever.passages(q, 2, mmr=False))
    diverse = titles(retriever.passages(q, 2, mmr=True))
    assert set(plain) == {"Pega study", "Pega study copy"}
    assert len({t.split(" copy")[0] for t in diverse}) == 2


def test_bm25_index_is_rebuilt_only_after_a_change(setup) -> None:  # type: ignore[no-untyped-def]
    retriever, ingestor, folder = setup
    first = retriever.bm25()
    assert retriever.bm25() is first
    (folder / "new.md").write_text(
        note("Churn note", "Northwind", "2026", "internal", "Mobile churn rose to 1.3% a month.")
    )
    ingestor.ingest_paths([folder])
    second = retriever.bm25()
    assert second is not first and len(second.chunks) == len(first.chunks) + 1
    assert titles(retriever.passages("churn a month", 1)) == ["Churn note"]


def test_a_rebuilt_index_rereads_only_changed_documents_and_equals_a_fresh_one(  # type: ignore[no-untyped-def]
    setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    retriever, ingestor, folder = setup
    store = retriever.store
    first = retriever.bm25()
    memo = next(r for r in store.documents() if r.title == "Org memo")
    (folder / "new.md").write_text(
        note("Churn note", "Northwind", "2026", "internal", "Mobile churn rose to 1.3% a month.")
    )
    ingestor.ingest_paths([folder])
    store.remove_document(memo.doc_id)
    read: list[str] = []
    real_chunks_of = store.chunks_of

    def chunks_of(doc_id: str) -> list[StoredChunk]:
        read.append(doc_id)
        return real_chunks_of(doc_id)

    monkeypatch.setattr(store, "chunks_of", chunks_of)
    monkeypatch.setattr(store, "iter_chunks", lambda: pytest.fail("every chunk was read"))
    second = retriever.bm25()
    added = next(r for r in store.documents() if r.title == "Churn note")
    assert read == [added.doc_id]  # the unchanged documents are not read again
    assert second.doc_ids == first.doc_ids - {memo.doc_id} | {added.doc_id}
    monkeypatch.undo()

    fresh = BM25Index.from_store(store)
    assert [c.chunk_id for c in fresh.chunks] == [c.chunk_id for c in second.chunks]
    for question in ("churn a month", "who owns customer experience", "Pega study budget"):
        got = second.search(question, 10, Filters())
        want = fresh.search(question, 10, Filters())
        assert [c.chunk_id for c, _ in got] == [c.chunk_id for c, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want])


def test_filtered_dense_search_probes_unfiltered_first_with_the_same_result(
    tmp_path: Path, hash_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given the documents a filter admits, the nearest chunks are found by unfiltered
    searches for ids, widened until enough are from those documents; Chroma's (slow)
    filtered search runs only when the widest search does not find enough. Either way
    the hits are those of the filtered search alone."""
    from chromadb.api.models.Collection import Collection

    from ingest import store as store_module
    from ingest.store import DocumentRecord

    store = build_store(Settings(store_dir=tmp_path / "store"), hash_embedder)
    words = "churn budget owner journey survey agent billing roaming loyalty score".split()
    kinds = {"doc0": ("research", "P0"), "doc1": ("research", "P1"), "doc2": ("internal", "P2")}
    for d, n in enumerate([40, 40, 3]):
        doc_id = f"doc{d}"
        kind, publisher = kinds[doc_id]
        texts = [" ".join(words[(i + j) % 10] for j in range(4)) + f" {d} {i}" for i in range(n)]
        metas = [{"doc_id": doc_id, "kind": kind, "publisher": publisher} for _ in range(n)]
        record = DocumentRecord(doc_id, f"{doc_id}.md", doc_id, kind, n, "2026-01-01T00:00:00Z")
        store.write_document(
            record, [f"{doc_id}:{i}" for i in range(n)], texts, metas,
            hash_embedder.embed_documents(texts),
        )  # fmt: skip

    def admitted(filters: Filters) -> set[str]:
        return {
            doc for doc, (kind, publisher) in kinds.items()
            if filters.matches({"doc_id": doc, "kind": kind, "publisher": publisher})
        }  # fmt: skip

    calls: list[object] = []  # the filter of each search Chroma is asked for
    search = Collection.query
    monkeypatch.setattr(
        Collection, "query", lambda self, **kw: calls.append(kw.get("where")) or search(self, **kw)
    )
    vector = hash_embedder.embed_query("churn budget owner")
    cases = [
        Filters(kinds=("research",)),  # most chunks: the first probe holds enough
        Filters(kinds=("internal",)),  # three chunks: widened until none are left
        Filters(publishers=("P2",)),
        Filters(publishers=("P1",)),
    ]
    for filters in cases:
        calls.clear()
        probed = store.query(vector, 6, filters.where(), admitted(filters))
        assert calls and all(where is None for where in calls)  # no filtered search
        exact = store.query(vector, 6, filters.where())  # Chroma's filtered search
        assert [h.chunk_id for h in probed] == [h.chunk_id for h in exact]
        assert probed and all(filters.matches(h.metadata) for h in probed)

    monkeypatch.setattr(store_module, "MAX_PROBE", 20)  # the widest probe finds too few
    internal = Filters(kinds=("internal",))
    calls.clear()
    probed = store.query(vector, 6, internal.where(), admitted(internal))
    assert calls[-1] == {"kind": "internal"}
    assert sorted(h.chunk_id for h in probed) == ["doc2:0", "doc2:1", "doc2:2"]


def test_following_reads_the_chunk_after_a_passage(setup) -> None:  # type: ignore[no-untyped-def]
    retriever, ingestor, folder = setup
    scope = "## Survey scope\n\n" + " ".join(
        f"The panel of {n} managers ranked every tool by its effect on service." for n in range(40)
    )
    ranking = "## The ranking\n\n" + " ".join(
        f"Knowledge bases come first in wave {n}, chatbots second." for n in range(40)
    )
    (folder / "ranked.md").write_text(
        '---\ntitle: "Tool ranking"\nkind: research\n---\n\n' + scope + "\n\n" + ranking + "\n"
    )
    assert ingestor.ingest_paths([folder]).ok
    found = retriever.passages("How did the panel of managers rank tools?", 1)
    chunks = [c.chunk_id for c in retriever.store.chunks_of(found[0].doc_id)]
    assert found[0].section == "Survey scope" and len(chunks) >= 3
    after = retriever.following(found, 2)
    assert [p.chunk_id for p in after] == [chunks[chunks.index(found[0].chunk_id) + 1]]
    last = retriever.passages("Knowledge bases come first in wave 39", 5)
    last = [p for p in last if p.chunk_id == chunks[-1]]
    assert last and retriever.following(last, 1) == []  # nothing after a document's end
    # A chunk retrieval already found is not read twice.
    assert retriever.following([*found, *after], 1) == []


def test_the_rest_of_a_document_most_passages_come_from_is_read(setup) -> None:  # type: ignore[no-untyped-def]
    retriever, ingestor, folder = setup
    sections = [
        f"## Part {n}\n\n"
        + " ".join(f"Agents in region {n} resolved {m} of the cases we sampled." for m in range(30))
        for n in range(4)
    ]
    (folder / "regions.md").write_text(
        '---\ntitle: "Regions"\nkind: research\n---\n\n' + "\n\n".join(sections) + "\n"
    )
    assert ingestor.ingest_paths([folder]).ok
    found = retriever.passages("How many cases did agents in region 2 resolve?", 2)
    doc = found[0].doc_id
    chunks = [c.chunk_id for c in retriever.store.chunks_of(doc)]
    rest = retriever.rest_of_document(found, len(chunks))
    assert {p.chunk_id for p in [*found, *rest]} == set(chunks) and len(chunks) > 2
    assert not {p.chunk_id for p in found} & {p.chunk_id for p in rest}
    assert retriever.rest_of_document(found, len(chunks) - 1) == []  # too long to read whole
    assert retriever.rest_of_document([], 10) == []


def test_the_embedder_is_a_langchain_embeddings(hash_embedder) -> None:  # type: ignore[no-untyped-def]
    """What LangChain components expect of an embedding model: ours plugs into them."""
    from langchain_core.embeddings import Embeddings
    from langchain_core.vectorstores import InMemoryVectorStore

    assert isinstance(hash_embedder, Embeddings)
    shelf = InMemoryVectorStore(embedding=hash_embedder)
    shelf.add_texts(["churn rose after the price rise", "the CMO owns the CX budget"])
    [best] = shelf.similarity_search("who owns the CX budget", k=1)
    assert best.page_content == "the CMO owns the CX budget"


@pytest.mark.parametrize(
    ("question", "ours"),
    [
        ("What share of our calls do we pick up within a minute?", True),
        ("If our NPS is above 40, what did we do differently this quarter?", True),
        ("If we ring a detractor back inside two days, how likely are they to stay?", False),
        ("Suppose we move CX under the COO: how long does such a switch take?", False),
        ("When we call a detractor back, what do they most want from the call?", False),
        ("When we launched the app, what happened to our NPS?", True),
        ("When did we launch the new app?", True),
        ("If we call every detractor back, how long should we budget for each call?", False),
        ("If our NPS drops, what is our escalation plan?", True),
        # a premise that likens the company to those the research counts
        ("We have 2,000 staff. What do duplicated platforms cost a firm our size?", False),
        ("How do companies like ours organise CX?", False),
        ("We have 3 call centres. How many agents do we need?", True),
        ("Our NPS fell this quarter. Why?", True),
    ],
)
def test_a_we_that_only_supposes_a_case_asks_the_research(question: str, ours: bool) -> None:
    assert about_own_organisation(question) is ours


def _notes_retriever(tmp_path: Path, embedder: Embedder, docs: dict[str, str]) -> HybridRetriever:
    """A retriever over internal notes, one a file, that returns one passage."""
    settings = Settings(store_dir=tmp_path / "store")
    store = build_store(settings, embedder)
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, body in docs.items():
        (folder / name).write_text(note(name, "Northwind", "2026", "internal", body))
    assert Ingestor(settings, store, embedder).ingest_paths([folder]).ok
    return HybridRetriever(store=store, embedder=embedder, k=1)


def test_an_acronym_the_library_only_writes_out_is_searched_as_written_out(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = {
        "service.md": "Agents resolved 65% of issues on first contact. First-contact "
        "resolution is our service target, and first-contact resolution fell this year.",
        "churn.md": "Mobile churn rose to 1.3% a month across all channels right now.",
        "nps.md": "Our relationship NPS across all channels fell to +14 this quarter.",
    }
    retriever = _notes_retriever(tmp_path, embedder, docs)
    index = retriever.bm25()
    assert index.written_out("FCR", "all channels") == "first-contact resolution"
    assert index.written_out("NPS", "all channels") == ""  # the library uses NPS itself
    assert titles(retriever.passages("What's our FCR across all channels right now?")) == [
        "service.md"
    ]
    # A library too large to read whole is read where the rest of the question points.
    monkeypatch.setattr(bm25, "WRITTEN_OUT_CHUNKS", 1)
    assert index.written_out("FCR", "our service target") == "first-contact resolution"
    assert index.written_out("FCR", "churn") == ""  # not in the chunks about the rest


def test_an_acronym_the_library_writes_out_more_often_than_it_uses_is_searched_both_ways(
    tmp_path: Path, embedder: Embedder
) -> None:
    """One action list says "CDP"; the roadmap says "customer data platform" throughout:
    asked when the CDP goes live, the roadmap is searched for too. An acronym the library
    uses as often as its words (NPS here) is searched as it is written."""
    docs = {
        "roadmap.md": "A customer data platform will join customer data from billing and "
        "the app. The customer data platform goes live in Q3 2027, after the customer data "
        "platform's procurement in Q1 2027.",
        "actions.md": "Action: set up the CDP requirements board by the end of October.",
        "nps.md": "Our relationship NPS fell to +14. Net Promoter Score is asked quarterly. "
        "Transactional NPS rose.",
    }
    retriever = _notes_retriever(tmp_path, embedder, docs)
    index = retriever.bm25()
    assert index.written_out("CDP", "go live") == "customer data platform"
    assert index.written_out("NPS", "this quarter") == ""
    assert titles(retriever.passages("When does the CDP go live?")) == ["roadmap.md"]
