"""The lines around an article's headline: bylines, date lines, image credits, reading
times and copyright lines. They describe the document (author, date, publisher) and are
never evidence. Each test looks at one short line on its own."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence

# Month names and their common short forms in English, German, French, Spanish,
# Italian and Dutch, the languages of most pages an analyst saves.
_MONTH_NAMES = [
    "jan january januar jänner janvier enero gennaio januari",
    "feb february februar février fevrier febrero febbraio februari",
    "mar march märz mär maerz mars marzo maart",
    "apr april avril abril aprile",
    "may mai mayo maggio mei",
    "jun june juni juin junio giugno",
    "jul july juli juillet julio luglio",
    "aug august août aout agosto augustus",
    "sep sept september septembre septiembre settembre",
    "oct october okt oktober octobre octubre ottobre",
    "nov november novembre noviembre",
    "dec december dez dezember décembre decembre diciembre dicembre",
]
# Short forms that are also words ("set", "mag", "ago"): a month only between a day and
# a year ("02 Ago 2017", "7 set. 2018").
_DAY_MONTH_NAMES = [
    "gen ene janv",
    "févr fevr",
    "mrt",
    "abr avr",
    "mag",
    "giu",
    "lug juil",
    "ago",
    "set",
    "ott",
    "",
    "dic déc",
]
_MONTHS = {name: n for n, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
_SHORT_MONTHS = {
    name: n for n, names in enumerate(_DAY_MONTH_NAMES, start=1) for name in names.split()
}


def names_month(word: str) -> bool:
    """A month's name or its short form, in one of the languages dates are read in."""
    return word.lower().rstrip(".,") in _MONTHS


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(m) for m in names), key=len, reverse=True))


