"""Removes personal details from a pupil's message before it reaches Rasa, a log or a file.

    redact(text) -> text with each detail replaced by a placeholder such as "[name]"

Replaced: email addresses, IP addresses, links and @handles, card and gift-card numbers, phone
numbers (UK and international, found with Google's libphonenumber port), UK postcodes, dates of
birth, street addresses, school names, handles written without "@" ("my snap is kayla.x", "add
me on insta jessxo"), names after "my name is", "I'm called", "his name is", "a girl called",
and capitalised first name + surname pairs ("Jake Thompson", "Mr Evans").

Names are told from everyday words with word lists from well-kept packages, not guesses:
first names from gender-guesser's 40,000-name dictionary (Great Britain, Ireland, India, Arabia,
...), surnames from zxcvbn's census list, and how common an English word is from wordfreq.
The assistant needs none of these details to help, and a stored conversation must identify
neither the pupil nor anyone they name. tests/web/redaction_recall.py measures what it catches.
"""
from __future__ import annotations

import functools
import ipaddress
import re

import phonenumbers

EMAIL = "[email]"
USERNAME = "[username]"
CARD = "[card number]"
CODE = "[code]"
PHONE = "[phone number]"
POSTCODE = "[postcode]"
IP_ADDRESS = "[IP address]"
DATE_OF_BIRTH = "[date of birth]"
ADDRESS = "[address]"
SCHOOL = "[school]"
NAME = "[name]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# Links carry usernames (instagram.com/name, snapchat.com/add/name); any web address goes.
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|co\.uk|org|net|me|gg|app|io|tv)/\S+", re.I)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,30}", re.UNICODE)
# 13 to 19 digits, maybe in groups: payment cards. Checked before phone numbers.
_CARD = re.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)")
# Gift-card and voucher codes: letter-and-digit groups such as X4J9-K2LM-88QT-7PZ1.
_CODE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{4,}(?:-[A-Z0-9]{3,}){2,}\b", re.I)
# Anything else shaped like a phone number: 10 or more digits, maybe with +, spaces, dashes, brackets.
_PHONE_SHAPE = re.compile(r"(?<!\w)\+?\(?\d(?:[ ()-]{0,2}\d){9,14}(?!\d)")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.I)
# Candidates only: ipaddress decides whether each one is an address.
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", re.I)

# --- dates of birth ------------------------------------------------------------------------
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_NUMERIC_DATE = r"[0-3]?\d[/.-][01]?\d[/.-](?:\d{4}|\d{2})"
_DATE = (rf"(?:{_NUMERIC_DATE}|{_DAY}\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+\d{{4}})?|"
         rf"{_MONTH}\.?\s+{_DAY}(?:,?\s+\d{{4}})?|(?:19|20)\d\d)")
_BIRTH_CUE = (r"\b(?:born(?:\s+(?:on|in))?|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|"
              r"(?:my|his|her)?\s*(?:birthday|bday|b-day)(?:\s+(?:is|was|on))?)")
_DATE_OF_BIRTH = re.compile(rf"{_BIRTH_CUE}\s*[:=-]?\s*{_DATE}\b", re.I)
# A full date long enough ago to be a pupil's birth date, said without a cue ("12/03/2010").
_FULL_DATE = re.compile(rf"(?<![\d/.-])(?:[0-3]?\d[/.-][01]?\d[/.-](?P<y1>\d{{4}})|"
                        rf"{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+(?P<y2>\d{{4}})|"
                        rf"{_MONTH}\.?\s+{_DAY},?\s+(?P<y3>\d{{4}}))(?![\d/.-])", re.I)
BIRTH_YEARS = range(1940, 2021)   # someone born in these years is at least 5 today

# --- street addresses ----------------------------------------------------------------------
_STREET = (r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|court|ct|"
           r"place|pl|gardens|gdns|terrace|grove|park|hill|row|walk|square|sq|mews|view|rise|"
           r"green|parade|boulevard|heol|ffordd|stryd|lon)")
# Words that never make up a street's name (so "50 on the way" is no address).
_NOT_STREET = (r"(?:on|the|to|by|in|at|a|an|my|his|her|their|our|your|and|or|of|for|from|with|"
               r"all|me|him|them|it|that|this|is|was|be|quid|pounds?|mins?|minutes?|hours?|days?)")
_STREET_WORD = rf"(?!{_NOT_STREET}\b)[a-z][a-z'’-]*"
_ADDRESS_NUMBERED = re.compile(rf"\b(?:flat\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:{_STREET_WORD}\s+){{1,3}}"
                               rf"{_STREET}\b\.?", re.I)
