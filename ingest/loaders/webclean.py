"""Remove the chrome of a web page copied as text: menus, cookie banners, footers.

Whole lines are dropped and kept lines are left untouched, so any sentence of the
cleaned text still occurs verbatim in the original file.
"""

from __future__ import annotations

import itertools
import re

from ingest.masthead import byline_author, person_name, post_headers

_BOILERPLATE = re.compile(
    r"cookie|accept all|reject all|manage (your )?preferences|privacy (policy|settings)"
    r"|terms (of use|and conditions|of service)|skip to (main )?content|^sign (in|up)$"
    r"|^log ?in$|^log ?out$|^subscribe|^share( this)?\b|^follow us|all rights reserved"
    r"|^©|^\(c\) ?\d{4}|^back to top$|^menu$|^search$|^close$"
    r"|was this (page|article) helpful|^print( this page)?$"
    r"|^related (reports|articles|links|pages)\b"
    r"|^(next|previous) (article|page)\b"
    r"|[.!?] sign up( now| today| here)?[.!]?$|^(sign up|subscribe) (for|to) (our|the) \w+"
    r"|^comments? \(\d+\)$|^leave a (comment|reply)$",
    re.IGNORECASE,
)
# A label over a list of links to other pages ("Related articles", "Most popular", "See
# also"): the list under it is the site's, not the article's.
_LINKS_LABEL = re.compile(
    r"^(related( (reports|articles|links|pages|posts|stories|reading|content))?"
    r"|read next|more (articles|stories|reading|from\b.*)|see also|further reading"
    r"|recommended( (articles|reading|for you))?|you (may|might) also (like|enjoy)"
    r"|most (read|popular))\s*:?$",
    re.IGNORECASE,
)
_LIST_MARK = re.compile(r"^(?:[-*•–]|\d{1,2}[.)])\s+\S")
_SENTENCE_END = re.compile(r"[.!?:;]$")
_MENU_SEPARATORS = re.compile(r"\s(?:\||·|•|/|>|»|›)\s")


# A message a web server's program printed into the page, naming its source file and
# line ("Warning: ... in /var/www/site/index.php on line 21"): never the page's text.
_PROGRAM_MESSAGE = re.compile(r"\bin\s+(?:[A-Za-z]:)?[/\\][^\s]+\.\w{1,5}\s+on\s+line\s+\d+\b")


def _is_boilerplate(line: str) -> bool:
    return (len(line) <= 160 and bool(_BOILERPLATE.search(line))) or bool(
        _PROGRAM_MESSAGE.search(line)
    )


def _is_menu_item(line: str) -> bool:
    """A short label: a few words, no digits, no sentence punctuation."""
    words = line.split()
    return (
        0 < len(words) <= 4
        and len(line) <= 40
        and not any(ch.isdigit() for ch in line)
        and not _SENTENCE_END.search(line)
    )


def _is_inline_menu(line: str) -> bool:
    """'Home | Teams | Reports | Help' on one line; never a table row, which opens and
    closes with a pipe ('| Area | Owner | Notes |')."""
    if line.startswith("|") and line.endswith("|"):
        return False
    items = _MENU_SEPARATORS.split(line)
    return len(items) >= 3 and all(_is_menu_item(item.strip()) for item in items)


def _cells(line: str) -> int:
    return len(line.split("|")) if "|" in line else 0


def _heads_table(line: str, row: str, row_is_menu: bool) -> bool:
    """Labels between pipes over a row of as many cells that holds data ("Operating model
    | Share of firms | ..." over "Channel teams | 34% | 6 weeks"): a table's header row,
    not a menu."""
    cells = _cells(line)
    return cells >= 3 and _cells(row) == cells and not row_is_menu


