"""CX Advisor: answers about customer-experience strategy from retrieved, cited passages.

Heavy dependencies are imported lazily so that `cx-advisor --help` and imports stay instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from advisor.service import Advisor

__all__ = ["Settings", "build_advisor"]


def build_advisor(settings: Settings | None = None) -> Advisor:
    """Build the advisor from settings (read from the environment when not given)."""
    from advisor.composition import build_advisor as _build

    return _build(settings or Settings())