_ADDRESS_CUED = re.compile(rf"\b(?P<cue>(?:live|lives|living|stay|stays|staying|house\s+is|home\s+is)\s+"
                           rf"(?:on|at|in|near)\s+)(?P<address>(?:{_STREET_WORD}\s+){{1,3}}{_STREET})\b", re.I)
_ADDRESS_NAMED = re.compile(r"\b(?:[A-Z][a-z'’-]+\s+){1,3}(?:Road|Street|Avenue|Lane|Close|Drive|Crescent|"
                            r"Terrace|Gardens|Grove|Mews)\b|\b(?:Heol|Ffordd|Stryd|Lôn|Lon)(?:\s+(?:y|yr|'r))?"
                            r"(?:\s+[A-Z][\w'’-]+){1,2}")

# --- schools ------------------------------------------------------------------------------
_SCHOOL_KIND = (r"(?:high\s+school|secondary\s+school|primary\s+school|grammar\s+school|school|academy|"
                r"college|comprehensive|high)")
_SCHOOL_NAMED = re.compile(r"\b(?:(?:St\.?|Saint)\s+)?(?:[A-Z][\w'’.-]*\s+){1,4}"
                           r"(?:High School|Secondary School|Primary School|Grammar School|School|Academy|"
                           r"College|Comprehensive|High)\b|\bYsgol(?:\s+[A-Z][\w'’-]*){1,3}")
_SCHOOL_CUED = re.compile(rf"\b(?P<cue>(?:go|goes|going|went)\s+to\s+|attends?\s+|pupil\s+at\s+|year\s+\d+\s+at\s+)"
                          rf"(?P<school>(?:(?!(?:my|his|her|the|a|your|ur|our|their|same|this|that|whole|every|entire|new|old|big|"
                          rf"another|other|a|school)\b)[a-z][\w'’.-]*\s+){{1,3}}{_SCHOOL_KIND})\b", re.I)

# --- handles written without "@" -----------------------------------------------------------
_PLATFORM = (r"(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|discord|kik|twitter|telegram|roblox|"
             r"xbox|psn|gamertag|fortnite|facebook|fb|threads|twitch|youtube|yt|reddit|wizz|yubo|"
             r"user\s*name|handle)")
_HANDLE_CUED = re.compile(rf"(?P<cue>\b{_PLATFORM}\b(?:\s+(?:name|username|handle|account|id|tag))?"
                          rf"(?:(?:\s+(?:is|was))?(?:\s+(?:called|named|it'?s|its))?|'s|’s)(?:\s*[:=-]\s*|\s+))"
                          rf"(?P<handle>[a-z0-9][\w.]{{1,29}})", re.I)

# A word shaped like a username wherever it stands: "dave_k22", "kayla.x", "benjy99".
_HANDLE_SHAPED = re.compile(r"(?<![\w@.\[/£$])[a-z0-9]+(?:[._][a-z0-9]+)*(?![\w@]|\.\w)", re.I)
_NOT_HANDLES = re.compile(r"(?:year|yr|gcse|a-?level|ks|ps|mp|covid|u)\d+", re.I)

# --- names --------------------------------------------------------------------------------
_NAME_CUE = re.compile(
    r"\b(?:(?:my|his|her|their|the\s+\w+'?s|this\s+\w+'?s)\s+(?:real\s+|full\s+|first\s+|last\s+|sur)?name\s*"
    r"(?:is|was|'s|’s|=|:)|i'?m\s+called|i\s+am\s+called|(?:he|she|they)(?:'s|’s|\s+is|\s+are|s)?\s+called|"
    r"(?:a|this|some|the)\s+(?:guy|girl|boy|man|woman|lad|kid|person|account|bloke|teacher|friend|mate)\s+(?:called|named)|"
    r"(?:called|named)|call(?:s)?\s+(?:me|him|her|himself|herself)|goes\s+by|i'?m|i\s+am|it'?s|this\s+is)\s+",
    re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir)\.?\s+[A-Z][a-z'’-]+(?:[- ][A-Z][a-z'’-]+)?")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z'’]+(?:[- ][A-Z][a-z'’]+)+\b")
_LOWER_PAIR = re.compile(r"\b[a-z]{2,}\s+[a-z]{2,}\b")
_LONE_CAPITALISED = re.compile(r"(?<!\bthe )\b[A-Z][a-z]{2,}\b")
# Words that are never a name in these places, whatever the name lists say ("I'm not",
# "called me", "it's Dave" keeps "it's").
FUNCTION_WORDS = frozenset("""
    a an the and or but so if then than not no yes my me mine his him her hers their them they he she it its
    i im i'm is am are was were be been being do does did done have has had to too of in on at by for from with
    about as into onto up down out off over under again just really very only also still even all any some
    this that these those there here what who whom whose which when where why how because like well kinda
    sorta gonna wanna gotta ok okay lol lmao omg pls please thanks thank sorry hi hey hello bye yeah yep nah
    nope u ur ya you your yours we us our ours one two three going being getting scared worried afraid sure
    fine good bad sad happy 13 14 15 16 17 18 year years old age new over under years
    """.split())
