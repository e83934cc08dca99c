"""The organisational roles and functions a sentence names, for grouping positions on
who should own or lead something.

The vocabulary is the ordinary one of company structure (C-level titles, the functions
under them, and the words for shared ownership), not the wording of any document.
"""

from __future__ import annotations

import re

SHARED = "Shared ownership or council"
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "CCO / CXO, a dedicated customer executive",
        re.compile(
            r"\b(CCOs?|CXOs?)\b|\bchief (customer|experience|client|cx)( experience)? "
            r"officers?\b|\bhead of (customer experience|cx)\b",
            re.I,
        ),
    ),
    (
        "CEO",
        re.compile(r"\bCEOs?\b|\bchief executives?( officers?)?\b|\bmanaging directors?\b", re.I),
    ),
    (
        "C-level sponsor",
        re.compile(r"\bC-(level|suite)\b|\bexecutive (sponsor|sponsorship)\b|\bboard\b", re.I),
    ),
    (
        "CMO / marketing",
        re.compile(r"\bCMOs?\b|\bchief marketing officers?\b|\bmarket(ing|ers?)\b", re.I),
    ),
    (
        "CIO / IT",
        re.compile(
            r"\bCIOs?\b|\bCTOs?\b|\bchief (information|technology) officers?\b"
            r"|(?-i:\bIT\b)|\binformation technology\b",
            re.I,
        ),
    ),
    (
        "CDO / digital",
        re.compile(
            r"(?-i:\bCDOs?\b)|\bchief digital officers?\b"
            r"|\bdigital (leaders?|teams?|functions?|departments?|directors?|units?)\b",
            re.I,
        ),
    ),
    (
        "A business leader as CX champion",
        re.compile(
            r"\bbusiness(-side)? (leaders?|owners?|executives?|champions?|sponsors?|side)\b"
            r"|\bchampions?\b",
            re.I,
        ),
    ),
    (
        "COO / customer operations",
        re.compile(
            r"\bCOOs?\b|\bchief operating officers?\b|\bcustomer (service|operations|care|"
            r"support)\b|\bcontact[- ]cent(re|er)s?\b|\bcall[- ]cent(re|er)s?\b",
            re.I,
        ),
    ),
    (
        "CFO / finance",
        re.compile(
            r"\bCFOs?\b|\bchief financial officers?\b|\bfinance (function|team|department|"
            r"directors?|chiefs?|home)\b|\bfinance(?= (?:owns?|holds?|runs?|leads?|should)\b)"
            r"|(?-i:\bFinance\b)",
            re.I,
        ),
    ),
    (
        "CRO / risk and compliance",
        re.compile(
            r"\bchief risk officers?\b|(?-i:\bCROs?\b)|\brisk (function|team|department)s?\b"
            r"|\bcompliance (function|team|department)s?\b",
            re.I,
        ),
    ),
    ("Customer success", re.compile(r"\bcustomer success\b", re.I)),
    (
        "Product / journey teams",
        re.compile(
            r"\bproduct[- ](teams?|managers?|leaders?|owners?|function|organi[sz]ations?|led)\b"
            r"|\bjourney (teams?|owners?)\b|\bchief product officers?\b|(?-i:\bCPOs?\b)",
            re.I,
        ),
    ),
    (
        "CHRO / HR",
        re.compile(
            r"\bCHROs?\b|\bchief (people|human resources) officers?\b|(?-i:\bHR\b)"
            r"|\bhuman resources\b",
            re.I,
        ),
    ),
)
_SHARED = re.compile(
    r"\b(councils?|committees?|steering (group|board)s?|cross-functional|jointly|shared|"
    r"partnerships?|partner(s|ing)? with|collaborat\w*|together|co-(lead|own|chair)\w*|"
    r"across (functions|the business|departments|silos))\b",
    re.I,
)


# What a clause argues against: a negation, or a contrast with another view ("unlike the
# sources that want IT to lead", "this differs from ...").
_NEGATION = re.compile(
    r"\b(not|no|never|nor|neither|rather than|instead of|without|against|unlike|"
    r"differs? from|differed from|in contrast (?:to|with)|contrary to|as opposed to)\b|n['’]t\b",
    re.I,
)
# Where a negation's reach ends: a clause break, or the "than" of a comparison, whose
# standard the negation does not deny ("did no better than companies with councils").
_CLAUSE = re.compile(
    r"[,;:.!?]|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|(?<!rather )\bthan\b", re.I
)


_DENIED = re.compile(
    r"^\s+(\w+\s+)?(should|must|does|do|did|is|are|was|were|will|would|can|could|needs?|"
    r"has|have|ought)(\s+(not|never)\b|n['’]t\b)|^\s+(\w+\s+)?cannot\b",
    re.I,
)


# The words of owning something ("own", "owner", "ownership").
OWNING_WORDS = r"own|owns|owned|owning|owner|owners|ownership"
# Owning or leading denied in the clause after a role ("a CIO who wants to contribute
# without claiming ownership of it").
_OWNING_DENIED = re.compile(
    r"\b(?:not|never|without|rather than|instead of)\s+(?:[a-z]+\s+)?"
    rf"(?:{OWNING_WORDS}|lead|leads|leading)\b",
    re.I,
)


def _negated(text: str, start: int, end: int) -> bool:
    """Whether a negation governs the words at start:end: one earlier in the same
    clause ("not IT"), right after them ("IT should not own"), or a denial of owning
    later in their clause ("a CIO who helps without claiming ownership")."""
    before = re.split(_CLAUSE, text[:start])[-1]
    after = re.split(_CLAUSE, text[end:])[0]
    return bool(
        _NEGATION.search(before or "")
        or _DENIED.search(text[end : end + 40])
        or _OWNING_DENIED.search(after)
    )