# The days of the week, in the languages of the months above, in full and short.
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag mo di "
    "mi do fr sa so lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles "
    "miercoles jueves viernes sábado sabado domingo lunedì martedì mercoledì giovedì venerdì "
    "sabato domenica maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"
).split()
_WEEKDAY = _alternatives(_WEEKDAYS)
_MONTH_WORD = _alternatives(_MONTHS)
_MONTH = rf"(?P<month>{_MONTH_WORD})(?!\w)\.?"
_DATED_MONTH = rf"(?P<month>{_alternatives([*_MONTHS, *_SHORT_MONTHS])})(?!\w)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.)?"
# Letters may follow the year ("2.03.2018von"), and so may the next date, run into it
# where a page shows two dates side by side ("20. April 201713. Juni 2017"), the time
# ("Nov 15, 20195:45 AM"), or, after a day and month, a count of comments ("06/11/20230
# Kommentare"); "In May 202012 tickets" is a count run on, not a day. The next date may
# be in figures too ("17/11/201917/11/2019": published and updated, side by side).
_YEAR_ENDS = (
    rf"(?!\d)|(?=[0-3]?\d\.?\s*(?i:{_MONTH_WORD})(?!\w))|(?=[0-2]?\d:[0-5]\d)"
    r"|(?=[0-3]?\d/[0-3]?\d/|[0-3]?\d\.[01]?\d\.)"
)
_YEAR = rf"(?P<year>(?:19|20)\d\d)(?:{_YEAR_ENDS})"
_DAY_YEAR = rf"(?P<year>(?:19|20)\d\d)(?:{_YEAR_ENDS}|(?=\d{{1,3}}(?:\s+\w|$)))"
# A time after a date with a two-digit year, "at" or "um" between them or not.
_TIME_AFTER = r"(?=,?\s+(?:(?:at|um|à)\s+)?[0-2]?\d:[0-5]\d)"
# A time on the 12-hour clock right after a date ("11/08/23 5:19pm", ", 10:15 AM").
_TWELVE_HOURS = r"(?=,?\s+(?:at\s+)?[01]?\d:[0-5]\d\s*(?i:[ap]\.?m\.?)(?!\w))"
_DATE_FORMS = [
    # ISO, a time stamp's time run on after it ("2019-11-18T20:51:19Z").
    re.compile(rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    # The day's full stop may stand right before the month ("8.Dezember 2010").
    re.compile(rf"\b{_DAY}(?:\s+|(?<=\.))(?:of\s+)?{_DATED_MONTH},?\s+{_DAY_YEAR}", re.IGNORECASE),
    # A day with its full stop run into the word before it, as a copy joins a page's
    # spans ("hejfish7. Januar 2022").
    re.compile(
        rf"(?<=[^\W\d_])(?P<day>[0-3]?\d)\.\s*{_DATED_MONTH},?\s+{_DAY_YEAR}", re.IGNORECASE
    ),
    re.compile(rf"\b{_DATED_MONTH}\s+{_DAY},?\s+{_DAY_YEAR}", re.IGNORECASE),
    # The month's name set apart by slashes: "29 / Dezember / 2022".
    re.compile(rf"\b{_DAY}\s*/\s*{_DATED_MONTH}\s*/\s*{_DAY_YEAR}", re.IGNORECASE),
    # Slashes or full stops: day first ("20/02/2023", "20.02.2023") unless the second
    # number can only be a day ("11/19/2019", "11.14.2019 09:00 AM", as US pages write
    # it); a two-digit year only with the time after it ("01.01.23 um 08:35"). A time
    # on the 12-hour clock after it ("11/08/23 5:19pm") says the page writes dates the
    # US way, month first.
    re.compile(
        rf"(?:\b|(?<=[^\W\d_]))(?P<first>[0-3]?\d)(?P<mark>[/.])(?P<second>[0-3]?\d)(?P=mark)"
        rf"(?:{_DAY_YEAR}|(?P<short>\d\d)(?!\d){_TIME_AFTER})(?P<us>{_TWELVE_HOURS})?"
    ),
    # Bars, as some pages set a date apart ("26 | 01 | 2022"), day first; never three
    # numbers inside a longer row of bars (a table row's "| 4 | 12 | 2019 |").
    re.compile(
        rf"(?<!\|\s)\b(?P<first>[0-3]?\d)\s\|\s(?P<second>[01]?\d)\s\|\s{_DAY_YEAR}(?!\s*\|)"
    ),
    # The day's name between the day and the month ("31 Donnerstag Okt 2019").
    re.compile(rf"\b{_DAY}\s+(?:{_WEEKDAY})\.?,?\s+{_DATED_MONTH},?\s+{_DAY_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}", re.IGNORECASE),
]
# A year, or a slash or full stop before two digits: every form has one.
_ANY_YEAR = re.compile(r"(?:19|20)\d\d|\d[/.]\d\d")
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|(?:de|da|van|von|der|del|la|le|di|du|bin|al))"
_NAME = rf"[A-Z][\w'’.-]*(?:\s+{_NAME_WORD}){{0,4}}"
# A byline's lead word, in the languages pages are commonly written in.
_BY = (
    r"(?:written|posted|published|words|story|presented|compiled|prepared)\s+by"
    r"|(?:geschrieben|verfasst|veröffentlicht|gepostet)\s+von|(?:ein\s+|blog\s*)?beitrag\s+von"
    r"|interview(?:ed)?\s+by|(?:ein\s+)?interview\s+von|(?:artikel|text)\s+von"
    r"|(?:écrit|publié|rédigé)\s+par|(?:escrito|publicado)\s+por|(?:scritto|pubblicato)\s+da"
    r"|by|authors?|autor(?:[/:*]in)?|autoren|autorinnen|auteur|von|par|por|door|di|da|av|af"
    # "Text: Jane Doe", "Text & Fotos: Jane Doe", "Texte et photos : ...": a credit for
    # the words (and pictures), only with its colon
    r"|(?:text|texte|texto|testo|tekst)(?:\s*(?:&|\+|and|und|et|y|e|og|och|en)\s*"
    r"(?:fotos?|photos?|bilder?|pictures?|images?|illustrations?|interviews?))?(?=\s*:)"
)
_GLUED_BY = (
    r"(?:(?i:written|posted|published|geschrieben|verfasst|veröffentlicht|gepostet)\s+)?"
    r"(?:[Bb]y|[Vv]on|Par|Por)"
)
# Dots that set a line's fields apart: a middle dot, a bullet, a dot operator.
_DOTS = "·•⋅∙"
_BYLINE = re.compile(  # the lead word in any case, the name capitalised
    # (or run into the name, as a copy joins them: "ByAlex Bozarjian", "Veröffentlicht
    # vonChris Jung")
    rf"^(?:(?i:{_BY})\s*:?\s+|(?:{_GLUED_BY})(?=[A-Z][a-z]))"
    rf"(?P<name>{_NAME}(?:\s*(?:,|and|&|und)\s*{_NAME})*"
    r"(?:\s+\([A-Z][^()|]{0,40}\))?)"  # and where the author works: "(Gartner)"
    rf"(?:\s*$|\s*[|,{_DOTS}—–-]|\s*/|\s{{3,}}|\s+(?:on|in|for|at|am|le|el|with|mit)\b|\s+(?=\d)"
    # or the next field of the line run on: "Von Jane Doe Kategorien: Mode ..."
    r"|\s+(?=[A-Z][\w-]*:\s))"
)
# A date and time that open a byline: "19.03.2019 11:45 |", "19.6.2007 9:40 Uhr".
_TIME = re.compile(rf"^\s*\d{{1,2}}[:.]\d\d(?:\s*(?i:uhr|h|am|pm|hrs))?\b\s*[|,{_DOTS}–-]?\s*")
_CREDIT = re.compile(
    r"\b((?P<noun>photo(graph)?s?|fotos?|bild(?:er)?|image|illustration|picture)|credit|getty|istock|shutterstock|"
    r"alamy|unsplash|pexels|reuters|courtesy of|cc[- ]by(?:[- ]\w\w)*)\b|©|\(c\)|^source\s*:",
    re.IGNORECASE,
)
_FIELD_SEPARATOR = re.compile(rf"\s+[—–|{_DOTS}]\s+")
_FIELD_WORDS = 3  # words of a field beside a date on a meta line, at most
_YEARLESS_WORDS = 2  # words beside a date without its year on a date line ("Posted"), at most
_READ_TIME = re.compile(r"\b\d+\s*(min(ute)?s?)\s+(read|to read)\b", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)?\s*,?\s*"
    r"(?P<owner>[A-Z][\w&.'’ -]{1,60}?)\s*(?:[.,|]|\ball rights\b|$)",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return text.split()


