"""One contract for every model backend: the embedded model in-process, the OpenAI-
compatible client against a real llama.cpp server, and both HTTP clients against the
stand-in server. Each streams its answer in pieces that make up what `complete` returns,
ends before a stop sequence, keeps to `max_tokens`, reports a context size within the
configured one, streams the same answer through its LangChain model, and (for servers)
turns a server that dies mid-answer into one clear LLMError."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from advisor.llm import LLM, EmbeddedLLM, LLMError, OllamaLLM, OpenAICompatibleLLM, build_llm
from advisor.prompts import Prompt
from core.settings import Settings
from tests.llama_server import ALIAS, LlamaServer, llama_server
from tests.standin_llm import Handler, standin_server

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROMPT = Prompt(
    system="Answer from the excerpts.",
    user="Excerpts: [1] The CMO owns customer experience at Northwind.\n\nWho owns CX?",
    completion=(
        "Excerpt [1]: The CMO owns customer experience at Northwind.\n"
        "Question: Who owns customer experience at Northwind?\nAnswer:"
    ),
    passages=(),
)
CONTEXT = 4096


@dataclass
class Backend:
    llm: LLM
    server: LlamaServer | None = None  # a real server the test may stop
    standin: bool = False


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    with llama_server(tmp_path_factory.mktemp("llama") / "server.log", n_ctx=CONTEXT) as server:
        yield server


@pytest.fixture(scope="module")
def standin() -> Iterator[str]:
    with standin_server() as url:
        yield url


@pytest.fixture(params=["embedded", "openai-llama.cpp", "openai-standin", "ollama-standin"])
def backend(request: pytest.FixtureRequest) -> Backend:
    name = request.param
    if name == "embedded":
        return Backend(build_llm(Settings(llm="embedded", llm_context=CONTEXT)))
    if name == "openai-llama.cpp":
        server: LlamaServer = request.getfixturevalue("real_server")
        settings = Settings(
            llm="openai", llm_base_url=server.base_url, llm_model=ALIAS, llm_context=CONTEXT
        )
        return Backend(build_llm(settings), server=server)
    url: str = request.getfixturevalue("standin")
    kind = name.split("-")[0]
    base = f"{url}/v1" if kind == "openai" else url
    settings = Settings(llm=kind, llm_base_url=base, llm_model="tiny", llm_context=CONTEXT)  # type: ignore[arg-type]
    Handler.cut_off = False
    return Backend(build_llm(settings), standin=True)


def test_streams_pieces_that_make_the_complete_answer(backend: Backend) -> None:
    pieces = list(backend.llm.stream(PROMPT, max_tokens=24, stop=[]))
    assert len(pieces) >= 2 and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces).strip()
    assert backend.llm.complete(PROMPT, max_tokens=24, stop=[]) == "".join(pieces)


def test_ends_before_a_stop_sequence(backend: Backend) -> None:
    """The stop sequence is a word the backend writes when not stopped: with it, the
    answer is what came before it, and never holds it."""
    free = backend.llm.complete(PROMPT, max_tokens=24, stop=[])
    words = list(re.finditer(r"\S+", free))
    assert len(words) >= 3, free
    stop = free[words[2].start() - 1 : words[2].end()]  # the third word and the space before
    stopped = backend.llm.complete(PROMPT, max_tokens=24, stop=[stop])
    assert stop not in stopped
    assert stopped.strip() == free[: free.index(stop)].strip()


def test_keeps_to_max_tokens(backend: Backend) -> None:
    short = backend.llm.complete(PROMPT, max_tokens=3, stop=[])
    longer = backend.llm.complete(PROMPT, max_tokens=24, stop=[])
    assert short and len(short) < len(longer)
    assert longer.startswith(short.rstrip())


def test_reports_a_context_size_within_the_configured_one(backend: Backend) -> None:
    assert 0 < backend.llm.context_window <= CONTEXT
    assert backend.llm.count_tokens("The CMO owns customer experience.") > 0


def test_its_langchain_model_streams_the_same_answer(backend: Backend) -> None:
    """Underneath, each backend is a LangChain model (a chat model for the servers, a
    completion LLM for the embedded base model) with the same settings: streamed on its
    own, it answers in text pieces, and they make the answer `complete` gives."""
    max_tokens = Settings().llm_max_tokens  # what the model was built with
    llm = backend.llm
    if isinstance(llm, OpenAICompatibleLLM | OllamaLLM):
        messages = [SystemMessage(PROMPT.system), HumanMessage(PROMPT.user)]
        chunks = list(llm.chat_model.stream(messages))
        pieces = [chunk.text for chunk in chunks if chunk.text]
    else:
        assert isinstance(llm, EmbeddedLLM)
        pieces = [piece for piece in llm.completion_model.stream(PROMPT.completion) if piece]
    assert llm.as_langchain() is not None
    assert len(pieces) >= 2 and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == llm.complete(PROMPT, max_tokens=max_tokens, stop=[])


def test_a_server_dying_mid_answer_is_one_clear_error(backend: Backend) -> None:
    if backend.server is None and not backend.standin:
        pytest.skip("an in-process model has no server to lose")
    if backend.standin:
        Handler.cut_off = True
        try:
            with pytest.raises(LLMError, match="stopped in the middle of the answer"):
                backend.llm.complete(PROMPT, max_tokens=24, stop=[])
        finally:
            Handler.cut_off = False
        return
    assert backend.server is not None
    stream = backend.llm.stream(PROMPT, max_tokens=200, stop=[])
    assert next(stream)  # the answer has begun...
    backend.server.stop()  # ...and the server dies
    with pytest.raises(LLMError, match=r"stopped in the middle of the answer|cannot reach"):
        for _piece in stream:
            pass


def test_the_stand_in_honours_the_request(tmp_path: Path, standin: str) -> None:
    """The stand-in is only a fair party to the contract if it reads what was asked."""
    llm = build_llm(Settings(llm="ollama", llm_base_url=standin, llm_model="tiny"))
    assert llm.complete(PROMPT, max_tokens=2, stop=[]) == "The CMO "
    assert llm.complete(PROMPT, max_tokens=50, stop=[" CIO"]) == "The CMO owns CX. [1] The"