def roles_in(text: str) -> tuple[str, ...]:
    """The roles a text names and never negates ("IT should not own CX") nor sets its view
    against ("unlike sources that want IT to own CX"), in the order it first names them;
    SHARED first when it speaks of shared ownership, a council or a partnership other
    than so."""
    found = []
    for label, pattern in _ROLES:
        mentions = list(pattern.finditer(text))
        # A role argued against anywhere in the sentence is not its position, however
        # often the sentence names it otherwise ("against IT ..., though IT owns it today").
        if mentions and not any(_negated(text, m.start(), m.end()) for m in mentions):
            found.append((mentions[0].start(), label))
    named = tuple(label for _, label in sorted(found))
    shared = any(not _negated(text, m.start(), m.end()) for m in _SHARED.finditer(text))
    return (SHARED, *named) if shared else named


_RIVALS = 3  # roles a sentence names side by side without taking any one's side, at least


def position_of(text: str) -> str:
    """The position a sentence takes on ownership: shared ownership, or the first role
    it names (the subject of a recommendation comes first in English sentences). A
    sentence that names `_RIVALS` roles or more and says none of them should own ("A
    marketing leader, an IT leader and a digital leader each see their own function as
    the owner") sets out the contest and takes no one's side: no position. A condition
    the sentence opens with sets a case, not its position ("If the CX owner sits in
    marketing ..., the two need a working arrangement"): the roles of the clause after
    it count."""
    roles = roles_in(text)
    if not roles:
        return ""
    if roles[0] != SHARED and _alternatives(text, roles) and not recommends_owner(text):
        return ""  # "Other functions, such as IT or customer service, might ..."
    if roles[0] != SHARED and len(roles) >= _RIVALS and not recommends_owner(text):
        # Unless the sentence ranks the first above the others: "The CMO is named most
        # often, but the CIO and the Chief Digital Officer are close behind."
        return roles[0] if _ranked_first(text, roles[0]) else ""
    condition = _CONDITION.match(text)
    if condition:
        after = roles_in(text[condition.end() :])
        return after[0] if after else ""
    return roles[0]


_ROLE_PATTERNS = dict(_ROLES)
_EITHER_OR = re.compile(r"\W*(?:or|and/or)(?:\s+(?:the|a|an))?\W*", re.I)


def _alternatives(text: str, roles: tuple[str, ...]) -> bool:
    """The first two roles a sentence names are set side by side as alternatives ("IT or
    customer service", "the CMO or the CIO"): it takes neither's side."""
    if len(roles) < 2:
        return False
    first, second = (_ROLE_PATTERNS[r].search(text) for r in roles[:2])
    if first is None or second is None:
        return False
    between = text[first.end() : second.start()]
    return bool(_EITHER_OR.fullmatch(between))


# A condition a sentence opens with, up to the comma that ends it.
_CONDITION = re.compile(r"^\W*(?:if|when|where|unless|once)\b[^,;.]*,\s*", re.I)
# What a sentence says of the role it names first, when it ranks it above the others.
_MOST_SAID = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:is|are|was|were)\s+(?:\w+\s+)?(?:the\s+)?most\b"
    r"|^\W*(?:\w+\W+){0,2}?(?:comes?|came|ranks?|ranked)\s+first\b",
    re.I,
)


def _ranked_first(text: str, role: str) -> bool:
    """The sentence says of `role`, right after naming it, that it is the most common,
    most often named or first ("The CMO is named most often")."""
    found = _ROLE_PATTERNS[role].search(text)
    return found is not None and bool(_MOST_SAID.search(text[found.end() : found.end() + 60]))


# What a recommendation says should be done by whom: "<role> should ...", "should be owned
# by <role>", "best placed to own it is <role>".
_ADVISED = r"(?:should|must|ought to|needs? to|is best placed|are best placed)\b"
_OWNED_BY = re.compile(
    r"\b(?:should|must|ought to)\s+be\s+(?:owned|led|run|chaired|held)\s+(?:\w+\s+)?by\b"
    r"|\bbest placed to (?:own|lead|run)\b[^.;:]{0,60}?\b(?:is|are)\b",
    re.I,
)
_REACH = 3  # words between a role and the modal that says what it should do, at most
# A question put in other words: what it asks is not what its sentence recommends.
_ASKED = re.compile(r"\b(?:whether|asks?|asked|asking|wonder(?:s|ed|ing)?)\b", re.I)


def recommends_owner(text: str) -> bool:
    """Says who should own or lead: a role the sentence names is what its "should" is
    said of ("Pega recommends that a CX champion should sit in the business", "CX should
    be owned by the chief executive"), never a role it argues against."""
    if not roles_in(text):
        return False
    for _, pattern in _ROLES:
        for mention in pattern.finditer(text):
            after = text[mention.end() :]
            if re.match(rf"\s+(?:[\w-]+\s+){{0,{_REACH - 1}}}{_ADVISED}", after, re.I):
                clause = re.split(_CLAUSE, text[: mention.start()])[-1]
                if _ASKED.search(clause):  # "... asks whether marketing should own CX"
                    continue
                return not _negated(text, mention.start(), mention.end())
    owned = _OWNED_BY.search(text)
    if owned is None:
        return False
    # the role within a few words of "by": "by the executive who runs customer operations"
    rest = " ".join(re.split(_CLAUSE, text[owned.end() :])[0].split()[: _REACH + 3])
    return bool(roles_in(rest))