def find_date(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first date written in a common form ('17th Sep 2019', 'Feb 20, 2023',
    '2023-02-20', '20.02.2023', 'March 2021'), as ISO text, with its span."""
    if not _ANY_YEAR.search(text):  # every form has a year: most lines are done here
        return None
    best: tuple[int, str, tuple[int, int]] | None = None
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            iso = _iso(match)
            if iso is not None and (best is None or match.start() < best[0]):
                best = (match.start(), iso, match.span())
                break
    return (best[1], best[2]) if best else None


def _iso(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    if parts.get("first"):  # a date written with slashes
        first, second = int(parts["first"]), int(parts["second"])
        in_order = _day_month(first, second, month_first=parts.get("us") is not None)
        parts |= {"day": str(in_order[0]), "month": str(in_order[1])}
        if parts.get("short"):
            parts["year"] = str(_century(int(parts["short"])))
    year = int(parts["year"])
    month_text = parts["month"].lower().rstrip(".")
    month = (
        int(month_text)
        if month_text.isdigit()
        else _MONTHS.get(month_text, _SHORT_MONTHS.get(month_text))
    )
    if month is None or not 1 <= month <= 12:
        return None
    day_text = parts.get("day")
    if not day_text:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, int(day_text)).isoformat()
    except ValueError:
        return None


_DAY_MONTH = [
    re.compile(rf"^{_MONTH}\s+{_DAY}(?=\s|$)", re.IGNORECASE),
    re.compile(rf"^{_DAY}\.?\s+{_MONTH}(?=\s|$)", re.IGNORECASE),
]


# A day and month without a year anywhere in a line ("Posted Nov 19, 6:51 AM").
_DAY_MONTH_ANYWHERE = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?!\d)(?!\s*,?\s*\d{{4}})", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\.?\s+{_MONTH}(?!\s*,?\s*\d)", re.IGNORECASE),
]


_LEADING = 64  # characters a date that opens a line can take ("Wednesday, 17th ...")


def leading_date(text: str) -> int:
    """How many characters of the line a date at its start takes ('Jun 17 The
    headline', '12 May 2021 The headline'), 0 when it does not start with one; the
    year may be missing, as on blogs that show it elsewhere."""
    found = find_date(text[:_LEADING])
    if found is not None and found[1][0] == 0:
        return found[1][1]
    return next((m.end() for m in (f.match(text) for f in _DAY_MONTH) if m), 0)


def without_leading_date(text: str) -> str:
    """A headline without a date that opens it ('Jun 17 The headline' -> 'The
    headline'); a line that is only a date stays as it is."""
    cut = leading_date(text)
    return text[cut:].strip(f" |{_DOTS}–-:") if 0 < cut < len(text) else text


# What may stand before a date that opens a byline: the day's name and a comma
# ("Dienstag, 13. Mai 2014, von ..."), or the word that says it was published ("Posted on
# 21 July 2019 by ...", "Veröffentlicht am 13. März 2019 von ...").
_BEFORE_OPENING_DATE = re.compile(
    r"[^\W\d_]{2,}\.?,\s*"
    r"|(?i:published|posted|veröffentlicht|publiziert|erschienen|publié|publicado|pubblicato|gepubliceerd)"
    r"(?:\s+(?i:on|am|le|el|il|em|op))?:?\s+"
)


def _after_opening_date(text: str) -> str | None:
    """What follows a date (and a time) that open the line ('19.03.2019 11:45 | von
    Jane Doe' -> 'von Jane Doe'), None when the line does not open on a full date."""
    found = find_date(text)
    # The day's name or "Published on" before it: "Dienstag, 13. Mai 2014, von Jane Doe".
    if found is None or (
        found[1][0] != 0 and not _BEFORE_OPENING_DATE.fullmatch(text[: found[1][0]])
    ):
        return None
    return _TIME.sub("", text[found[1][1] :].lstrip(f" |,{_DOTS}–-"), count=1)


_MONTH_LINE_WORDS = 3  # words beside a month and year in a date line, at most
_FIELD_MARKS = ",;:|—–" + _DOTS  # marks that set a field apart on a line


def date_line(text: str) -> str | None:
    """The date of a short line that is mostly a date ('Published 17th Sep 2019',
    'Updated: March 3, 2021 10:15 am', '20th Feb 2023 | 5 min read'), else None. A full
    date and its time of day that open the line date it, whatever follows ("19. Oktober
    2019, 19:08 Uhr Editiert am ... DIE ZEIT Nr. 43/2019")."""
    # Looked for in the line's opening only: most lines that reach here are paragraphs.
    found = find_date(text[:_LEADING])
    if (
        found is not None
        and found[1][0] == 0
        and len(found[0]) == 10  # a full date
        and _TIME.match(text[found[1][1] :].lstrip(f" ,|{_DOTS}–-"))
    ):
        return found[0]
    return _mostly_date(text)


def _mostly_date(text: str) -> str | None:
    """The date of a short line that is mostly a date, else None."""
    if len([w for w in _words(text) if any(ch.isalnum() for ch in w)]) > 12:
        return None  # marks between fields ("|", "·") are not words
    found = find_date(text)
    if found is None:
        return _short_date(text) or _short_date_field(text) or _spaced_date(text)
    iso, (a, b) = found
    rest = text[:a] + " " + text[b:]
    rest = _READ_TIME.sub(" ", rest)
    letters = [w for w in re.findall(r"[A-Za-z]{2,}", rest) if w.lower() not in {"am", "pm"}]
    # A month and year alone make a date line with a few words beside them ("Stand: Mai
    # 2022") or set apart as a field of their own ("Acme Lab, Research Brief 7, May
    # 2022"); a phrase that runs on into them is a headline ("Fishing show in Leeds in
    # May 2022"), unless a full date follows ("Covers July to September 2026. Issued on
    # 7 October 2026.").
    field = not text[:a].strip() or text[:a].rstrip()[-1] in _FIELD_MARKS
    later = (find_date(text[b:]) or ("",))[0]
    full = len(iso) == 10 or len(later) == 10
    if len(letters) <= (6 if full or field else _MONTH_LINE_WORDS):
        # Two full dates on one line are when it was first published and when it was
        # updated, in either order ("Last updated 4 Jun 2020, originally created 17 Jun
        # 2019"): the first publication is the earlier.
        return min(iso, later) if len(iso) == len(later) == 10 else iso
    # A line of fields ("Posted on 6 July 2015 by Jane Doe — Leave a comment | 3 Comments"):
    # the field that holds the date is judged alone, where the others are a few words each.
    fields = _FIELD_SEPARATOR.split(text.strip())
    dated = [f for f in fields if find_date(f) is not None]
    others = [f for f in fields if f not in dated]
    short = all(len(f.split()) <= _FIELD_WORDS for f in others)
    if len(dated) == 1 and others and short and not text.rstrip().endswith("."):
        return _mostly_date(dated[0])
    return None


_SHORT_DATE = re.compile(
    r"(?P<first>[0-3]?\d)(?P<mark>[./])(?P<second>[0-3]?\d)(?P=mark)(?P<year>\d\d)"
    r"(?:,?\s+\d{1,2}:\d\d(?:\s*(?i:uhr|h|(?P<us>am|pm)))?)?"  # a time after it
)


def _day_month(first: int, second: int, month_first: bool) -> tuple[int, int]:
    """The day and month of a date written in numbers: day first unless the second
    number can only be a day, or the page writes dates month first and the first
    number can be a month."""
    if (second > 12 >= first) or (month_first and first <= 12):
        return second, first
    return first, second


def _century(year: int) -> int:
    """A two-digit year in the century that does not put it in the future."""
    year += 2000
    return year - 100 if year > dt.date.today().year else year


def _short_date(text: str) -> str | None:
    """A line that is only a date with a two-digit year ('17.7.11', '04.05.20 14:50',
    '30/10/23'), as blogs and news sites show it, a time after it aside; day first
    unless the second number can only be a day, as with four-digit years; the year is
    taken in the century that does not put it in the future."""
    match = _SHORT_DATE.fullmatch(text.strip())
    if match is None:
        return None
    first, second = int(match["first"]), int(match["second"])
    day, month = _day_month(first, second, month_first=match["us"] is not None)
    year = _century(int(match["year"]))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# A date in numbers with a space after each full stop ("13. 1. 2020", "14. 01. 2020,
# 13:47"), as German pages set it: only as the whole line, since inside a sentence the
# same marks run through a list of days ("am 26. und 27. 2. 2015").
_SPACED_DATE = re.compile(
    r"(?P<day>[0-3]?\d)\.\s(?P<month>[01]?\d)\.\s(?P<year>(?:19|20)\d\d)"
    r"(?:,?\s+\d{1,2}:\d\d(?:\s*(?i:uhr|h))?)?"
)


_SPACED_DATE_ENDING = re.compile(rf"(?<!\S){_SPACED_DATE.pattern}(?=\.?$)")


def _spaced_date(text: str) -> str | None:
    """The date of a line that is only a date set with spaces after its full stops."""
    match = _SPACED_DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
    except ValueError:
        return None


def _short_date_field(text: str) -> str | None:
    """A line of fields, one of them a date with a two-digit year and the others a few
    words each ('30/10/23 | StarsInsider', 'Jane Doe | 06.11.23')."""
    fields = _FIELD_SEPARATOR.split(text.strip())
    if len(fields) < 2:
        return None
    dates = [(i, _short_date(f)) for i, f in enumerate(fields)]
    dated = [(i, iso) for i, iso in dates if iso is not None]
    if len(dated) != 1:
        return None
    others = [f for i, f in enumerate(fields) if i != dated[0][0]]
    return None if any(len(f.split()) > _FIELD_WORDS for f in others) else dated[0][1]


# Words set in quotation marks ("... und «ganz normalem Deutsch»", 'on "the new normal"'): a
# phrase someone wrote or said, as headlines quote; a byline names people and roles.
_QUOTED = re.compile(r"[«»„“”\"][^«»„“”\"]{2,}[«»“”\"]")


def byline_author(text: str) -> str | None:
    """The author named by a byline such as 'By Jane Doe', 'Written by Jane Doe |
    12 May 2021' or '19.03.2019 11:45 | von Jane Doe', else None."""
    if len(_words(text)) > 16 or _QUOTED.search(text):
        return None
    text = re.sub(r"\*\*|__", "", text).strip()  # "**Author** Jane Doe"
    text = _after_opening_date(text) or text  # a date (and time) before the byline
    match = _BYLINE.match(text)
    if not match:
        # A byline set in a later field of a meta line: "News | By Jane Doe | May 3, 2020".
        fields = _FIELD_SEPARATOR.split(text)
        match = next((m for f in fields[1:] if (m := _BYLINE.match(f.strip()))), None)
        if not match:
            return None
        text = match.string
    name = match.group("name").strip(" ,.")
    found = find_date(name)
    if found is not None:
        name = name[: found[1][0]].strip(" ,.|-–")
    # A month whose day follows the name's words: "By Jane Doe Nov 13, 2019".
    words = name.split()
    if (
        len(words) > 1
        and names_month(words[-1])
        and text[match.end("name") :].lstrip()[:1].isdigit()
    ):
        name = " ".join(words[:-1])
    # The date line run on after the name: "von Jane Doe Veröffentlicht am 1. Mai 2019",
    # "By Jane Doe Updated Nov 13, 2019".
    lead = _PUBLISHED.search(name) or _UPDATED.search(name)
    if lead is not None:
        name = name[: lead.start()].strip(" ,.|-–")
    name = re.sub(r"(?<=[^\W\d_])\d{1,2}\.$", "", name)  # a day run on: "Jane Doe28."
    name = re.sub(r"(?<=[a-z])[A-Z]{2,}\w*$", "", name)  # a house run on: "Jane DoeFOXNews"
    return name or None


_YEAR_FIELD = re.compile(r"(?:19|20)\d\d")  # a year alone


def byline_when(text: str) -> str | None:
    """The year a byline gives as a field of its own ('By Jane Doe | 2020 | 5 min read'),
    where it gives no fuller date; or the date set with spaces after its full stops that
    ends it ('Von Jane Doe 4. 2. 2022.'), which in a sentence may be a list of days."""
    fields = _FIELD_SEPARATOR.split(text.strip())
    year = next((f for f in fields[1:] if _YEAR_FIELD.fullmatch(f.strip())), None)
    ending = _SPACED_DATE_ENDING.search(text.strip())
    if ending is None or _RANGE_BEFORE.search(text.strip()[: ending.start()]):
        return year
    return _spaced_date(ending.group(0))


# What joins the first day of a range to the date that ends it ("26. und 27. 2. 2015").
_RANGE_BEFORE = re.compile(r"(?:\d\.?|\b(?:und|and|bis|to|et|y)|[-–&])\s*$", re.IGNORECASE)


def dated_name(text: str) -> str | None:
    """The name after a date and time that open a line ('19.6.2007 9:40 Uhr Jane Doe
    71 Kommentare'; not the next field's first word: '... Jane Doe Schreibe einen
    Kommentar'), or before a date it is set off from or run into ('Jane Doe, 01. Dez.
    2017, 12:01 Uhr', 'Jane Doe19.10.2019'), when the line names one."""
    rest = _after_opening_date(text)
    if rest is None:
        found = find_date(text)
        if found is None:
            # A date with a two-digit year in the field after the name ("Jane Doe |
            # 06.11.23"), which a full date's reading does not take for one.
            fields = _FIELD_SEPARATOR.split(text.strip())
            name = fields[0]
            short = len(fields) > 1 and _short_date(fields[1].strip()) is not None
            return name if short and person_name(name) else None
        if found[1][0] == 0:
            return None
        head = text[: found[1][0]].rstrip()
        # "Jane Doe, 1 May 2019", "Jane Doe | 1.5.2019", "Jane Doe / 16.11.2018, 03:00 Uhr"
        name = head.rstrip(f" ,|/{_DOTS}–-")
        run_into = head == text[: found[1][0]] and head[-1:].isalpha()
        return name if (name != head or run_into) and person_name(name) else None
    words = rest.split()
    for count in (3, 2, 1):  # the most words that read as a name
        name = " ".join(words[:count])
        after = words[count] if len(words) > count else ""
        # A third capitalised word before one in lower case opens a phrase of its own.
        opens_phrase = count == 3 and after[:1].islower()
        if (
            len(words) >= count
            and re.fullmatch(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*", name)
            and not opens_phrase
            and person_name(name)
        ):
            return name
    return None


# The words that name what a credit is for (`_CREDIT`'s "noun": "Photo", "Image") are a
# credit's label where they open it, or stand before a colon, slash or "by" ("Photo by
# Jane Doe"); elsewhere a headline's noun ("... Is Looking Stunning In New Photos").
_LABELLED = re.compile(r"\s*(?:[:/|]|(?:by|von|par|credit|courtesy)\b)", re.IGNORECASE)


def _credit_label(text: str, found: re.Match[str]) -> bool:
    if found.group("noun") is None:
        return True  # an agency, a stock library, "credit", a copyright sign
    before = text[: found.start()]
    opens = not before.strip(" ([")
    # "... /ABACA/picture-alliance": a picture agency's name in a credit's path.
    return opens or bool(_LABELLED.match(text, found.end())) or before.endswith(("(", "/"))


def is_credit(text: str) -> bool:
    """An image credit or caption source line: 'Photo: Getty Images', 'istock/...'."""
    found = next((m for m in _CREDIT.finditer(text) if _credit_label(text, m)), None)
    if found is None or len(_words(text)) > 15 or text.rstrip().endswith("?"):
        return False
    # A sentence that mentions a photo is not a credit; a credit may end in a full stop
    # when it opens with what it credits ("Photo: Jane Doe.").
    return not text.rstrip().endswith((".", "!")) or len(_words(text[: found.start()])) <= 1


# "21 minutes - 4312 words", "Lesezeit: 3 Minuten", "5 min"
_LENGTH_NOTE = re.compile(
    r"^[\w ]{0,12}:?\s*\d+\s*(?:min(?:ute)?s?|minuten|words|wörter)\b"
    r"(?:\s*[-–|·]\s*\d+\s*\w+)?\W*$",
    re.IGNORECASE,
)


# "1 hour ago", "Updated 39 mins ago", "vor 3 Stunden": when a page was posted, said
# relative to when it was viewed.
_AGO = re.compile(
    r"^(?:(?:posted|updated|published|last updated)\s*:?\s*)?(?:(?:\d+|an?|one)\s*"
    r"(?:secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|months?|years?)"
    r"\s+ago|vor\s+(?:\d+|einer?)\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?))\W*$",
    re.IGNORECASE,
)


def is_relative_time(text: str) -> bool:
    """A line that says only how long ago something was posted: '1 hour ago'."""
    return bool(_AGO.match(text.strip()))


# When a post of a discussion was written, at a line's end, after the author's role
# where the line gives one: "replied 3 days ago", "Head of Research, Acme replied 2 days
# ago", "Posted 4 March 2024", "kommentierte am 3. Mai 2021".
_POSTED = re.compile(
    r"^(?P<role>.*?)\s*\b(?:replied|posted|commented|wrote|answered|antwortete|schrieb|"
    r"kommentierte)(?:\s+(?:on|at|am|um))?\s+(?P<when>.+)$",
    re.IGNORECASE,
)
_WHEN_AGO = re.compile(
    r"^(?:(?:\d+|an?|one)\s*(?:mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago"
    r"|yesterday|today|vor\s+(?:\d+|einer?)\s+\w+)\W*$",
    re.IGNORECASE,
)


def posted_role(text: str) -> str | None:
    """The author's role a line of a post's header gives before when the post was
    written ("Head of Research, Acme replied 2 days ago" -> "Head of Research, Acme";
    "replied 3 days ago" -> ""), or None where the line does not end so."""
    match = _POSTED.match(text.strip())
    if match is None or len(match["role"].split()) > _ROLE_WORDS:
        return None
    when = match["when"].strip()
    if not (_WHEN_AGO.match(when) or date_line(when)):
        return None
    return match["role"].strip(" ,·|-–—")


_ROLE_WORDS = 12  # words of an author's role (before when a post was written, or a line)
# A line that ends as a sentence does (a closing mark or bracket may follow the stop).
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’)\]*_]*$")


def post_header(lines: Sequence[str], i: int) -> tuple[int, str] | None:
    """Where the header of a discussion's post that starts at line `i` ends, and who
    wrote the post ("Jane Doe, Head of Research, Acme"): the author's name alone, perhaps
    the author's role, then when the post was written ("replied 3 days ago", "Posted 4
    March 2024"), the role and the time on one line or two, with no blank line between."""
    name = lines[i].strip()
    if not person_name(name):
        return None
    for end in (i + 1, i + 2):
        if end >= len(lines) or not lines[end].strip():
            return None
        said = posted_role(lines[end])
        if said is not None:
            role = lines[i + 1].strip() if end == i + 2 else ""
            return end, ", ".join(part for part in (name, role, said) if part)
        if len(lines[end].split()) > _ROLE_WORDS or _ENDS_SENTENCE.search(lines[end].rstrip()):
            return None
    return None


def post_headers(
    lines: Sequence[str], starts: Iterable[int] | None = None
) -> dict[int, tuple[int, str]]:
    """A discussion's post headers, by the line each starts at (among `starts`, every
    line if None): where it ends and who wrote the post; none where the lines hold fewer
    than two, since one such header alone is an article's byline."""
    at = range(len(lines)) if starts is None else starts
    found = {i: header for i in at if (header := post_header(lines, i)) is not None}
    return found if len(found) >= 2 else {}


def is_read_time(text: str) -> bool:
    """A reading-time or length note: '5 min read', '21 minutes - 4312 words'."""
    text = text.strip()
    return len(_words(text)) <= 6 and bool(_READ_TIME.search(text) or _LENGTH_NOTE.match(text))


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def is_contact(text: str) -> bool:
    """Contact details: a short line with an e-mail address that is not a sentence
    ('Jane Doe, 1 High St., Leeds, E-Mail: jane@example.com'); a sentence ends in its
    own punctuation, not in the address."""
    text = text.strip()
    if len(_words(text)) > 20 or _EMAIL.search(text) is None:
        return False
    last = text.split()[-1]
    return not text.endswith((".", "!", "?")) or _EMAIL.fullmatch(last.rstrip(".")) is not None


def copyright_owner(text: str) -> str | None:
    """'© 2023 Acme Media Ltd. All rights reserved.' -> 'Acme Media Ltd'."""
    if len(_words(text)) > 20:
        return None
    match = _COPYRIGHT.search(text)
    if not match:
        return None
    owner = match.group("owner").strip(" .,-")
    if not owner or owner.lower().startswith(("all rights", "copyright")):
        return None
    return owner


_COPYRIGHT_YEARS = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?P<years>(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)", re.I
)