# A word this common in English (wordfreq's Zipf scale: 5 is once in 100,000 words) is read as a word,
# not as a name, unless a surname follows it ("May Smith").
COMMON = 5.0
RARE = 3.0
# A capitalised first name on its own ("Tyler said"): a name when rarer than this as a word.
LONE_NAME = 4.5


@functools.cache
def _first_names() -> frozenset[str]:
    from gender_guesser.detector import Detector
    names = Detector(case_sensitive=False).names
    return frozenset(n for n in names if "+" not in n and "-" not in n and len(n) > 1)


@functools.cache
def _surnames() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["surnames"])


@functools.cache
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency
    return zipf_frequency(word, "en")


def _is_first_name(word: str) -> bool:
    lower = word.lower()
    return lower not in FUNCTION_WORDS and lower in _first_names() and _zipf(lower) < COMMON


def _is_surname(word: str) -> bool:
    lower = word.lower()
    return lower not in FUNCTION_WORDS and (lower in _surnames() or _zipf(lower) < RARE)


def _looks_like_a_name(word: str) -> bool:
    """A word after "my name is" and the like: a name unless it is an everyday word."""
    lower = word.lower().strip("'’")
    if lower in FUNCTION_WORDS or not lower:
        return False
    return word[0].isupper() or _is_first_name(word) or _zipf(lower) < RARE


# --- schools from schools.yml -------------------------------------------------------------
_extra_school_names: set[str] = set()


def add_school_names(names) -> None:
    """Schools the app serves (web/relay.py adds those of its schools file)."""
    _extra_school_names.update(n for n in names if isinstance(n, str) and n.strip())
    _school_pattern.cache_clear()


def _names_of_schools_file() -> set[str]:
    """The schools in schools.yml (content/schools.py finds it), for a caller without the app."""
    from content.files import ContentError
    from content.schools import load_schools
    try:
        schools = load_schools()
    except (ContentError, OSError):
        return set()
    return {school.get("name") for school in schools.values() if school.get("name")}


@functools.cache
def _school_pattern() -> re.Pattern | None:
    names = set()
    for name in _names_of_schools_file() | _extra_school_names:
        names.add(name.strip())
        names.add(re.sub(r"\s*\([^)]*\)", "", name).strip())   # "Ysgol Enghraifft (demo school)"
    names = sorted((n for n in names if len(n) > 3), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")\b", re.I)


# --- the passes ---------------------------------------------------------------------------
def _ip_addresses(text: str) -> str:
    def replace(match: re.Match) -> str:
        try:
            ipaddress.ip_address(match.group(0))
        except ValueError:
            return match.group(0)
        return IP_ADDRESS
    return _IPV6.sub(replace, _IPV4.sub(replace, text))


def _phone_numbers(text: str) -> str:
    matches = list(phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID))
    for match in reversed(matches):   # from the end, so earlier offsets stay right
        text = text[:match.start] + PHONE + text[match.end:]
    return _PHONE_SHAPE.sub(PHONE, text)


def _dates_of_birth(text: str) -> str:
    text = _DATE_OF_BIRTH.sub(DATE_OF_BIRTH, text)

    def replace(match: re.Match) -> str:
        year = int(next(y for y in match.group("y1", "y2", "y3") if y))
        return DATE_OF_BIRTH if year in BIRTH_YEARS else match.group(0)
    return _FULL_DATE.sub(replace, text)


def _addresses(text: str) -> str:
    text = _ADDRESS_NUMBERED.sub(ADDRESS, text)
    text = _ADDRESS_CUED.sub(lambda m: m.group("cue") + ADDRESS, text)
    return _ADDRESS_NAMED.sub(ADDRESS, text)


def _schools(text: str) -> str:
    known = _school_pattern()
    if known is not None:
        text = known.sub(SCHOOL, text)
    text = _SCHOOL_NAMED.sub(lambda m: m.group(0) if _everyday_school_words(m.group(0)) else SCHOOL, text)
    return _SCHOOL_CUED.sub(lambda m: m.group("cue") + SCHOOL, text)


def _everyday_school_words(found: str) -> bool:
    """"The School", "My High": a capital at the start of a sentence, not a school's name."""
    words = found.split()
    return all(w.lower() in FUNCTION_WORDS or w.lower() in {"school", "high", "college", "academy"} for w in words[:-1])


