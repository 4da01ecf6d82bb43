"""A claim's strength, from the relation cues of its sentence and the grammar around them.

The scale is Yu et al.'s and Sumner et al.'s: none, correlational, conditional, causal. The
relation rules find the words; which of them is the claim's own relation is told by the
words around them: a copula that makes a participle the predicate ("was associated with"),
a relative pronoun or "to" that opens a clause on a noun ("genes that cause"), research
still to be done as a modal's subject ("Further studies may ..."). Those words are the
lexicon's (``hedgecheck.lexicon``), read from the rule set's packs.
"""

from __future__ import annotations

from collections.abc import Sequence

from hedgecheck.engine import ScopedCue, SentenceCues
from hedgecheck.lexicon import Lexicon, text_before
from hedgecheck.model import Strength
from hedgecheck.patterns import compiled

# How far before a participle or verb its copula or clause opener is looked for.
_REACH = 40
# The information separators \x1c-\x1f are white space to str.isspace (and to the re
# module, whose patterns these were) but not to regex's \s: read as spaces.
_SEPARATORS = dict.fromkeys(range(0x1C, 0x20), " ")
_SEPARATOR_CHARS = tuple(map(chr, _SEPARATORS))
_NO_WORD = compiled(r"\W*")
_WORD = compiled(r"\w+")


def claim_strength(item: SentenceCues, lexicon: Lexicon) -> Strength:
    """Yu et al. / Sumner scale. An association wins over an adjectival causal verb
    ("associated with reduced risk"); a comparison of groups or rates (kind "comparison":
    "compared with placebo", "odds of", "at high risk") only reports the size of a difference,
    so a causal verb beside it ("reduced pain compared with placebo") sets the strength. A
    conditional hedge ("may", "could") reaching a causal verb, or standing on a predicate
    no relation rule names ("may help stratify"), makes the claim conditional (InSciOut
    code 4); a predicate of use or need (value "none": "may be used to", "may require")
    names no relation for it to hedge, and "seems"/"appears"/"potentially" alone, with no
    relation named, judge a property ("seems safe") rather than hedge an effect. A sentence whose
    subject is earlier work ("Previous research has linked ...") reports background and
    states no relation of its own (Yu et al. 2019 label the study's own finding). Nor does a
    yes/no question ("Could lithium slow down ageing?", "Does depression boost the risk of
    death?"): it asks whether the relation holds rather than asserting it (InSciOut codes such
    headlines as stating no relationship); a wh-question ("Which factors influence ...?")
    presupposes its relation and is read as any other sentence."""
    if _reports_earlier_work(item, lexicon):
        return Strength.NONE
    question = lexicon.term("yes-no-question").pattern
    if question.match(_spaced(item.sentence.text)):
        return Strength.NONE
    cues = [
        c
        for c in item.cues
        if c.rule.category == "relation" and not _opening_participle(c, item, lexicon)
    ]
    relations = [c for c in cues if c.rule.value != "none"]
    conditional = [c for c in item.cues if c.rule.conditional]
    if not relations:
        # "may be used to monitor", "could be an alternative to": a hedged predicate of use
        # or suitability (value "none") states no relation, so the hedge has nothing to
        # make conditional; nor has a modal whose subject is research still to be done.
        # An evidential verb or adverb with no relation ("seems to be a safe procedure",
        # "appears important", "potentially helpful supplements") judges a property of its
        # subject rather than hedging an effect, so only a modal ("may help stratify")
        # makes such a claim conditional.
        if not cues and any(
            h.rule.kind not in ("epistemic-verb", "epistemic-adverb")
            and not _hedges_research(h, item, lexicon)
            and not _in_recommendation(h, item)
            for h in conditional
        ):
            return Strength.CONDITIONAL
        return Strength.NONE
    causal = [c for c in relations if c.rule.value == "causal"]
    finite = [
        c for c in causal if not _is_ing_form(c, lexicon) and not _opens_clause(c, item, lexicon)
    ]
    correlational = [
        c
        for c in relations
        if c.rule.value == "correlational" and not _postmodifies(c, finite, item, lexicon)
    ]
    if any(c.rule.kind != "comparison" for c in correlational) or not causal:
        return Strength.CORRELATIONAL
    # The claim's own (first) causal verb decides: "may reduce inflammation and improve
    # sleep" is conditional throughout, while "reduced pain, but it may cause nausea" states
    # its finding directly and hedges only an aside. A gerund or participle ("raising the
    # price of alcohol could lead to", "drugs promoting sun sensitivity may raise") sits in
    # the subject or a modifier, and so does a verb that opens a relative or infinitive
    # clause ("a program that eliminated infections appears to have reduced deaths", "a
    # treatment to protect patients could save lives"): the first finite verb of the main
    # clause is the claim's own when there is one.
    focus = (finite or causal)[0].match
    if any(h.reaches(focus.start, focus.end) for h in conditional):
        return Strength.CONDITIONAL
    return Strength.CAUSAL


def _spaced(text: str) -> str:
    """``text`` with its separators read as spaces. str.translate looks every character up
    in the table, which is dear on text with curly quotes, and hardly any text holds one."""
    if any(separator in text for separator in _SEPARATOR_CHARS):
        return text.translate(_SEPARATORS)
    return text