def copyright_year(text: str) -> int | None:
    """The last year of a short copyright line ('© 2019 Acme. All rights reserved' ->
    2019, '© 2009–2019 Acme' -> 2019), else None."""
    if len(_words(text)) > 20:
        return None
    match = _COPYRIGHT_YEARS.search(text)
    return int(re.findall(r"\d{4}", match["years"])[-1]) if match else None


def yearless_date(text: str) -> tuple[int, int] | None:
    """The month and day of a short line that is a date without its year, as sites show
    a date of the current year ('Posted Nov 19, 6:51 AM', 'Updated 17 June'), else None."""
    if len(_words(text)) > 12 or find_date(text) is not None:
        return None
    for form in _DAY_MONTH_ANYWHERE:
        match = form.search(text)
        if match is None:
            continue
        rest = text[: match.start()] + " " + text[match.end() :]
        words = re.findall(r"[A-Za-z]{2,}", rest)
        letters = [w for w in words if w.lower() not in {"am", "pm"} and not names_month(w)]
        month = _MONTHS.get(match["month"].lower().rstrip("."))
        if month is not None and len(letters) <= _YEARLESS_WORDS:
            return month, int(match["day"])
    return None


_CITED = re.compile(r"\s*\((?:(?P<who>[^()\d]{2,80}?),\s*)?(?P<when>[^(),]{4,20})\)\s*$")


