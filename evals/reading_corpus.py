"""Real documents in the forms people hand them over, built from public test corpora.

The expectation files in `evals/reading/` name saved web pages and PDFs by repository and
path (third-party pages: they are never copied into this repository). The pages are read
from local bare git mirrors of those repositories at run time and written out as fixtures
in the forms a reader meets:

- `html`: the saved page as is (`<stem>.html`);
- `text`: the page as a browser copies it (select all, copy, paste; or "save as text"):
  an emulation of `innerText` with every visible line kept, menus, cookie notices, share
  buttons, captions and footers included (`<stem>.txt`);
- `wrapped`: that text hard-wrapped at 88-92 columns the way an e-mail or a memo is
  (`<stem>.wrapped.txt`), and the same as Markdown with the headline as `# ...`
  (`<stem>.wrapped.md`, form `wrapped-md`);
- `pdf`: the PDF's bytes as is.

The mirrors live under `CXA_READING_MIRROR` (default `/work/.mirror`), one folder per
repository named `<owner>+<name>...`, holding a bare git directory.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree, html

READING_DIR = Path(__file__).resolve().parent / "reading"
SETS = (
    "dev",
    "heldout",
    "dev-news",
    "heldout-news",
    "dev2",
    "dev3",
    "dev4",
    "dev5",
    "dev6",
    "dev7",
    "dev8",
    "dev9",
    "dev10",
    "dev11",
    "dev12",
)
DEFAULT_MIRROR = Path("/work/.mirror")
MIRROR_ENV = "CXA_READING_MIRROR"
FORMS = ("html", "text", "wrapped", "pdf")
# Forms written per form named in an expectation file.
_WRITTEN: dict[str, tuple[str, ...]] = {
    "html": ("html",),
    "text": ("text",),
    "wrapped": ("wrapped", "wrapped-md"),
    "pdf": ("pdf",),
}
SUFFIXES: dict[str, str] = {
    "html": ".html",
    "text": ".txt",
    "wrapped": ".wrapped.txt",
    "wrapped-md": ".wrapped.md",
    "pdf": ".pdf",
}


class MirrorMissing(RuntimeError):
    """A repository named by an expectation file has no local mirror (or git is absent)."""


@dataclass(frozen=True)
class Source:
    """One document of an expectation file: where it is and what a reader sees in it."""

    repo: str
    path: str
    forms: tuple[str, ...]
    title: str | None
    date: str | None = None
    author: str | None = None
    notes: str = ""
    set_name: str = ""

    @property
    def stem(self) -> str:
        """A file-name stem unique to the source: the page's own name, made safe."""
        name = self.path.rsplit("/", 1)[-1]
        for suffix in (".html.gz", ".html", ".htm", ".pdf"):
            if name.lower().endswith(suffix):
                name = name[: -len(suffix)]
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-") or "document"
        digest = hashlib.sha1(f"{self.repo}:{self.path}".encode()).hexdigest()[:6]
        return f"{safe[:60]}-{digest}"


@dataclass(frozen=True)
class Fixture:
    path: Path
    source: Source
    form: str  # html, text, wrapped, wrapped-md or pdf
    # The page's text as a browser copies it, before any wrapping (text forms only): its
    # lines are the lines the page writes.
    written: str = ""


