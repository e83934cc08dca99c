"""A tree drawn in text: an organisation chart or an outline set in a code block.

    CEO - Daniel Okafor
    |-- CMO - Sofia Brandt
    |   `-- Head of Digital - Léa Dubois (85 people)
    `-- CIO - Marcus Lindqvist (IT; 420 people)

Each line past the first hangs from the line above it whose text starts further left,
as the branch drawn before it shows (`|--`, `` `-- ``, `+--`, `├──`, `└──`). A node is
read with its parent: "CIO - Marcus Lindqvist" is read under "CEO - Daniel Okafor",
the way a reader of the chart reads it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# The drawing before a node's text: rails of the levels above ("|   ", "│   ") and the
# branch to the node itself ("|-- ", "`-- ", "+-- ", "\-- ", "├── ", "└─ ").
_BRANCH = re.compile(
    r"^(?P<rails>(?:[ \t]|[|│┃¦])*?)(?P<branch>[|`+\\├└┣┗]\s?[-─━]{1,3}>?)[ \t]+(?=\S)"
)
_RAIL_ONLY = re.compile(r"^[\s|│┃¦]*$")


@dataclass(frozen=True)
class TreeNode:
    """One node: its text (verbatim, the drawing left off) and the index of its parent
    among the nodes, or None for a root."""

    text: str
    parent: int | None


def tree_nodes(lines: Sequence[str]) -> list[TreeNode] | None:
    """The nodes of `lines` when they draw a tree (at least two branches, every line a
    root, a branch or a bare rail), else None."""
    nodes: list[TreeNode] = []
    columns: list[int] = []  # where each node's text starts
    branches = 0
    for line in lines:
        if not line.strip() or _RAIL_ONLY.match(line):
            continue
        drawn = _BRANCH.match(line)
        if drawn:
            column = drawn.end()
            branches += 1
        elif line[:1].isspace() or any(ch in line for ch in "|│├└"):
            return None  # indented or drawn in some other way: not a tree we can read
        else:
            column = 0
        parent = None
        for i in range(len(nodes) - 1, -1, -1):
            if columns[i] < column:
                parent = i
                break
        if drawn and parent is None:
            return None  # a branch from nothing
        nodes.append(TreeNode(line[column:].rstrip(), parent))
        columns.append(column)
    return nodes if branches >= 2 else None