def chrome_lines(lines: list[str], min_menu_run: int = 3) -> list[bool]:
    """For each line, whether it is page chrome: boilerplate, or part of a run of
    `min_menu_run`+ menu-like lines.

    Blank lines between menu items do not break a run. A short line followed by prose is a
    heading and ends the run, unless it is the item that makes a run long enough.
    """
    texts = [ln.strip() for ln in lines]
    menus = [_is_inline_menu(ln) for ln in texts]
    drop = [_is_boilerplate(ln) for ln in texts]
    below = -1  # the next non-blank line under the one looked at, from the bottom up
    for i in range(len(lines) - 1, -1, -1):
        if menus[i]:
            row, row_is_menu = (texts[below], menus[below]) if below >= 0 else ("", False)
            drop[i] = drop[i] or not _heads_table(texts[i], row, row_is_menu)
        if texts[i]:
            below = i
    # A line that carries on the unfinished line right above it, opening in lower case,
    # is the rest of that paragraph whatever words it holds ("... CXO and CCO roles and
    # marketing's" / "share of CX budgets" is a headline wrapped, not a share button).
    for i in range(1, len(texts)):
        above = texts[i - 1]
        if (
            drop[i]
            and texts[i][:1].islower()
            and above
            and not drop[i - 1]
            and not _is_menu_item(above)
            and not _SENTENCE_END.search(above)
        ):
            drop[i] = False

    _drop_link_lists(texts, drop)
    # a discussion's post headers: who wrote what follows, never a menu
    posts = {k for i, (end, _) in post_headers(texts).items() for k in range(i, end + 1)}
    run: list[int] = []

    def header_block(after: int | None) -> bool:
        """Short lines each standing in its own paragraph, right before prose: an
        article's header (category, headline, author, date), not a menu, whose items
        stand on consecutive lines."""
        spaced = all(b - a >= 2 for a, b in itertools.pairwise(run))
        prose = after is not None and not drop[after] and not _is_menu_item(lines[after].strip())
        return spaced and prose

    def byline(run: list[int]) -> bool:
        """'By' / 'Jane Doe' / 'and' / 'John Roe' on lines of their own: a byline."""
        return bool(byline_author(" ".join(lines[i].strip() for i in run)))

    def bylined(run: list[int]) -> bool:
        """A byline among the run's lines ("Headline" / "von Jane Doe" / "Fashion"), or
        its lead over a line that is the name alone ("Headline" / "By" / "Jane Doe"): an
        article's header set on short lines, not a menu."""
        shown = [lines[i].strip() for i in run]
        return any(byline_author(line) for line in shown[1:]) or any(
            byline_author(f"{lead} {name}") == name and person_name(name)
            for lead, name in itertools.pairwise(shown[1:])
        )

    def close_run(after: int | None) -> None:
        if (
            len(run) >= min_menu_run
            and not header_block(after)
            and not byline(run)
            and not bylined(run)
        ):
            for idx in run:
                drop[idx] = True
        run.clear()

    content = [i for i, ln in enumerate(lines) if ln.strip()]
    for pos, idx in enumerate(content):
        stripped = lines[idx].strip()
        if idx in posts:
            close_run(idx)
            continue
        # A line set apart by a blank line from a run of items on consecutive lines
        # (a menu) starts something else: an article's header after the menu.
        if len(run) >= 2 and idx - run[-1] >= 2 and run[-1] - run[0] == len(run) - 1:
            close_run(idx)
        nxt = content[pos + 1] if pos + 1 < len(content) else None
        heads_prose = nxt is not None and not drop[nxt] and not _is_menu_item(lines[nxt].strip())
        completes_menu = 0 < len(run) < min_menu_run <= len(run) + 1
        # A label on the very next line of a chrome run ("Share this / Twitter / Email")
        # is the run's last item, not a heading, even when prose follows it.
        continues_run = bool(run) and run[-1] == idx - 1 and len(run) + 1 >= min_menu_run
        menu_like = _is_menu_item(stripped)
        if drop[idx] or (menu_like and (not heads_prose or completes_menu or continues_run)):
            run.append(idx)
        else:
            close_run(idx)
    close_run(None)
    return drop


def _drop_link_lists(texts: list[str], drop: list[bool]) -> None:
    """The items under a label over links to other pages ("Related articles"): marked
    items ("- How boards read customer metrics") or unmarked titles, a blank line apart
    or not, each a title, not a sentence. An unmarked title that prose follows heads
    the article's next part and ends the list."""
    content = [i for i, text in enumerate(texts) if text]

    def titled(i: int) -> bool:
        return len(texts[i].split()) <= 16 and not _SENTENCE_END.search(texts[i])

    for pos, i in enumerate(content):
        if not (len(texts[i]) <= 60 and _LINKS_LABEL.match(texts[i])):
            continue
        drop[i] = True
        items = content[pos + 1 :]
        marked = bool(items) and bool(_LIST_MARK.match(texts[items[0]]))
        for k, j in enumerate(items):
            after = items[k + 1] if k + 1 < len(items) else None
            if bool(_LIST_MARK.match(texts[j])) != marked or not titled(j):
                break
            if not marked and after is not None and not drop[after] and not titled(after):
                break  # a heading over prose
            drop[j] = True


def clean_web_text(text: str, min_menu_run: int = 3) -> str:
    """The text without chrome lines; blank lines are collapsed so paragraphs stay
    separated by exactly one empty line."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    drop = chrome_lines(lines, min_menu_run)
    kept: list[str] = []
    for idx, line in enumerate(lines):
        if drop[idx]:
            continue
        if not line.strip():
            if kept and kept[-1] != "":
                kept.append("")
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n")
