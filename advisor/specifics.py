"""Specifics a question names (people, firms, places, acronyms, years, quarters).

When a question names something that no retrieved passage mentions ("churn in Brazil",
"Forrester's 2024 index", "Q4 2025"), the passages are about something else, however
close they are in meaning, and the honest answer is that the sources do not say.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from advisor.lexical import STOPWORDS
from advisor.passages import Passage

_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9&]*(?:[-'’][A-Za-z0-9]+)*")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A code that starts with a number: a product or technology ("5G", "3DS", "2FA").
_CODE = re.compile(r"(?<![\w.,])\d{1,3}[A-Z][A-Za-z0-9]*\b")
_COMMON = {
    "what", "who", "whom", "which", "how", "when", "where", "why", "is", "are", "was",
    "were", "do", "does", "did", "can", "could", "should", "would", "will", "has", "have",
    "the", "a", "an", "our", "we", "us", "i", "my", "according", "in", "on", "for", "and",
    "or", "per", "if", "tell", "give", "list", "summarise", "summarize", "compare",
    "explain", "describe", "please", "any", "there", "this", "that", "these", "those",
}  # fmt: skip


def specifics(question: str) -> list[str]:
    """Names, acronyms, codes ("5G"), years and quarters in the question, in order (codes
    and years last), without repeats."""
    found: list[str] = []
    end = -2  # where the last kept name ended, to join "Acme" and "Research"
    words = list(_CAPITALISED.finditer(question))
    for match in words:
        word = re.sub(r"['’]s$", "", match.group())
        at_start = match.start() == len(question) - len(question.lstrip())
        if word.lower() in _COMMON or (at_start and not word.isupper()):
            continue
        word = re.sub(r"^([A-Z]{2,})s$", r"\1", word)  # CMOs -> CMO
        parts = word.split("-")
        if len(parts) > 1 and all(len(p) >= 2 and p.isupper() for p in parts):
            found.extend(parts)  # "CMO-CIO pairs" names the CMO and the CIO
            end = -2
            continue
        gap = question[end : match.start()] if end >= 0 else ""
        joins = found and gap in (" ", " & ")  # "Acme Research", "Saltmarsh & Deane"
        joins = joins and not word.isupper() and not found[-1].isupper()
        if joins:
            found[-1] = f"{found[-1]}{gap}{word}"  # a name of several words is one name
        else:
            found.append(word)
        end = match.start() + len(match.group())
        if re.search(r"['’]s$", match.group()):  # a possessive ends the name ("Acme's NPS")
            end = -2
    found += _CODE.findall(question) + _YEAR.findall(question)
    return list(dict.fromkeys(found))


# Places written in more than one way: a question's "UK" is a document's "United Kingdom",
# and its people ("British marketers") are the place's.
_SAME_PLACE = [
    ("UK", "U.K.", "United Kingdom", "Great Britain", "Britain", "British"),
    ("US", "U.S.", "USA", "United States", "United States of America", "American"),
    ("EU", "European Union"),
    ("UAE", "United Arab Emirates"),
    ("Netherlands", "Dutch"),
    ("Germany", "German"),
    ("France", "French"),
    ("Ireland", "Irish"),
    ("Canada", "Canadian"),
    ("Australia", "Australian"),
]
_ALIASES = {name: group for group in _SAME_PLACE for name in group}
_JOINERS = ("of", "the", "and", "for", "to")
ORDINAL_WORDS = ("first", "second", "third", "fourth")


def _spelled(acronym: str) -> str:
    """A run of words whose initials spell the acronym ("first-contact resolution" for
    FCR, "voice of the customer" for VoC), small joining words aside; an X is also the
    "ex" a word opens with ("customer experience" for CX)."""
    skip = rf"(?:[\s-]+(?:{'|'.join(_JOINERS)}))*"
    letters = ["e?x" if letter == "x" else re.escape(letter) for letter in acronym.lower()]
    return "(?i:" + rf"{skip}[\s-]+".join(rf"{letter}[^\W\d_]*" for letter in letters) + ")"


def spellable(term: str) -> bool:
    """An acronym a text may write out instead: three to five letters with a capital
    after the first ("FCR", "VoC"), not a word that starts a sentence ("Churn")."""
    return term.isalpha() and 3 <= len(term) <= 5 and term[1:] != term[1:].lower()


def spelled_runs(acronym: str, text: str) -> Counter[str]:
    """The runs of words in `text` that spell the acronym (lower-cased), with how often
    each is written; none opens or closes on a word any sentence has ("for customer
    reasons" is no name)."""
    counts: Counter[str] = Counter()
    for match in re.finditer(rf"(?<!\w){_spelled(acronym)}(?!\w)", text):
        phrase = " ".join(match.group().split()).lower()
        words = re.split(r"[\s-]+", phrase)
        if any(w in _COMMON or w in STOPWORDS for w in (words[0], words[-1])):
            continue
        counts[phrase] += 1
    return counts


def written_out(acronym: str, text: str) -> str:
    """How `text` writes the acronym out, when it does: the run of words spelling it
    that it uses most (twice at least, in lower case), none of them a word any
    sentence has ("for customer reasons" is no name); '' when there is none or a tie."""
    if not spellable(acronym):
        return ""
    ranked = spelled_runs(acronym, text).most_common()
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return ""
    return ranked[0][0]


def _initials(name: str) -> str:
    """The initials of a name of two or more capitalised words ("Net Promoter Score":
    NPS), small joining words aside; '' for any other."""
    words = [w for w in name.split() if w.lower() not in _JOINERS]
    if len(words) < 2 or not all(w[:1].isupper() and w[1:].islower() for w in words):
        return ""
    return "".join(w[0] for w in words)


def _term_pattern(term: str) -> re.Pattern[str]:
    forms = []
    for form in _ALIASES.get(term, (term,)):
        words = r"\s+".join(re.escape(word) for word in form.split())
        # "Chief Customer Officers" too; an acronym as written ("US", never "us")
        acronym = (form.isupper() and len(form) <= 5) or "." in form
        forms.append(words if acronym else f"(?i:{words})")
    # A term of three letters or more is also written out, or by its initials: "FCR" is
    # "first-contact resolution", "Net Promoter Score" is "NPS".
    if spellable(term):
        forms.append(_spelled(term))
    if len(_initials(term)) >= 3:
        forms.append(_initials(term))
    quarter = re.fullmatch(r"Q([1-4])", term)
    if quarter:  # "Q2" is "the second quarter"
        forms.append(f"(?i:{ORDINAL_WORDS[int(quarter.group(1)) - 1]}\\s+quarter)")
    return re.compile(rf"(?<!\w)(?:{'|'.join(forms)})(?:s|['’]s)?(?!\w)")


def mentioned(term: str, text: str) -> bool:
    """Whether the text names the term as a whole word: an acronym ("IT", "CX") as
    written, anything else in any case."""
    return bool(_term_pattern(term).search(text))


def mentions(term: str, text: str) -> int:
    """How many times the text names the term (as `mentioned` finds it)."""
    return sum(1 for _ in _term_pattern(term).finditer(text))


def named_by_document(passage: Passage) -> str:
    """What a passage's document names outside its text: its title, publisher, author,
    date as a reader writes it and the byline lines over its text ("Norcastle's February
    2024 report" names its date; "Research Brief 21-09" under a headline, its series)."""
    return (
        f"{passage.title} {passage.publisher} {passage.author} {written_date(passage.date)} "
        f"{passage.front}"
    )


def unmatched_specifics(question: str, passages: Sequence[Passage]) -> list[str]:
    """The question's specifics that none of the passages (their text, or what their
    document names outside it) has."""
    haystack = " ".join(f"{p.text} {named_by_document(p)}" for p in passages)
    return [term for term in specifics(question) if not mentioned(term, haystack)]


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_ISO_DATE = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?")


def written_date(date: str) -> str:
    """A document's date ("2024-02-06", "2021-09", "2020") as a reader writes it: "6
    February 2024"; '' where it is no such date."""
    found = _ISO_DATE.match(date.strip())
    if found is None:
        return ""
    year, month, day = found.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    named = f"{MONTH_NAMES[int(month) - 1]} {year}"
    return f"{int(day)} {named}" if day else named
