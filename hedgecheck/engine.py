"""Cues and their scopes: which cue modifies which claim (ConText-style).

Every cue rule was compiled into one matcher; the text is scanned once. Each cue then gets a
scope in tokens (forward, backward or both, up to its maximum, cut by a terminator such as
"but") inside its sentence. A cue governs a claim when its scope reaches the claim's focus:
the relation it asserts ("treat", "linked to"), or the whole sentence when none is stated.
Study-level cues ("has not been peer-reviewed") found in sentences about the article's own
study apply, with document scope, to every claim about that study.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from hedgecheck.budget import ScanBudget
from hedgecheck.documents.blocks import Block
from hedgecheck.overlaps import CueMatch, pseudo_swallows
from hedgecheck.patterns import compiled
from hedgecheck.ruleset import RuleSet
from hedgecheck.schema import GRADED_CATEGORIES, Rule, stated_relation
from hedgecheck.text import Sentence, segment, segment_blocks, token_bounds

_STUDY_DESCRIPTIONS = frozenset({"publication", "sample"})
_QUOTE_PAIRS = compiled(r"“[^”\n]{1,600}”|\"[^\"\n]{1,600}\"")


@dataclass(frozen=True, slots=True)
class ScopedCue:
    """A cue match with the character span its scope covers."""

    match: CueMatch
    scope_start: int
    scope_end: int
    document: bool = False
    quoted: bool = False
    # The match's rule, held here: scoring, strength, the study's reading and the checks
    # read a cue's rule some two million times over a corpus, and a property's call cost
    # seven times a slot's read.
    rule: Rule = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rule", self.match.rule)

    def reaches(self, start: int, end: int) -> bool:
        return self.scope_start < end and start < self.scope_end


@dataclass(frozen=True, slots=True)
class SentenceCues:
    """One sentence with its cues, its role and whether it states a claim."""

    sentence: Sentence
    cues: tuple[ScopedCue, ...]
    claim: bool
    primary: bool
    background: bool
    notes: tuple[ScopedCue, ...] = ()  # editorial cues: for checks and the report card
    # Pseudo-cue matches ("should be targeted at ...", "in May"): the spans that swallowed
    # other cues, so that strength can tell a hedge inside a recommendation from one on a
    # finding.
    pseudo: tuple[CueMatch, ...] = ()

    def focus(self) -> tuple[int, int]:
        """Span of the relation the claim asserts, or the whole sentence."""
        for cue in self.cues:
            if cue.rule.category == "relation":
                return cue.match.start, cue.match.end
        return self.sentence.start, self.sentence.end

    def governing(self) -> list[ScopedCue]:
        """Cues whose scope reaches the claim's focus."""
        start, end = self.focus()
        return [c for c in self.cues if c.rule.direction == "sentence" or c.reaches(start, end)]

    def denies(self, cue: ScopedCue) -> bool:
        """Whether a negation reaches an evidence cue that would count for the claim ("no
        clinical trials", "without a control group"): the evidence is absent."""
        if cue.rule.axis != "evidence" or cue.rule.weight <= 0:
            return False
        return any(
            n.rule.category == "negation"
            and n.match.end <= cue.match.start
            and n.reaches(cue.match.start, cue.match.end)
            for n in self.cues
        )


@dataclass(frozen=True, slots=True)
class Analysis:
    """All sentences of a text with their cues, and the study-level cues."""

    sentences: tuple[SentenceCues, ...]
    study_cues: tuple[ScopedCue, ...]
    # Every evidence cue stated about the article's own study, whatever its scope: what a
    # claim about that study (a headline) rests on, for its label's evidence ceiling.
    study_evidence: tuple[ScopedCue, ...] = ()
    # The rules the scan's budget switched off while matching (a report's errors).
    problems: tuple[str, ...] = ()


