"""The detected title weighed by what it means: a headline names what its article is
about, and an image caption, a teaser of another article or a section label over the
text names something else, however much it looks like a headline.

The reader weighs the headings that may be the headline by how they stand on the page
(`ingest.headline`); here each one's weight gains its cosine to the opening of the
article's text, in the embedder's meaning, and the heaviest is the title. The reader
runs without the embedder (in a worker process, within a time budget), so this is done
by ingest, before a document's chunks are embedded under their title.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ingest.document import LoadedDocument
from ingest.embedder import Embedder

# The weight of the cosine beside the reader's weight of a heading, by measurement on
# the dev reading sets (titles of pasted and hard-wrapped pages, `python -m
# evals.reading_eval`): any weight from 0.75 to 2 gave the same titles within one
# fixture; 1 is the middle of that range. A heading the reader weighs lower than the
# first by this much or more cannot win on meaning, so it is not embedded.
MEANING_WEIGHT = 1.0


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def settle_title(document: LoadedDocument, embedder: Embedder) -> LoadedDocument:
    """The document with its detected title replaced by the heading whose weight plus
    `MEANING_WEIGHT` times its cosine to the article's opening is highest; unchanged
    where the title was declared (front matter, page meta, document properties), was
    edited, or had no rival within reach."""
    choice = document.headlines
    if choice is None or not choice.lead.strip():
        return document
    if document.meta_sources.get("title") != "detected":
        return document
    top = max(weight for _, weight in choice.options)
    options = [(text, w) for text, w in choice.options if w > top - MEANING_WEIGHT]
    if len(options) < 2:
        return document
    lead, *vectors = embedder.embed_documents([choice.lead, *(text for text, _ in options)])
    weighed = [
        (weight + MEANING_WEIGHT * _cosine(vector, lead), text)
        for (text, weight), vector in zip(options, vectors, strict=True)
    ]
    best = max(weighed, key=lambda item: item[0])[1]
    return document if best == document.title else replace(document, title=best)
