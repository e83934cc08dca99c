"""Judges: does a sentence follow from the text it cites?

The offline judge needs no model: the embedder's similarity, lexical overlap, and the
rule that every number and acronym must appear in the cited text (the same measure the
advisor checks with, applied here to the concatenation of all cited quotes). The LLM
judge asks any OpenAI-compatible server and is reported separately, never required.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.passages import Passage
from advisor.verify import SupportChecker
from ingest.layout import LaidOutBlock

# A completion prompt with two worked examples: small local models follow it where they
# ignore a chat instruction, and any OpenAI-compatible server offers /completions.
JUDGE_PROMPT = (
    "Decide whether each passage supports its statement. Every claim, number and name in "
    "the statement must be in the passage.\n\n"
    "Passage: Acme's 2021 survey found that 40% of firms put the CMO in charge of CX.\n"
    "Statement: Acme found that the CMO is in charge of CX at 40% of firms.\n"
    "Supported: yes\n\n"
    "Passage: Acme's 2021 survey found that 40% of firms put the CMO in charge of CX.\n"
    "Statement: Acme found that the CIO is in charge of CX at 60% of firms.\n"
    "Supported: no\n\n"
    "Passage: {passage}\nStatement: {statement}\nSupported:"
)


class OfflineJudge:
    def __init__(self, checker: SupportChecker) -> None:
        self.checker = checker

    def __call__(self, sentence: str, texts: Sequence[str]) -> bool:
        if not texts:
            return False
        text = " ".join(texts)
        # Read as its sentences and as one whole: a cited list item or row is quoted with
        # the lead-in or headers it is read with, and can hold several sentences.
        whole = (LaidOutBlock(0, len(text), "body"), LaidOutBlock(0, len(text), "list_item"))
        passage = Passage("judge", "judge", text, "", "", "", 1.0, layout=whole)
        return self.checker.score([sentence], [passage])[0][0].supported


@dataclass
class LLMJudge:
    """Faithfulness by a model behind an OpenAI-compatible /completions endpoint."""

    base_url: str
    model: str = "judge"
    timeout: float = 60.0
    errors: list[str] = field(default_factory=list)

    def __call__(self, sentence: str, texts: Sequence[str]) -> bool | None:
        """True/False, or None when the server failed or gave no yes/no."""
        import httpx

        payload: dict[str, Any] = {
            "model": self.model,
            "temperature": 0,
            "max_tokens": 3,
            "stop": ["\n"],
            "prompt": JUDGE_PROMPT.format(passage=" ".join(texts), statement=sentence),
        }
        url = f"{self.base_url.rstrip('/')}/completions"
        try:
            response = httpx.post(url, json=payload, timeout=self.timeout)
            response.raise_for_status()
            reply = str(response.json()["choices"][0]["text"])
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as err:
            self.errors.append(f"{url}: {' '.join(str(err).split())[:200]}")
            return None
        word = reply.strip().lower().lstrip("*\"' ")
        if word.startswith("yes"):
            return True
        if word.startswith("no"):
            return False
        return None