def _before(cue: ScopedCue, item: SentenceCues, *, reach: int | None = None) -> tuple[str, bool]:
    """The sentence before ``cue`` (its last ``reach`` characters), separators read as
    spaces and without the white space that ends it; and whether any white space did."""
    offset = cue.match.start - item.sentence.start
    start = 0 if reach is None else max(0, offset - reach)
    text = _spaced(item.sentence.text[start:offset])
    bare = text_before(text, len(text))
    return bare, len(bare) < len(text)


def _opening_participle(cue: ScopedCue, item: SentenceCues, lexicon: Lexicon) -> bool:
    """Whether a causal cue is an -ed form that opens the sentence ("Reduced fibrinogen and
    increased albumin are consistent with ..."): with no subject before it, it is an
    adjective on the subject's noun, not the verb of a claim. So is one coordinated with
    such an opening ("... and increased albumin"): a few words after an opening -ed form,
    joined by "and", "or" or a comma, it is a second adjective in the same subject."""
    if cue.rule.value != "causal":
        return False
    words = cue.match.text.split()
    if len(words) != 1 or not lexicon.term("ed-form").pattern.fullmatch(words[0]):
        return False
    offset = cue.match.start - item.sentence.start
    before = _spaced(item.sentence.text[:offset].strip(" \t\n\"'\u201c\u2018("))
    coordinate = lexicon.term("opening-coordinate").pattern
    return not before or coordinate.fullmatch(before) is not None


def _reports_earlier_work(item: SentenceCues, lexicon: Lexicon) -> bool:
    """Whether the sentence's subject is earlier work ("Previous research has linked ...",
    "Previous studies in Japan suggested ...") and nothing sets the present study against it
    (no "but" before a relation of its own, no "the new study"): it reports background,
    not the finding it introduces. A "but" with no relation after it ("..., but the results
    were inconsistent") still speaks of the earlier work."""
    if item.primary:
        return False
    for cue in item.cues:
        if cue.rule.category == "terminator" and any(
            c.rule.category == "relation" and c.match.start > cue.match.start for c in item.cues
        ):
            return False
        if cue.rule.category == "study" and cue.rule.value == "primary":
            return False
    first = next(
        (c for c in item.cues if c.rule.category == "study" and c.rule.value == "background"),
        None,
    )
    if (
        first is None
        or not lexicon.term("earlier-work").pattern.search(first.match.text)
        or lexicon.term("unqualified-research").pattern.match(first.match.text)
    ):
        return False
    offset = first.match.start - item.sentence.start
    if _NO_WORD.fullmatch(item.sentence.text, 0, offset):
        return True  # nothing but punctuation before it: it is the subject
    before, spaced = _before(first, item)
    return spaced and lexicon.term("subject-openings").pattern.fullmatch(before) is not None


def _in_recommendation(cue: ScopedCue, item: SentenceCues) -> bool:
    """Whether a hedge lies inside a pseudo-cue that swallows relations (a recommendation,
    "... may vary across groups, and thus interventions should be targeted at ..."): the
    sentence's relation words, if any, were swallowed with it, so the hedge qualifies the
    advice or its reason, not a relation the sentence claims."""
    for pseudo in item.pseudo:
        names = pseudo.rule.swallows
        if (not names or "relation" in names) and (
            pseudo.start <= cue.match.start and cue.match.end <= pseudo.end
        ):
            return True
    return False


def _hedges_research(cue: ScopedCue, item: SentenceCues, lexicon: Lexicon) -> bool:
    """Whether a modal's subject, from the sentence start, is research still to be done
    ("Further studies may ...", "Future research might ...")."""
    before, spaced = _before(cue, item)
    return spaced and lexicon.term("research-subjects").pattern.match(before) is not None


def _is_ing_form(cue: ScopedCue, lexicon: Lexicon) -> bool:
    """Whether a relation cue is an -ing form ("raising", "cholesterol-lowering")."""
    words = cue.match.text.split()
    return bool(words) and lexicon.term("ing-form").pattern.fullmatch(words[0]) is not None


def _postmodifies(
    cue: ScopedCue, finite: Sequence[ScopedCue], item: SentenceCues, lexicon: Lexicon
) -> bool:
    """Whether a correlational participle modifies a noun after the claim's causal verb
    ("reduces the risk of cancers associated with drinking"): with no copula before it, it
    describes the object and is not the claim's own relation."""
    if not finite or cue.match.start < finite[0].match.end:
        return False
    if not lexicon.term("correlational-participles").pattern.match(cue.match.text):
        return False
    before, spaced = _before(cue, item, reach=_REACH)
    return not (spaced and lexicon.term("copulas").pattern.search(before))


def _opens_clause(cue: ScopedCue, item: SentenceCues, lexicon: Lexicon) -> bool:
    """Whether a relation cue opens a relative or infinitive clause ("genes that cause",
    "which reduced", "to protect"); not after a raising or reporting verb ("appears to
    reduce", "was shown to reduce"), where the infinitive is the main predicate."""
    before, spaced = _before(cue, item, reach=_REACH)
    opener = lexicon.term("clause-openers").pattern.search(before) if spaced else None
    if opener is None:
        return False
    first = _WORD.match(opener.group())
    return first is None or not lexicon.term("raising-verbs").has(first.group())