def analyse(
    text: str,
    rules: RuleSet,
    *,
    title: str | None = None,
    blocks: Sequence[Block] | None = None,
    budget: ScanBudget | None = None,
) -> Analysis:
    """Segment ``text``, match every cue in one scan and resolve scopes.

    With ``title`` the headline is that separate string (offsets into it), not a line of text.
    With ``blocks`` (from a Markdown or HTML reader) the structure is taken as given.
    What untrusted rules spend matching is charged to ``budget``.
    """
    budget = budget if budget is not None else ScanBudget()
    if blocks is not None:
        body = segment_blocks(text, blocks, lexicon=rules.lexicon)
        if title is not None:
            body = [s if s.role != "headline" else replace(s, role="heading") for s in body]
    else:
        body = segment(text, find_headline=title is None, lexicon=rules.lexicon)
    found = rules.find(text, include_pseudo=True, budget=budget)
    problems = found.problems
    cues = _assign(_with_stated_relations(found.cues), body)
    notes = _assign(found.notes, body)
    units = [(text, s, m, n) for s, m, n in zip(body, cues, notes, strict=True)]
    heading = _title_sentence(title) if title is not None else None
    if heading is not None:
        in_title = rules.find(title, include_pseudo=True, budget=budget)
        problems += in_title.problems
        units.insert(0, (title, heading, _with_stated_relations(in_title.cues), in_title.notes))
    quotes = {id(text): _Quotes(text)}
    analysed = []
    lede_seen = False
    for source, sentence, found_here, overlay in units:
        quoted = quotes.get(id(source), _NO_QUOTES)
        matches = [m for m in found_here if m.rule.category != "pseudo"]
        pseudo = tuple(m for m in found_here if m.rule.category == "pseudo")
        editorial = [m for m in overlay if m.rule.category != "pseudo"]
        words = _words(source, sentence, (matches, editorial))
        item = _classify(
            sentence,
            _scope(sentence, matches, quoted, words),
            lede=not lede_seen and sentence.role == "body",
            notes=_scope(sentence, editorial, quoted, words),
            pseudo=pseudo,
        )
        if item.claim and sentence.role == "body":
            lede_seen = True
        analysed.append(item)
    return Analysis(
        sentences=tuple(analysed),
        study_cues=_study_cues(analysed),
        study_evidence=_study_cues(analysed, evidence=True),
        problems=problems,
    )


def _with_stated_relations(found: Sequence[CueMatch]) -> Sequence[CueMatch]:
    """The matches, each hype word that states a relation ("cures", "is a cure for")
    followed by that relation as a cue of its own over the same words, unless a pseudo-cue
    that swallows relations covers it (a relation rule's match there would be gone too)."""
    if not any(m.rule.relation for m in found):
        return found
    pseudo = [m for m in found if m.rule.category == "pseudo"]
    result: list[CueMatch] = []
    for match in found:
        result.append(match)
        if match.rule.relation and match.rule.category != "pseudo":
            stated = CueMatch(stated_relation(match.rule), match.start, match.end, match.text)
            if not any(pseudo_swallows(p, stated) for p in pseudo):
                result.append(stated)
    return result


def _study_cues(analysed: list[SentenceCues], *, evidence: bool = False) -> tuple[ScopedCue, ...]:
    """Study-level cues stated in sentences about the article's own study, once per rule;
    with ``evidence``, every cue of a category that states evidence (a design named in the
    lede, "the researchers"), whatever its scope."""
    found: dict[str, ScopedCue] = {}
    for item in analysed:
        if not item.primary or item.background:
            continue
        for cue in item.cues:
            wanted = (
                cue.rule.category in GRADED_CATEGORIES and not item.denies(cue)
                if evidence
                else cue.rule.scope == "document"
            )
            if wanted and cue.rule.id not in found:
                found[cue.rule.id] = ScopedCue(
                    cue.match, cue.scope_start, cue.scope_end, document=True, quoted=cue.quoted
                )
    return tuple(found.values())


def _title_sentence(title: str) -> Sentence | None:
    stripped = title.strip()
    if not stripped:
        return None
    start = title.index(stripped)
    return Sentence(-1, start, start + len(stripped), stripped, -1, "headline")


def _assign(matches: Sequence[CueMatch], sentences: list[Sentence]) -> list[list[CueMatch]]:
    starts = [s.start for s in sentences]
    grouped: list[list[CueMatch]] = [[] for _ in sentences]
    for match in matches:
        index = bisect_right(starts, match.start) - 1
        if index >= 0 and match.end <= sentences[index].end:
            grouped[index].append(match)
    return grouped


