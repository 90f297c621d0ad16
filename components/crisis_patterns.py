"""Unmistakable crisis phrasing, as regular expressions a reviewer can read.

This is the floor under the trained crisis detector (components/crisis_model.py): if a
message matches, it is treated as a crisis whatever the detector or classifier thought. Patterns are written to catch
first-person risk ("i want to kill myself", "kms") and not everyday hyperbole ("this
lesson is killing me", "i'm dead lol"); tests/benchmarks/assistant.py measures both.
Standard library only, so the web relay and the tests can use it too.
"""
from __future__ import annotations

import re

SELF_HARM_RISK = "self_harm_risk"
IMMEDIATE_DANGER = "immediate_danger"

_ME = r"(my ?self|meself|myslef|mysef|myself)"
# "Suicide" in everyday senses: the film, the car doors, the PE drill.
_SUICIDE_NOT_CRISIS = r"(?:squad|doors?|sprints?|runs?|drills?|shuttles?)"
# "Doing suicides" at training is the drill itself (a fixed-width look-behind for each verb).
_DRILL_VERBS = ("do", "did", "doing", "done", "run", "ran", "running")
_SUICIDES_DRILL = "".join(f"(?<!{verb} suicides)" for verb in _DRILL_VERBS)
# "Overdosed" alone, or on a medicine, a drug, drink or an unnamed "something", is an overdose;
# overdosed on anything else (sweets, pudding, a series, revision) is an everyday idiom. A list
# of what IS taken, not of the endless things pupils joke about overdosing on.
_TAKEN = (r"(?:pills?|tablets?|paracetamol|ibuprofen|aspirin|painkillers?|pain\s+killers?|meds|medicines?|medications?"
          r"|sleeping\s+\w+|anti-?depressants?|sertraline|fluoxetine|codeine|co-?codamol|insulin|drugs|alcohol|vodka"
          r"|something|stuff|it|them|everything)")
_ON_TAKEN = rf"\s+on\s+(?:[\w']+\s+){{0,3}}?{_TAKEN}\b"
# Who takes, does or plans an overdose: "took an overdose", "gonna overdose", "i'll overdose".
_TAKE_AN = (r"(?:(?:an?|another|to|gonna|wanna|i|i'?ll|i'?d|i'?ve|i'?m|will|would|might|could|should|just|"
            r"take|took|taken|taking|do|did|done|doing|had|have|plan|planning|try|tried|trying)(?:\s+an?)?)")
# Whom a pupil "ends it with" in a break-up: a person, never a method ("end it with pills").
_PARTNER = (r"(?:him|her|them|(?:my|his|her|your|our)\s+(?:boyfriend|girlfriend|bf|gf|partner|ex|man|girl|"
            r"fella|lad|mate|friend|best\s+mate|bestie|best\s+friend))")