def cited_source(text: str) -> tuple[str, str | None, str] | None:
    """A title that cites its source the way a reference does: 'How CIOs and CX leaders
    work together (MyCustomer, February 2023)' -> ('How CIOs ... together', 'MyCustomer',
    '2023-02'); 'A survey on CX ownership (2018)' -> (..., None, '2018'). None when the
    brackets hold something else ('(and why)', '(Part 2)')."""
    match = _CITED.search(text)
    if not match or match.start() == 0:
        return None
    when = match.group("when").strip()
    if _YEAR_FIELD.fullmatch(when):
        date = when
    else:
        found = find_date(when)
        if found is None or found[1] != (0, len(when)):
            return None
        date = found[0]
    who = (match.group("who") or "").strip() or None
    if who is not None and (not who[0].isupper() or len(who.split()) > 8):
        return None
    return text[: match.start()].rstrip(), who, date


_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]{2,40},\s+(?P<rest>.{6,40}?)\s+[—–-]{1,2}\s"
    # a place in any case with the date in brackets: "Karlsruhe, (12.11.2021). Text"
    r"|^[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){0,2},?\s+\((?P<bracketed>[^()]{6,40})\)[.:]?\s"
)


def dateline_date(text: str) -> str | None:
    """The date of a news release's dateline ("MANCHESTER, 15 June 2022 — Companies
    ...", "Karlsruhe, (12.11.2021). Traditionell ...")."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    rest = match["rest"] or match["bracketed"]
    found = find_date(rest)
    return found[0] if found and found[1] == (0, len(rest)) else None


def person_name(text: str) -> bool:
    """A line that is only a person's name: two to four capitalised words, none ending
    in a full stop but an initial ('J.'), not a line in capitals ('LES TEMPS QUI')."""
    words = _words(text)
    return (
        bool(re.fullmatch(rf"{_NAME}", text.strip()))
        and 2 <= len(words) <= 4
        and all(len(w) <= 2 or not w.endswith(".") for w in words)
        and not (len(words) > 2 and text.isupper())
    )


# The action line under a comment: "Reply", "Like · Reply · 14 reactions", "Reply • Share".
_REPLY_LINE = re.compile(r"^[^.!?]{0,40}\breply\b[^.!?]{0,40}$", re.IGNORECASE)


def is_reply_line(text: str) -> bool:
    """The action line under a comment ("Like · 21 | Reply · 1 reply")."""
    return bool(_REPLY_LINE.match(text.strip()))


# A header field of an e-mail or memo pasted as text: "Subject: ...", "From: Jane Doe <jd@x>".
_MAIL_FIELD = re.compile(r"^(from|to|cc|subject|date|sent)\s*:\s*(\S.*)$", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|wg)\s*:\s*)+", re.IGNORECASE)
_MAIL_HEAD = 10  # lines at the top of a text where its header fields stand


def mail_header(lines: Iterable[str]) -> tuple[str, str | None] | None:
    """The subject and the sender's name of a text that opens with an e-mail's or memo's
    header fields (a subject and a sender or recipient; or, for a memo headed by its
    title, a sender and a recipient or date: the subject is then ''), else None. The
    sender is named without the role a memo gives after the name ("From: Jane Doe, Chief
    of Staff")."""
    fields: dict[str, str] = {}
    for line in itertools.islice(lines, _MAIL_HEAD):
        match = _MAIL_FIELD.match(line.strip())
        if match:
            fields.setdefault(match[1].lower(), match[2].strip())
    subject = _REPLY_PREFIX.sub("", fields.get("subject", "")).strip()
    memo = "from" in fields and bool({"to", "date", "sent"} & fields.keys())
    if not (memo or (subject and {"from", "to"} & fields.keys())):
        return None
    sender = fields.get("from", "").split("<")[0].strip().strip("\"'")
    name = sender.split(",")[0].strip()
    return subject, name if person_name(name) else None


# A date said to be the publication's: "Published 18 June 2024", "Veröffentlicht am ...".
_PUBLISHED = re.compile(
    r"\b(?:published|posted|first published|veröffentlicht|publiziert|erschienen|publié|publicado|"
    r"pubblicato|gepubliceerd)\b",
    re.IGNORECASE,
)


# A date said to be when the page last changed: "Updated Nov 13, 2019".
_UPDATED = re.compile(
    r"\b(?:updated|last updated|aktualisiert|mis à jour|actualizado|aggiornato|bijgewerkt)\b",
    re.IGNORECASE,
)


def published_date(text: str) -> str | None:
    """The date of a short date line that says it is the publication date, else None."""
    when = date_line(text)
    return when if when and _PUBLISHED.search(text) else None
