"""The chain's last step as a streaming LangChain runnable: the model writes its draft
(streamed piece by piece), then the checked answer is composed.

`invoke` returns the `Answer`; `stream`/`transform` (and their async forms, so that
`astream` and `astream_events` of the whole chain carry the tokens) yield each piece of
the draft as a `str` as it arrives, then the `Answer` last.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from advisor.answer import Answer
from advisor.steps import Drafted, Retrieved


class WriteStep(Runnable[Retrieved, Answer | str]):
    """`draft(retrieved)` yields the model's pieces (none when no model writes);
    `finish(drafted)` checks them and composes the answer."""

    name = "write"

    def __init__(
        self,
        draft: Callable[[Retrieved], Iterator[str]],
        finish: Callable[[Drafted], Answer],
    ) -> None:
        self._draft = draft
        self._finish = finish

    def _write(self, inputs: Iterator[Retrieved]) -> Iterator[Answer | str]:
        for retrieved in inputs:
            pieces: list[str] = []
            for piece in self._draft(retrieved):
                pieces.append(piece)
                yield piece
            yield self._finish(Drafted(retrieved, "".join(pieces)))

    def _answer(self, retrieved: Retrieved) -> Answer:
        final = None
        for item in self._write(iter([retrieved])):
            final = item
        assert isinstance(final, Answer)
        return final

    def invoke(
        self, input: Retrieved, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Answer:
        answer = self._call_with_config(self._answer, input, config)
        assert isinstance(answer, Answer)
        return answer

    def transform(
        self,
        input: Iterator[Retrieved],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> Iterator[Answer | str]:
        yield from self._transform_stream_with_config(input, self._write, config)

    def stream(
        self, input: Retrieved, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Answer | str]:
        return self.transform(iter([input]), config)

    async def atransform(
        self,
        input: AsyncIterator[Retrieved],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Answer | str]:
        async def write(inputs: AsyncIterator[Retrieved]) -> AsyncIterator[Answer | str]:
            async for retrieved in inputs:
                for item in self._write(iter([retrieved])):
                    yield item

        async for item in self._atransform_stream_with_config(input, write, config):
            yield item

    async def astream(
        self, input: Retrieved, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Answer | str]:
        async def one() -> AsyncIterator[Retrieved]:
            yield input

        async for item in self.atransform(one(), config):
            yield item
