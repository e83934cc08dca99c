"""The server backends speak real HTTP to a small stand-in server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from advisor.llm import LLMError, OllamaLLM, OpenAICompatibleLLM, build_llm
from advisor.prompts import Prompt
from core.settings import Settings
from tests.standin_llm import Handler as _Handler
from tests.standin_llm import standin_server

PROMPT = Prompt(system="rules", user="Excerpts: ...", completion="...", passages=())


@pytest.fixture
def server() -> Iterator[str]:
    with standin_server() as url:
        yield url


def test_openai_compatible_streams_and_reads_the_context_size(server: str) -> None:
    llm = build_llm(Settings(llm="openai", llm_base_url=f"{server}/v1", llm_model="tiny"))
    assert isinstance(llm, OpenAICompatibleLLM)
    assert llm.context_window == 2048 and llm.name == "openai:tiny"
    pieces = list(llm.stream(PROMPT, max_tokens=32, stop=["\nQuestion:"]))
    assert pieces[:2] == ["The ", "CMO "]
    assert "".join(pieces) == "The CMO owns CX. [1] The CIO runs the platforms. [2]"
    path, payload = _Handler.requests[-1]
    assert path == "/v1/chat/completions" and payload["model"] == "tiny" and payload["stream"]
    assert payload["messages"][0] == {"role": "system", "content": "rules"}


def test_ollama_streams(server: str) -> None:
    llm = build_llm(Settings(llm="ollama", llm_base_url=server, llm_model="tiny", llm_context=4096))
    assert isinstance(llm, OllamaLLM)
    assert llm.complete(PROMPT, max_tokens=4, stop=[]) == "The CMO owns CX. "
    assert _Handler.requests[-1][1]["options"]["num_ctx"] == 4096


def test_unreachable_server_is_one_clear_error() -> None:
    llm = build_llm(Settings(llm="openai", llm_base_url="http://127.0.0.1:9/v1", llm_model="m"))
    with pytest.raises(LLMError, match=r"cannot reach the openai server at http://127.0.0.1:9/v1"):
        llm.complete(PROMPT, max_tokens=8, stop=[])


def test_model_name_is_required() -> None:
    with pytest.raises(LLMError, match="CXA_LLM_MODEL"):
        build_llm(Settings(llm="openai", llm_base_url="http://127.0.0.1:9/v1"))


def test_health_check_reports_an_unreachable_server(server: str) -> None:
    up = build_llm(Settings(llm="openai", llm_base_url=f"{server}/v1", llm_model="tiny"))
    assert up.problem() is None
    down = build_llm(Settings(llm="ollama", llm_base_url="http://127.0.0.1:9", llm_model="m"))
    problem = down.problem()
    assert problem is not None and problem.startswith("the ollama server at http://127.0.0.1:9")


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_server_going_away_mid_answer_is_a_clear_error_and_recovers(
    server: str, backend: str
) -> None:
    url = f"{server}/v1" if backend == "openai" else server
    llm = build_llm(Settings(llm=backend, llm_base_url=url, llm_model="tiny"))  # type: ignore[arg-type]
    _Handler.cut_off = True
    with pytest.raises(LLMError, match="stopped in the middle of the answer"):
        llm.complete(PROMPT, max_tokens=32, stop=[])
    _Handler.cut_off = False  # the server is back: the same backend object works again
    assert llm.complete(PROMPT, max_tokens=4, stop=[]) == "The CMO owns CX. "


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_an_api_key_is_sent_only_when_one_is_set(server: str, backend: str) -> None:
    url = f"{server}/v1" if backend == "openai" else server
    for key in (None, SecretStr("s3cret")):
        llm = build_llm(Settings(llm=backend, llm_base_url=url, llm_model="tiny", llm_api_key=key))  # type: ignore[arg-type]
        llm.complete(PROMPT, max_tokens=2, stop=[])
    assert _Handler.auth == [None, "Bearer s3cret"]


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_an_error_status_is_one_line_and_not_retried(server: str, backend: str) -> None:
    url = f"{server}/v1" if backend == "openai" else server
    llm = build_llm(Settings(llm=backend, llm_base_url=url, llm_model="tiny"))  # type: ignore[arg-type]
    _Handler.failing = 503
    try:
        with pytest.raises(LLMError, match=rf"the {backend} server at {url} answered 503: ") as err:
            llm.complete(PROMPT, max_tokens=8, stop=[])
    finally:
        _Handler.failing = None
    assert "is loading" in str(err.value) and "\n" not in str(err.value)
    assert len(_Handler.requests) == 1  # a failing server is asked once, not again and again