# Each entry: (name a reviewer can read, pattern). Matching is case-insensitive.
SELF_HARM_PATTERNS: list[tuple[str, str]] = [
    ("harm myself", rf"\b(kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging|off|offing|unalive|unaliving|end|ending|stab|stabbing|burn|burning)\s*{_ME}\b"),
    ("kms", r"\bkms\b|\bk\.m\.s\b"),
    ("unalive", r"\bunalive\b"),
    ("suicide", rf"\bsu[i1]c[i1]d\w*\b(?!\s+{_SUICIDE_NOT_CRISIS}\b){_SUICIDES_DRILL}"),
    ("self-harm", r"\bself[\s-]?harm"),
    # Thoughts with a method (C-SSRS): planning how they would do it, in the first person.
    ("planning how", r"\bplan\w*\s+(out\s+)?how\s+(i'?d|i\s+would|i'?ll|i\s+will|i'?m\s+going\s+to|im\s+gonna)\s+do\s+it\b"),
    # "about to die" and "going to die" are left to the detector: phones and embarrassment die too.
    ("want to die", rf"\b(want|wanna|wants|wanted|ready|plan(ning)?|trying)\s+(to\s+)?(die|be dead|end it all|end my life|end it\b(?!\s+with\s+{_PARTNER}))(?!\s+(of|laughing|from|for))"),
    # "I'd rather die than ..." is the commonest hyperbole there is; what follows "than" decides
    # (the blazer for prom, or the family seeing the pictures), which the trained detector reads.
    ("rather die", r"\b(rather|sooner|prefer to)\s+(be\s+)?(die|dead)\b(?!\s+than\b)"),
    ("end my life", r"\b(end|ending|take|taking)\s+(my|me)\s+(own\s+)?life\b|\bend(ing)? it all\b"),
    ("not want to live", r"\b(don'?t|dont|do not|doesn'?t)\s+want\s+to\s+(live|be alive|exist|wake up|be here any ?more)\b"),
    ("no point living", r"\bno\s+(point|reason)\s+(in\s+)?(living|being alive|to live|going on|carrying on|to go on)\b"),
    ("better off without me", r"\bbetter\s+off\s+(dead|without\s+me)\b"),
    ("wish I was dead", r"\bwish\s+i\s+(was|were)\s+(dead|never born)\b|\bwish\s+i\s+(wasn'?t|was\s*n'?t)\s+(alive|born|here)\b"),
    ("can't go on", r"\bcan'?t\s+(go|carry)\s+on\b|\bcan'?t\s+live\s+(with|like)\s+(this|it)\b"),
    # The noun after another noun is an idiom ("a netflix overdose", "sugar overdose"); as a
    # verb, or what someone takes or does, it is an overdose, unless what it is "on" is not
    # something taken ("gonna overdose on chocolate"). Taking tablets is only a crisis
    # with "all" or a quantity: "my mum has to take tablets" is not.
    ("overdose", rf"\boverdos(ed|ing)\b(?!\s+on\b)|\b{_TAKE_AN}\s+overdose\b(?!\s+on\b)|\boverdos(e|ed|ing){_ON_TAKEN}"
                 r"|\btake\s+(all|every\s+one\s+of|the\s+whole|loads\s+of|a\s+load\s+of|a\s+bunch\s+of)\s+(of\s+)?(the\s+|my\s+)?([\w']+?'?s\s+)?(pills|tablets)\b"
                 r"|\b(took|taken|swallowed|had)\s+(\d+|some|loads|lots|a lot|a load|a bunch|all|too many|a whole|the whole|half)\b"
                 r"[\w\s']{0,25}\b(pills|tablets|paracetamol|ibuprofen|painkillers|meds|sleeping pills)\b"),
    ("jump", r"\bjump\s+(off|in front of)\s+(a|the)\s+(bridge|building|train|roof|cliff)"),
    ("not be here tomorrow", r"\b(won'?t|will\s+not|not\s+(gonna|going\s+to))\s+be\s+(here|alive|around)\s+(tomorrow|much longer|for long)\b"),
]

DANGER_PATTERNS: list[tuple[str, str]] = [
    ("forced into sex", r"\b(forc\w*|making|makes|made|pressur\w*)\s+(me\s+)?(to\s+)?(have\s+sex|do\s+(sexual|sex)|touch\s+(him|her|them)|perform)"),
    ("rape or assault", r"\b(rap(e|ed|ing)|sexually\s+assault\w*|molest\w*|abus(e|es|ed|ing)\s+me)\b"),
    ("touching me", r"\b(touch|touches|touching|touched)\s+me\b"),
    ("at my house", r"\b(outside|coming\s+to|come\s+to|on\s+(his|her|their)\s+way\s+to|waiting\s+(outside|at|for\s+me\s+at))\s+(my|our)\s+(house|home|door|flat|school|window)\b"
                    r"|\bat\s+(my|our)\s+(front\s+)?(door|window)\b"),
    # "followed me on insta" is not danger; being followed home is.
    ("following me", r"\b(following|chasing|stalking)\s+me\s+(home|now|right now|down|in a car|everywhere|outside)\b"
                     r"|\bfollowed\s+me\s+home\b"),
    # "in danger of failing maths" is an idiom; "in danger of being hurt" is not.
    ("in danger", r"\bi'?m\s+in\s+danger\b(?!\s+of\s+(?!being\b)\w+ing\b)"
                  r"|\bi\s+am\s+in\s+danger\b(?!\s+of\s+(?!being\b)\w+ing\b)|\bnot\s+safe\s+(right\s+)?now\b"),
    # "i'm locked in" is also slang for concentrating: someone must have done it to them.
    ("held somewhere", r"\b(locked|trapped|shut)\s+me\s+in\b|\bwon'?t\s+let\s+me\s+(leave|go|out)\b"),
    ("being hurt", r"\b(hits|hitting|beats|beating|punch(es|ing)|chok(es|ing))\s+me\b|\b(going|gonna)\s+to\s+(hurt|kill|stab|beat)\s+me\b"),
    ("threat of violence", r"\bthreaten\w*\s+to\s+(hurt|kill|stab|beat|attack)\s+me\b"),
]

