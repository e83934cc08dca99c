"""The core suite over its own corpus in the forms real users hand documents over.

`python -m evals.reformat OUT_DIR` writes the starter corpus again into OUT_DIR: each
research note as a web page saved as text (site menu, cookie banner, headline, byline,
image credit, share lines, the body without Markdown marks, related links and a footer;
no front matter) or as plain text hard-wrapped at 90 columns, alternately; the internal
Markdown memos hard-wrapped at 90 columns; the other files as they are. It also writes
`core-reformatted.yaml`: the core suite's cases, their expected file names following the
new names. The same questions over the same facts in other forms show whether the
answer path depends on the documents' form (a dev check, tuned against like core).
"""

from __future__ import annotations

import argparse
import re
import shutil
import textwrap
from pathlib import Path

import yaml

from evals.suite import REPO_ROOT, SUITES_DIR
from ingest.errors import IngestError
from ingest.loaders.markdown import split_front_matter


def plain_body(markdown: str) -> str:
    """Markdown as a browser shows it as text: no heading marks, emphasis or pipes."""
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)
        if re.fullmatch(r"\|?[\s:|-]+\|?", line) and "-" in line:
            continue  # a table's rule line
        lines.append(line)
    return "\n".join(lines)


def web_page(meta: dict[str, str], body: str) -> str:
    site = meta.get("publisher") or "Insights"
    by = meta.get("author") or site
    return "\n".join(
        [
            "Skip to main content",
            site,
            "Home | Insights | Research | Events | Subscribe",
            "We use cookies to improve your experience. Accept all | Cookie settings",
            f"Home > Insights > {site}",
            "",
            str(meta.get("title") or ""),
            "",
            f"By {by} | {meta.get('date') or ''} | 5 min read",
            "",
            "Image: an office meeting. Credit: Stock Images",
            "",
            "Share this",
            "Share on LinkedIn",
            "Share by email",
            "",
            plain_body(body).strip(),
            "",
            "Related articles",
            "The state of CX in 2024",
            "Five questions for your next CX review",
            "",
            f"© {site}. All rights reserved. Privacy | Terms | Contact",
            "",
        ]
    )


def hard_wrapped(text: str, width: int = 90) -> str:
    """Paragraphs wrapped at `width` columns; list items, table rows and short lines kept."""
    out = []
    for line in text.splitlines():
        keep = (
            not line.strip() or line.lstrip().startswith(("-", "*", "|", "#")) or len(line) < width
        )
        out.append(line if keep else textwrap.fill(line, width=width, break_on_hyphens=False))
    return "\n".join(out) + "\n"


def reformat(out: Path) -> Path:
    corpus = REPO_ROOT / "corpus"
    renamed: dict[str, str] = {}
    for kind in ("research", "internal"):
        target = out / kind
        target.mkdir(parents=True, exist_ok=True)
        for i, path in enumerate(sorted((corpus / kind).iterdir())):
            if path.suffix != ".md":
                shutil.copy(path, target / path.name)
                continue
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
            if kind == "research" and i % 2 == 0:
                text = web_page(meta, body)
            elif kind == "research":
                text = hard_wrapped(f"{meta.get('title', '')}\n\n{plain_body(body).strip()}\n")
            else:  # a memo as email text: no Markdown marks, hard-wrapped
                text = hard_wrapped(plain_body(body).strip())
            name = f"{path.stem}.txt"
            (target / name).write_text(text, encoding="utf-8")
            renamed[path.name] = name
    suite = yaml.safe_load((SUITES_DIR / "core.yaml").read_text(encoding="utf-8"))
    suite["name"] = "core-reformatted"
    suite["corpus"] = [
        {"path": str(out / "research"), "kind": "research"},
        {"path": str(out / "internal"), "kind": "internal"},
        *[
            e
            for e in suite["corpus"]
            if "corpus/research" not in str(e) and "corpus/internal" not in str(e)
        ],
    ]
    suite.pop("thresholds", None)
    for case in suite["cases"]:
        case["expected_sources"] = [renamed.get(s, s) for s in case.get("expected_sources") or []]
    path = out / "core-reformatted.yaml"
    path.write_text(yaml.safe_dump(suite, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out.resolve()
    try:
        print(reformat(out))
    except (OSError, IngestError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise SystemExit(f"error: {getattr(err, 'filename', None) or out}: {reason}") from None


if __name__ == "__main__":
    main()
