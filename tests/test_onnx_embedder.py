"""The ONNX embedders agree with the torch model they are built from (fp32 exactly, int8
closely), count tokens the same way, and are built once, atomically, per model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advisor.composition import build_embedder
from core.settings import Settings
from ingest import onnx_model
from ingest.embedder import Embedder

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def onnx_embedder() -> Embedder:
    """Built into the app's model cache (setup builds it there ahead of the tests)."""
    return build_embedder(Settings(embed_backend="onnx"))


@pytest.fixture(scope="session")
def int8_embedder() -> Embedder:
    return build_embedder(Settings(embed_backend="onnx-int8"))


def corpus_pieces() -> list[str]:
    pieces = []
    for path in sorted((REPO / "corpus").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        pieces += [text[i : i + 800] for i in range(0, len(text), 800)]
    return pieces


def agreement(ours_embedder: Embedder, torch_embedder: Embedder) -> tuple[np.ndarray, int]:
    """Cosine of each text's vector to torch's, and the worst rank (in torch's order) of
    the piece each question finds nearest; also checks shapes and norms."""
    texts = [*corpus_pieces()[:60], "Who should own customer experience?", "word " * 600]
    ours = np.array(ours_embedder.embed_documents(texts))
    torch = np.array(torch_embedder.embed_documents(texts))
    assert ours.shape == torch.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert ours_embedder.embed_documents([]) == []
    questions = ["Who owns the CX budget?", "How did call centre NPS change?", "CRM replacement"]
    q_ours = np.array([ours_embedder.embed_query(q) for q in questions])
    q_torch = np.array(torch_embedder.embed_documents(questions))
    torch_order = np.argsort(-(q_torch @ torch.T), axis=1).tolist()
    nearest = (q_ours @ ours.T).argmax(axis=1).tolist()
    worst = max(order.index(n) for order, n in zip(torch_order, nearest))
    return np.asarray((ours * torch).sum(axis=1)), worst


@pytest.mark.integration
@pytest.mark.slow
def test_fp32_vectors_equal_torch(onnx_embedder: Embedder, embedder: Embedder) -> None:
    cosine, worst = agreement(onnx_embedder, embedder)
    assert cosine.min() > 0.9999 and worst == 0


@pytest.mark.integration
@pytest.mark.slow
def test_int8_vectors_stay_close_to_torch(int8_embedder: Embedder, embedder: Embedder) -> None:
    cosine, worst = agreement(int8_embedder, embedder)
    assert cosine.mean() > 0.98 and cosine.min() > 0.95
    assert worst <= 2  # int8 may swap near neighbours: the eval suite's MRR is 0.01 lower
    assert int8_embedder.name == "all-MiniLM-L6-v2+onnx-int8"


def test_tokens_are_counted_as_the_model_counts_them(
    onnx_embedder: Embedder, embedder: Embedder
) -> None:
    for text in ["", "CX", "Net Promoter Score® rose 12% in Q3 2025", "word " * 600]:
        assert onnx_embedder.count_tokens(text) == embedder.count_tokens(text)
    assert onnx_embedder.max_tokens == embedder.max_tokens == 256
    assert onnx_embedder.name == "all-MiniLM-L6-v2+onnx"


def fake_build(source: Path, out: Path, int8: bool) -> None:
    (out / onnx_model.MODEL_FILE).write_text(f"built from {source.name}")


def test_the_model_is_built_once_and_only_complete_builds_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "model"
    source.mkdir()
    (source / "config.json").write_text('{"hidden_size": 8}')
    cache = tmp_path / "cache"
    builds: list[Path] = []
    monkeypatch.setattr(
        onnx_model, "_build", lambda s, o, q: builds.append(o) or fake_build(s, o, q)
    )

    first = onnx_model.ensure_onnx_model(source, cache)
    assert (first / onnx_model.MODEL_FILE).is_file() and len(builds) == 1
    assert onnx_model.ensure_onnx_model(source, cache) == first and len(builds) == 1
    int8 = onnx_model.ensure_onnx_model(source, cache, int8=True)  # a variant of its own
    assert int8 != first and len(builds) == 2
    assert sorted(p.name for p in cache.iterdir()) == sorted([first.name, int8.name])

    (source / "config.json").write_text('{"hidden_size": 16}')  # another model: rebuilt
    second = onnx_model.ensure_onnx_model(source, cache)
    assert second != first and len(builds) == 3

    def crash(source: Path, out: Path, int8: bool) -> None:
        (out / "exported.onnx").write_text("half")
        raise RuntimeError("killed mid-export")

    monkeypatch.setattr(onnx_model, "_build", crash)
    (source / "config.json").write_text('{"hidden_size": 32}')
    with pytest.raises(RuntimeError):
        onnx_model.ensure_onnx_model(source, cache)
    assert sorted(p.name for p in cache.iterdir()) == sorted([first.name, int8.name, second.name])


def test_a_store_built_with_one_backend_refuses_the_other(tmp_path: Path) -> None:
    from advisor.composition import build_store
    from ingest.errors import StoreMismatchError
    from tests.conftest import HashEmbedder

    settings = Settings(store_dir=tmp_path / "store")
    build_store(settings, HashEmbedder("all-MiniLM-L6-v2", 64))
    with pytest.raises(StoreMismatchError, match="CXA_EMBED_BACKEND"):
        build_store(settings, HashEmbedder("all-MiniLM-L6-v2+onnx", 64))