def _handles(text: str) -> str:
    def replace(match: re.Match) -> str:
        handle = match.group("handle")
        lower = handle.lower()
        # Letters only: a handle when no English word list knows it ("jessxo"), or a first name.
        handle_like = any(c.isdigit() or c in "._" for c in handle) or _zipf(lower.rstrip(".")) == 0 \
            or _is_first_name(handle)
        if lower in FUNCTION_WORDS or not handle_like:
            return match.group(0)
        return match.group("cue") + USERNAME + (handle[len(handle.rstrip(".")):])
    return _HANDLE_CUED.sub(replace, text)


def _handle_shaped(text: str) -> str:
    """Usernames written on their own ("his is dave_k22"): an underscore, letters with two or more
    digits, or words joined by a dot that are not two everyday words ("kayla.x", not "paid.he")."""
    def replace(match: re.Match) -> str:
        token = match.group(0)
        letters = sum(c.isalpha() for c in token)
        digits = sum(c.isdigit() for c in token)
        if letters == 0 or _NOT_HANDLES.fullmatch(token):
            return token
        if "_" in token or (letters >= 2 and digits >= 2 and len(token) >= 5):
            return USERNAME
        parts = token.split(".")
        if len(parts) > 1 and any(len(p) > 1 for p in parts) and \
                not all(p.lower() in FUNCTION_WORDS or _zipf(p.lower()) >= RARE for p in parts if p):
            return USERNAME
        return token
    return _HANDLE_SHAPED.sub(replace, text)


def _names_after_cues(text: str) -> str:
    out, position = [], 0
    for cue in _NAME_CUE.finditer(text):
        if cue.start() < position:
            continue
        words, end = [], cue.end()
        for word in _WORD.finditer(text, cue.end()):
            gap = text[end:word.start()]
            if words and gap.strip():   # only names straight after each other
                break
            if word.start() != end and not gap.isspace():
                break
            candidate = word.group(0)
            strong_cue = not re.fullmatch(r"(?:i'?m|i\s+am|it'?s|this\s+is)\s+", cue.group(0), re.I)
            if not words:
                is_name = _looks_like_a_name(candidate) if strong_cue else \
                    (candidate[0].isupper() and _is_first_name(candidate))
            else:
                lower = candidate.lower()
                is_name = lower not in FUNCTION_WORDS and (
                    candidate[0].isupper() or (lower in _surnames() and _zipf(lower) < 4.5))
            if not is_name or len(words) == 3:
                break
            words.append(word)
            end = word.end()
        if words:
            out.append(text[position:words[0].start()] + NAME)
            position = words[-1].end()
    out.append(text[position:])
    return "".join(out)


def _name_pairs(text: str) -> str:
    text = _TITLED.sub(NAME, text)

    def capitalised(match: re.Match) -> str:
        words = re.split(r"([- ])", match.group(0))
        names = words[::2]
        # Replace from the first first-name followed by a surname-like word.
        for i in range(len(names) - 1):
            if _is_first_name(names[i]) or (names[i].lower() in _first_names() and _is_surname(names[i + 1])):
                if _is_surname(names[i + 1]) or _zipf(names[i + 1].lower()) < 4.0:
                    return "".join(words[:2 * i]) + NAME
        return match.group(0)
    text = _CAPITALISED_RUN.sub(capitalised, text)

    def lower_pair(match: re.Match) -> str:
        first, last = match.group(0).split()
        if _is_first_name(first) and _zipf(first) < 4.5 and last in _surnames() and _zipf(last) < 4.5:
            return NAME
        return match.group(0)
    text = _LOWER_PAIR.sub(lower_pair, text)

    def lone(match: re.Match) -> str:
        word = match.group(0)
        return NAME if _is_first_name(word) and _zipf(word.lower()) < LONE_NAME else word
    return _LONE_CAPITALISED.sub(lone, text)


def redact(text: str) -> str:
    """The message with every personal detail the passes find replaced by a placeholder."""
    text = _EMAIL.sub(EMAIL, text)
    text = _URL.sub(USERNAME, text)
    text = _ip_addresses(text)
    text = _HANDLE.sub(USERNAME, text)
    text = _CARD.sub(CARD, text)
    text = _CODE.sub(CODE, text)
    text = _dates_of_birth(text)
    text = _phone_numbers(text)
    text = _POSTCODE.sub(POSTCODE, text)
    text = _addresses(text)
    text = _schools(text)
    text = _handles(text)
    text = _handle_shaped(text)
    text = _names_after_cues(text)
    return _name_pairs(text)