# Offenders claim the police are coming ("officers will come to your house tomorrow") to scare
# a pupil into paying: a lie to answer under fear of police, not a danger at the door. These
# phrases are blanked before the danger patterns read the text; anyone else at the door is not.
NOT_DANGER_PATTERNS: list[tuple[str, str]] = [
    ("police will come round", r"\b(?:police|officers?|cops|feds|coppers|the\s+law)\b(?:\s+[\w']+){0,4}?\s+"
                               r"(?:come|coming|turn\s+up|show\s+up)\s+(?:round\s+)?to\s+(?:my|our)\s+(?:house|home|door|flat|school)\b"),
]
_SELF_HARM = [(name, re.compile(p, re.I)) for name, p in SELF_HARM_PATTERNS]
_DANGER = [(name, re.compile(p, re.I)) for name, p in DANGER_PATTERNS]
_NOT_DANGER = [re.compile(p, re.I) for _, p in NOT_DANGER_PATTERNS]


def _normalise(text: str) -> str:
    """Fold curly quotes so "i’m" and "can’t" match like "i'm" and "can't"."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def crisis_match(text: str) -> tuple[str, str] | None:
    """(intent, pattern name) for the first crisis pattern the text matches, else None.

    Self-harm risk is checked first: its reply also gives 999, so nothing is lost.
    """
    text = _normalise(text or "")
    for name, rx in _SELF_HARM:
        if rx.search(text):
            return SELF_HARM_RISK, name
    for blank in _NOT_DANGER:
        text = blank.sub(" ", text)
    for name, rx in _DANGER:
        if rx.search(text):
            return IMMEDIATE_DANGER, name
    return None


# Everyday idioms that use crisis words without risk (crisis_signals.md: "not crisis").
# The trained detector reads each as the neutral word "idiom", so a dying phone or a game
# death cannot raise an alarm; the crisis patterns above still read the raw text, so
# "my phone died and i want to die" is still a crisis.
_THING = (r"(?:phone|battery|charger|laptop|ipad|tablet|console|controller|headphones|airpods|wifi|internet|"
          r"signal|torch|car|pen|plant|fish|hamster|goldfish)")
_PEOPLE = r"(?:mum|mom|mam|dad|parents|nan|gran|teacher|coach|sir|miss|brother|sister|mate|mates|friends?)"
_TASK = (r"(?:exams?|gcses?|a ?levels?|mocks?|revision|school|term|week|day|lesson|lessons|homework|test|tests|"
         r"detention|shift|practice|training|assembly|year|holidays|match|game|season|series|episode|film|movie|"
         r"book|story|chat|conversation|call|convo|quiz)")
_GAME = (r"(?:game|minecraft|fortnite|fifa|roblox|cod|warzone|apex|valorant|level|round|boss|match|"
         r"geometry dash|gta|zelda|mario|pokemon|among us|elden ring|the final level)")
IDIOM_PATTERNS: list[tuple[str, str]] = [
    ("a thing dies", rf"\b(?:my|the|our|his|her|its|it'?s)\s+(?:\w+\s+)?{_THING}'?s?\s+(?:is\s+|was\s+|has\s+|keeps\s+|just\s+|about\s+to\s+|gonna\s+|going\s+to\s+|on\s+\d+%?\s+(?:and\s+)?)*(?:die|dies|died|dying|dead)\b"),
    ("on low battery", r"\b(?:on|at)\s+\d+\s?%.{0,20}\b(?:die|dies|died|dying|dead)\b"),
    ("dying of", r"\b(?:dying|died|die|dead)\s+(?:of|from)\s+(?:embarrassment|laughter|laughing|shame|boredom|cringe|heat|hunger|thirst|cold|stress|excitement)\b"),
    ("dying laughing", r"\b(?:dying|died|dead|deceased)\s*(?:laughing|lol|lmao|😂|💀|🤣)|\b(?:i'?m|im)\s+(?:actually\s+|literally\s+)?(?:dead|dying|deceased)\s*(?:lol|lmao|😂|💀|🤣|haha)"),
    ("killing it", r"\b(?:killing|killed|smashing|smashed|nailed)\s+it\b"),
    ("is killing me", rf"\b(?:this|that|the|my|these|those)\s+(?!{_PEOPLE}\b)(?:\w+\s+){{0,2}}(?:is|are|was|were)\s+(?:literally\s+|actually\s+|honestly\s+)?killing\s+me\b"),
    ("someone will kill me", rf"\b(?:my\s+)?{_PEOPLE}(?:'s|s|'ll|\s+is|\s+will|\s+would)?(?:\s+(?:literally|actually|honestly|defo|gonna|going\s+to|proper))*\s+(?:kill|murder)\s+me\b"),
    ("dead as very", r"\bdead\s+(?:tired|sleepy|funny|good|bored|boring|quiet|easy|hard|serious|on\s+my\s+feet|jealous|nice|rough|proud|excited|cute|sweet|hungry|awkward|annoying|happy|chuffed|cold|loud|weird|lucky|keen|scared|nervous|worried|stressed|embarrassed|confused|friendly|chatty|flirty|pretty|lush|lovely|sound|"
                     r"mint|popular|clingy|posh|nosy|slow|quick|cheap|dear|dodgy|sketchy|sus|creepy|random|pushy|packed|busy|strict|full|cringe)\b"),
    ("to death", r"\b(?:scared|bored|worried|frightened|sick|tired)\s+(?:me\s+)?to\s+death\b|\bthe\s+death\s+of\s+me\b"),
    ("die for", r"\bto\s+die\s+for\b|\b(?:i'?d|i\s+would|could)\s+(?:literally\s+)?kill\s+for\b|\bdie\s*-?\s*hard\b|\bdrop\s+dead\s+gorgeous\b"),
    ("killing time", r"\bkill(?:ing)?\s+(?:some\s+)?time\b"),
    ("a task ends", rf"\b(?:the|this|these|my|our|a)\s+(?:\w+\s+)?{_TASK}\s+(?:to\s+)?(?:end|ends|ended|ending|finish|be\s+over|is\s+over|are\s+over|done)\b"
                    rf"|\b(?:end|ending|finish|leave|close)\s+(?:this|the|our|my)\s+(?:\w+\s+)?{_TASK}\b|\bend\s+of\s+(?:term|the\s+(?:day|week|term|lesson|year|film|book|game))\b"),
    ("died in a game", rf"\b(?:died|die|dies|dying|killed|kill|kills|respawn\w*)\b.{{0,30}}\b(?:in|on|at)\s+(?:the\s+)?(?:\w+\s+){{0,2}}{_GAME}\b|\b(?:killed|beat|beaten)\s+the\s+(?:final\s+)?boss\b"),
    ("hope to die", r"\bcross\s+my\s+heart\b.{0,20}\bdie\b"),
    ("shot myself in the foot", r"\bsho(?:t|ot|oting)\s+(?:my ?self|ourselves)\s+in\s+the\s+foot\b"),
    ("suicide squad", rf"\bsuicide\s+{_SUICIDE_NOT_CRISIS}\b|\b(?:{'|'.join(_DRILL_VERBS)})\s+suicides\b"),
    ("overdosed on sweets", rf"\boverdos(?:e|ed|ing)\s+on\b(?!(?:\s+[\w']+){{0,3}}?\s+{_TAKEN}\b)"),
    ("dies down", r"\b(?:die|dies|died|dying)\s+down\b"),
    # Thanks ("that tip saved my life"), never a plea ("someone save my life").
    ("saved my life", r"\b(?:saved|saves|saving)\s+my\s+life\b|\bfor\s+the\s+life\s+of\s+me\b"),
    # Breaking up with someone, not ending a life ("end it with my boyfriend").
    ("end it with someone", rf"\b(?:end|ending|ended|finish|finishing|finished)\s+(?:it|things)\s+with\s+{_PARTNER}\b"),
    # Snap streaks, plants, a conversation: something else kept alive.
    ("keep something alive", r"\bkeep(?:ing|s)?\s+(?!me\b|my ?self\b|myself\b|going\b|trying\b|staying\b|on\b|pretending\b)"
                             r"(?:(?!be\b|me\b|myself\b|stay\b)[\w']+\s+){1,3}alive\b"),
    ("hang out", r"\b(?:hang(?:ing|s)?|hung)\s+(?:out|around|about)\b|\bhangout\b"),
]
_IDIOMS = [(name, re.compile(p, re.I)) for name, p in IDIOM_PATTERNS]


def mask_idioms(text: str) -> str:
    """The text with each everyday idiom replaced by the word "idiom"."""
    text = _normalise(text or "")
    for _, rx in _IDIOMS:
        text = rx.sub(" idiom ", text)
    return text