class _Quotes:
    """The quoted passages of a text (disjoint, in order), to ask which holds a span."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _QUOTE_PAIRS.finditer(text)]
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]

    def hold(self, start: int, end: int) -> bool:
        """Whether one quoted passage contains ``start``..``end``: only the last passage
        opening at or before ``start`` can."""
        index = bisect_right(self._starts, start) - 1
        return index >= 0 and end <= self._ends[index]


_NO_QUOTES = _Quotes("")


def _words(
    text: str, sentence: Sentence, groups: Sequence[Sequence[CueMatch]]
) -> tuple[list[int], list[int]]:
    """The sentence's token starts and ends, apart, so that each cue's scope is found by
    bisection (a sentence with thousands of cues costs no more per cue). Tokenised once for
    the cues and the notes together, and not at all when no cue's scope counts tokens: the
    tokens are the dearest part of the scopes and most sentences need none."""
    if not any(m.rule.direction != "sentence" for group in groups for m in group):
        return [], []
    return token_bounds(text, sentence.start, sentence.end)


def _scope(
    sentence: Sentence,
    matches: list[CueMatch],
    quotes: _Quotes,
    words: tuple[list[int], list[int]],
) -> tuple[ScopedCue, ...]:
    # Terminators in order, so that each cue's are found by bisection too.
    cuts = sorted(m.start for m in matches if m.rule.category == "terminator")
    scoped = []
    for match in matches:
        start, end = _scope_span(match, words, cuts, sentence)
        quoted = quotes.hold(match.start, match.end)
        scoped.append(ScopedCue(match, start, end, quoted=quoted))
    return tuple(scoped)


def _scope_span(
    match: CueMatch, words: tuple[list[int], list[int]], cuts: list[int], sentence: Sentence
) -> tuple[int, int]:
    rule = match.rule
    starts, ends = words
    count = len(starts)
    if rule.direction == "sentence" or not count:
        return sentence.start, sentence.end
    # The first token ending after the cue starts, the last starting before it ends.
    first = min(bisect_right(ends, match.start), count - 1)
    last = bisect_left(starts, match.end) - 1
    if last < 0:
        last = first
    start, end = match.start, match.end
    if rule.direction in ("forward", "both"):
        limit = ends[min(last + rule.max_scope, count - 1)]
        after = bisect_left(cuts, match.end)
        stop = cuts[after] if after < len(cuts) else limit
        end = max(match.end, min(limit, stop))
    if rule.direction in ("backward", "both"):
        limit = starts[max(first - rule.max_scope, 0)]
        before = bisect_left(cuts, match.start) - 1
        stop = cuts[before] if before >= 0 else limit
        start = min(match.start, max(limit, stop))
    return start, end


def _classify(
    sentence: Sentence,
    cues: tuple[ScopedCue, ...],
    *,
    lede: bool,
    notes: tuple[ScopedCue, ...] = (),
    pseudo: tuple[CueMatch, ...] = (),
) -> SentenceCues:
    categories = {c.rule.category for c in cues}
    furniture = sentence.role in ("furniture", "heading") or "clutter" in categories
    headline = sentence.role == "headline"
    claim = headline or (not furniture and any(c.rule.claim for c in cues))
    values = {c.rule.value for c in cues if c.rule.category == "study"}
    background = "background" in values
    # A study-level description ("a small study", "not peer-reviewed") says the sentence is
    # about the article's own study, as a "the researchers" marker does; subjects ("adults")
    # turn up in any sentence and say nothing of which study it is about.
    about_study = "primary" in values or any(
        c.rule.scope == "document" and c.rule.category in _STUDY_DESCRIPTIONS for c in cues
    )
    # The standfirst sums the story up under its headline, so it speaks of the same study.
    primary = headline or sentence.role == "standfirst" or (claim and lede) or about_study
    if furniture and not headline:
        claim = primary = False
    return SentenceCues(
        sentence, cues, claim, primary and not background, background, notes, pseudo
    )
