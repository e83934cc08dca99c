"""The bottom line of an answer on who should own something: what the positions map and
the options on the table add up to, said first.

It is counted from the map itself (how many research sources recommend each owner, which
option proposes which owner), never written from the documents' words, so it states only
what the cited statements below it show. Each clause carries the citations it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.answer import Clause, OptionOnTable, Position
from advisor.positions import OTHER

# A label an option gives itself before a colon: "Option A: ...", "Scenario 2: ...".
_LABEL = re.compile(r"^\s*([A-Z][\w-]*(?:\s+[\w-]+){0,2})\s*:\s+\S")


def bottom_line(positions: Sequence[Position], options: Sequence[OptionOnTable]) -> list[Clause]:
    """Where the recommending research points, then which option proposes that owner and
    which propose an owner no research source here recommends. Empty without positions."""
    taken = [p for p in positions if p.position != OTHER and p.sources]
    if not taken:
        return []
    clauses = _research(taken)
    recommended = {p.position for p in taken if p.recommending}
    if recommended:
        clauses += _options(options, recommended, taken)
    return clauses


def _research(positions: Sequence[Position]) -> list[Clause]:
    advising = sorted(
        (p for p in positions if p.recommending),
        key=lambda p: -p.recommending,  # stable: the map's own order among equals
    )
    if not advising:
        sources = sum(p.sources for p in positions)
        widest = max(positions, key=lambda p: p.sources)  # the first of the most held
        return [
            Clause(
                text=f"None of the {sources} research sources here recommends an owner; "
                f"they report who owns it, {_spoken(widest.position)} in "
                f"{widest.sources} of them",
                citations=[s.citation for s in widest.statements],
                after=".",
            )
        ]
    total = sum(p.recommending for p in advising)
    apart = total > 2 and all(p.recommending == 1 for p in advising)  # no two agree
    clauses = []
    for k, position in enumerate(advising):
        cited = [s.citation for s in position.statements if s.recommends]
        said = _spoken(position.position)
        if k > 0:
            count = "" if apart else f"{position.recommending} "
            text = f"{'and ' if k == len(advising) - 1 else ''}{count}{said}"
        elif apart:
            text = (
                f"The {total} research sources here that recommend an owner each favour "
                f"a different one: {said}"
            )
        elif total == 1:
            text = f"The one research source here that recommends an owner favours {said}"
        elif position.recommending == total:
            every = "Both" if total == 2 else f"All {total}"
            text = f"{every} research sources here that recommend an owner favour {said}"
        else:
            text = (
                f"Of the {total} research sources here that recommend an owner, "
                f"{position.recommending} favour{'s' * (position.recommending == 1)} {said}"
            )
        after = "." if k == len(advising) - 1 else ","
        clauses.append(Clause(text=text, citations=cited, after=after))
    return clauses


def _options(
    options: Sequence[OptionOnTable], recommended: set[str], positions: Sequence[Position]
) -> list[Clause]:
    """An option whose owner recommending research favours, and those whose owner none
    does; an option that proposes no owner is left to the list below."""
    counts = {p.position: p.recommending for p in positions}
    backed = [o for o in options if o.position in recommended]
    unbacked = [o for o in options if o.position and o.position not in recommended]
    clauses = []
    for k, option in enumerate(backed):
        n = counts[option.position]
        tail = ";" if unbacked or k < len(backed) - 1 else "."
        clauses.append(
            Clause(
                text=_label(option),
                citations=[option.option.citation],
                after=f" proposes {_spoken(option.position)}, which {n} of them "
                f"recommend{'s' * (n == 1)}{tail}",
            )
        )
    for k, option in enumerate(unbacked):
        if k == 0:
            lead = "no research source here recommends the owner that"
            if not backed:
                lead = "No research source here recommends the owner that"
            text = f"{lead} {_label(option)}"
        else:
            text = f"{'or ' if k == len(unbacked) - 1 else ''}{_label(option)}"
        clauses.append(Clause(text=text, citations=[option.option.citation]))
    if unbacked:
        verb = "proposes" if len(unbacked) == 1 else "propose"
        clauses[-1] = clauses[-1].model_copy(update={"after": f" {verb}."})
    if clauses:  # a sentence of its own: "The option [3] proposes ..."
        first = clauses[0].text
        clauses[0] = clauses[0].model_copy(update={"text": first[:1].upper() + first[1:]})
    return clauses


def _label(option: OptionOnTable) -> str:
    """How the option names itself ("Option A"), else "the option"."""
    match = _LABEL.match(option.option.text)
    return match.group(1) if match else "the option"


def _spoken(position: str) -> str:
    """A position's label inside a sentence: "Shared ownership or council" -> "shared
    ownership or council"; an acronym stays as written ("CMO / marketing")."""
    first = position.split(" ", 1)[0]
    if first == "A" or (first.isalpha() and first[1:].islower()):  # not "CMO", "C-level"
        return position[:1].lower() + position[1:]
    return position
