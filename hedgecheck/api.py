"""The library entry point: text in, a Report out. Never prints, never exits."""

from __future__ import annotations

from hedgecheck.engine import Analysis, ScopedCue, SentenceCues, analyse
from hedgecheck.model import Claim, Cue, Label, Report
from hedgecheck.rules import RuleSet, default_rules
from hedgecheck.scoring import assess
from hedgecheck.text import LineIndex


def check(
    text: str, *, title: str | None = None, rules: RuleSet | None = None, path: str | None = None
) -> Report:
    """Find the claims in ``text`` and label each one's confidence, with the cues behind it.

    ``title``, when given, is the headline (its claim's offsets point into ``title`` and its
    ``line`` is 0); otherwise the first title-like line of ``text`` is the headline.
    """
    ruleset = rules if rules is not None else default_rules()
    analysis = analyse(text, ruleset, title=title)
    lines = LineIndex(text)
    claims = tuple(
        _claim(item, analysis, ruleset, lines) for item in analysis.sentences if item.claim
    )
    headline = next((c.text for c in claims if c.headline), None)
    return Report(
        label=_article_label(claims),
        headline=headline,
        claims=claims,
        study_cues=tuple(
            _cue(c, lines, c.rule.weight, in_title=False) for c in analysis.study_cues
        ),
        path=path,
    )


def _claim(item: SentenceCues, analysis: Analysis, rules: RuleSet, lines: LineIndex) -> Claim:
    sentence = item.sentence
    in_title = sentence.index < 0
    result = assess(item, analysis.study_cues, rules.scoring)
    line, column = (0, sentence.start + 1) if in_title else lines.position(sentence.start)
    return Claim(
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        line=line,
        column=column,
        headline=sentence.role == "headline",
        primary=item.primary,
        label=result.label,
        certainty=round(result.certainty, 4),
        strength=result.strength,
        negated=result.negated,
        evidence=result.evidence,
        cues=tuple(
            _cue(c, lines, result.weight_of(c), in_title=in_title and not c.document)
            for c in result.cues
        ),
        explanation=result.explanation,
        confidence=round(result.confidence, 4),
    )


def _cue(cue: ScopedCue, lines: LineIndex, weight: float, *, in_title: bool) -> Cue:
    match = cue.match
    line, column = (0, match.start + 1) if in_title else lines.position(match.start)
    return Cue(
        rule=match.rule.id,
        name=match.rule.name,
        category=match.rule.category,
        text=match.text,
        start=match.start,
        end=match.end,
        line=line,
        column=column,
        weight=weight,
        scope="document" if cue.document else "sentence",
        value=match.rule.value,
        kind=match.rule.kind,
        quoted=cue.quoted,
    )


def _article_label(claims: tuple[Claim, ...]) -> Label | None:
    """The lower median label of the main claims (headline and the study's own claims)."""
    main = [c for c in claims if c.headline or c.primary] or list(claims)
    if not main:
        return None
    ranks = sorted(c.label.rank for c in main)
    return Label.from_rank(ranks[(len(ranks) - 1) // 2])