@dataclass
class Mirror:
    """Bare git directories of the source repositories under one root folder."""

    root: Path
    _dirs: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def default(cls) -> Mirror:
        return cls(Path(os.environ.get(MIRROR_ENV) or DEFAULT_MIRROR))

    def git_dir(self, repo: str) -> Path:
        """The bare git directory holding `owner/name`, or MirrorMissing saying why not."""
        if repo in self._dirs:
            return self._dirs[repo]
        if shutil.which("git") is None:
            raise MirrorMissing("git is not installed")
        owner, _, name = repo.partition("/")
        candidates = sorted(self.root.glob(f"{owner}+{name}*")) if self.root.is_dir() else []
        for folder in candidates:
            for found in _git_dirs(folder):
                self._dirs[repo] = found
                return found
        raise MirrorMissing(f"no mirror of {repo} under {self.root} (set {MIRROR_ENV})")

    def read(self, repo: str, path: str) -> bytes:
        git_dir = self.git_dir(repo)
        result = subprocess.run(
            ["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise MirrorMissing(f"{repo} mirror has no {path}")
        if path.endswith(".gz"):  # corpora that keep their pages gzipped
            return gzip.decompress(result.stdout)
        return result.stdout

    def has(self, repo: str) -> bool:
        try:
            self.git_dir(repo)
        except MirrorMissing:
            return False
        return True


def _git_dirs(folder: Path, depth: int = 2) -> Iterable[Path]:
    """Bare git directories at or below `folder` (HEAD and objects/ inside)."""
    if (folder / "HEAD").is_file() and (folder / "objects").is_dir():
        yield folder
        return
    if (folder / ".git").is_dir():
        yield folder / ".git"
        return
    if depth and folder.is_dir():
        for child in sorted(p for p in folder.iterdir() if p.is_dir()):
            yield from _git_dirs(child, depth - 1)


def load_sources(set_name: str) -> list[Source]:
    """The documents of `evals/reading/<set_name>.yaml`, in file order."""
    raw = yaml.safe_load((READING_DIR / f"{set_name}.yaml").read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = raw if isinstance(raw, list) else []
    sources = []
    for entry in entries:
        forms = tuple(str(f) for f in entry.get("forms") or ())
        unknown = set(forms) - set(FORMS)
        if unknown:
            raise ValueError(f"{entry.get('path')}: unknown forms {sorted(unknown)}")
        date = entry.get("date")
        sources.append(
            Source(
                repo=str(entry["repo"]),
                path=str(entry["path"]),
                forms=forms,
                title=_opt(entry.get("title")),
                date=None if date is None else str(date),
                author=_opt(entry.get("author")),
                notes=str(entry.get("notes") or ""),
                set_name=set_name,
            )
        )
    return sources


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def build_fixtures(
    sources: Sequence[Source], folder: Path, mirror: Mirror | None = None
) -> list[Fixture]:
    """Write every form of every source into `folder`; the same input gives the same
    files. Raises MirrorMissing when a repository or a file is not in the mirror."""
    mirror = mirror or Mirror.default()
    folder.mkdir(parents=True, exist_ok=True)
    fixtures: list[Fixture] = []
    seen: set[str] = set()
    for source in sources:
        if source.stem in seen:
            raise ValueError(f"{source.path} is listed twice")
        seen.add(source.stem)
        data = mirror.read(source.repo, source.path)
        text: str | None = None
        for named in source.forms:
            for form in _WRITTEN[named]:
                target = folder / f"{source.stem}{SUFFIXES[form]}"
                if form in ("html", "pdf"):
                    target.write_bytes(data)
                else:
                    if text is None:
                        text = inner_text(data)
                    target.write_text(_render(form, text, source), encoding="utf-8")
                fixtures.append(Fixture(target, source, form, text or ""))
    return fixtures


def _render(form: str, text: str, source: Source) -> str:
    width = wrap_width(source.stem)
    if form == "text":
        return text + "\n"
    if form == "wrapped":
        return wrap_text(text, width) + "\n"
    return wrap_markdown(text, source.title, width) + "\n"


# --- the page as a browser copies it -------------------------------------------------

# Not rendered: their text never reaches the screen.
_SKIP = frozenset(
    {
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "audio",
        "video",
        "select",
        "datalist",
    }
)
# Paragraph-like blocks: a blank line before and after (their margins, when pasted).
_PARAGRAPH = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "table", "hr", "dl"}
)
# Other blocks: a line of their own.
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dt",
        "fieldset",
        "figcaption",
        "footer",
        "form",
        "header",
        "hgroup",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "section",
        "summary",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELLS = frozenset({"td", "th"})
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


@dataclass(frozen=True)
class _Run:
    text: str
    raw: bool  # preformatted, a tab or a list number: kept as is


_Item = int | _Run  # an int is a required number of line breaks


def decode_html(data: bytes) -> str:
    """The page's characters: its declared charset, else UTF-8, else Windows-1252."""
    declared = _CHARSET.search(data[:4096])
    encodings = [declared.group(1).decode("ascii")] if declared else []
    for encoding in [*encodings, "utf-8"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def inner_text(page: bytes | str) -> str:
    """The visible text of an HTML page laid out as a browser's `innerText` does."""
    source = decode_html(page) if isinstance(page, bytes) else page
    source = re.sub(r"^\s*<\?xml[^>]*>", "", source)
    # A browser reads on past an early "</html>" or "</body>" (a page that closes its
    # head's conditional copies of <html> before its <body>); lxml stops there.
    source = re.sub(r"</(?:html|body)\s*>", "", source, flags=re.IGNORECASE)
    if not source.strip():
        return ""
    root = html.document_fromstring(source)
    items: list[_Item] = []
    _walk(root, items, pre=False)
    return _render_items(items)


def _hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None:
        return True
    if element.tag == "input" and (element.get("type") or "").lower() == "hidden":
        return True
    return bool(_DISPLAY_NONE.search(element.get("style") or ""))


def _walk(element: etree._Element, items: list[_Item], pre: bool) -> None:
    if not isinstance(element.tag, str):  # comments, processing instructions
        return
    tag = element.tag.lower()
    if tag in _SKIP or _hidden(element):
        return
    if tag == "br":
        items.append(_Run("\n", raw=True))
        return
    pre = pre or tag in ("pre", "textarea", "listing", "xmp")
    breaks = 2 if tag in _PARAGRAPH else 1 if tag in _BLOCK else 0
    if breaks:
        items.append(breaks)
    if tag == "li":
        number = _list_number(element)
        if number is not None:
            items.append(_Run(f"{number}. ", raw=True))
    if element.text:
        items.append(_Run(element.text, raw=pre))
    for child in element:
        _walk(child, items, pre)
        if child.tail:
            items.append(_Run(child.tail, raw=pre))
    if tag in _CELLS and _next_cell(element) is not None:
        items.append(_Run("\t", raw=True))
    if breaks:
        items.append(breaks)


def _next_cell(cell: etree._Element) -> etree._Element | None:
    sibling = cell.getnext()
    while sibling is not None:
        if isinstance(sibling.tag, str) and sibling.tag.lower() in _CELLS:
            return sibling
        sibling = sibling.getnext()
    return None


def _list_number(item: etree._Element) -> int | None:
    """The number a browser shows before an `<li>` of an `<ol>` (None for other lists)."""
    parent = item.getparent()
    if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() != "ol":
        return None
    number = _int(parent.get("start"), 1) - 1
    for sibling in parent:
        if not isinstance(sibling.tag, str) or sibling.tag.lower() != "li":
            continue
        number = _int(sibling.get("value"), number + 1)
        if sibling is item:
            return number
    return None


def _int(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


def _render_items(items: list[_Item]) -> str:
    out: list[str] = []
    pending = 0

    def ends_with(chars: str) -> bool:
        return bool(out) and out[-1][-1:] in chars

    for item in items:
        if isinstance(item, int):
            pending = max(pending, item)
            continue
        text = item.text if item.raw else _COLLAPSE.sub(" ", item.text)
        if not text:
            continue
        at_line_start = not out or pending > 0 or ends_with("\n\t")
        if not item.raw and (at_line_start or ends_with(" ")):
            text = text.lstrip(" ")
            if not text:
                continue
        if pending and out:
            out[-1] = out[-1].rstrip(" ")
            out.append("\n" * pending)
        pending = 0
        out.append(text)
    joined = "".join(out)
    lines = [line.rstrip() for line in joined.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# --- the same text hard-wrapped as an e-mail or a memo --------------------------------

_NUMBERED = re.compile(r"^(\d{1,3}[.)]|[-*•])\s+")


def wrap_width(stem: str) -> int:
    """88 to 92 columns, fixed per document."""
    return 88 + int(hashlib.sha1(stem.encode()).hexdigest(), 16) % 5


def wrap_line(line: str, width: int) -> str:
    """One line wrapped at `width`; a list item keeps its number and hangs under it,
    a table row (cells separated by tabs) is left alone."""
    if "\t" in line or len(line) <= width:
        return line
    marker = _NUMBERED.match(line)
    indent = " " * len(marker.group(0)) if marker else ""
    return textwrap.fill(
        line,
        width=width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def wrap_text(text: str, width: int) -> str:
    """Every line of every paragraph wrapped at `width` columns."""
    return "\n".join(wrap_line(line, width) for line in text.split("\n"))


def wrap_markdown(text: str, title: str | None, width: int) -> str:
    """The wrapped text as Markdown: the headline's line becomes `# headline` (or the
    headline is put on top when no line is the headline)."""
    lines = text.split("\n")
    wanted = _fold(title) if title else None
    heading = next((i for i, line in enumerate(lines) if wanted and _fold(line) == wanted), None)
    body = [wrap_line(line, width) for line in lines]
    if heading is not None:
        body[heading] = f"# {lines[heading].strip()}"
    elif title:
        body = [f"# {title}", "", *body]
    return "\n".join(body)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
