"""What more than one check asks of a claim, and how a check says where it fires."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hedgecheck.article import Article, ArticleSentence
from hedgecheck.checks._topic import stems
from hedgecheck.checks.registry import CheckHit
from hedgecheck.engine import ScopedCue
from hedgecheck.model import Claim, Cue, Mention, Strength
from hedgecheck.study import DESIGN_NAMES, NOT_REVIEWED


def claim_hit(claim: Claim, basis: Iterable[Mention] = (), **details: str) -> CheckHit:
    """A check firing on a whole claim, with the mentions it rests on."""
    return CheckHit(
        claim.start,
        claim.end,
        claim.line,
        claim.column,
        claim.text,
        details,
        basis=tuple(dict.fromkeys(basis)),
    )


def note_hit(
    article: Article, sentence: ArticleSentence, note: ScopedCue, **details: str
) -> CheckHit:
    """A check firing on one editorial cue ("experts say", "cuts the risk by half")."""
    m = article.mention(note, sentence)
    return CheckHit(m.start, m.end, m.line, m.column, m.text, details, note.quoted)


def mentions(article: Article, cues: Iterable[tuple[ArticleSentence, ScopedCue]]) -> list[Mention]:
    return [article.mention(cue, sentence) for sentence, cue in cues]


def cue_mention(cue: Cue) -> Mention:
    return Mention(cue.rule, cue.text, cue.start, cue.end, cue.line, cue.column)


def hedges(claim: Claim) -> list[str]:
    """The hedges on the claim's whole sentence, in its words."""
    return [c.text for c in claim.cues if c.category == "hedge" and c.scope == "sentence"]


def hedged(claim: Claim) -> bool:
    return bool(hedges(claim)) or claim.strength is Strength.CONDITIONAL


def boosted(claim: Claim) -> bool:
    return any(c.category == "booster" for c in claim.cues)


def states_subject(claim: Claim) -> bool:
    """Whether the claim says who or what its evidence was in ("in mice", "a cell study")."""
    return any(
        c.category == "subject" or (c.category == "design" and c.value in ("animal", "in_vitro"))
        for c in claim.cues
        if c.scope == "sentence"
    )


def settles(article: Article, claim: Claim) -> bool:
    """Whether the claim's sentence states its finding as settled, in the writer's voice."""
    for sentence in article.sentences:
        if sentence.claim is claim:
            return any(n.rule.category == "settled" and not n.quoted for n in sentence.item.notes)
    return False


def about_the_study(article: Article) -> Iterator[ArticleSentence]:
    """The headline, the claims about the article's own study, and the other claims in the
    writer's voice on the same topic ("Three cups a day can cut the risk of death" after a
    study of coffee drinkers), but not those about earlier work."""
    headline = article.headline
    topic = set(stems(headline.text)) if headline is not None else set()
    for claim in article.main:
        topic |= stems(claim.text)
    for sentence in article.prose():
        claim = sentence.claim
        if claim is None:
            continue
        on_topic = (
            not sentence.item.background
            and not _quoted_relation(claim)
            and len(stems(claim.text) & topic) >= 2
        )
        if claim.headline or claim.primary or on_topic:
            yield sentence


def _quoted_relation(claim: Claim) -> bool:
    return any(c.category == "relation" and c.quoted for c in claim.cues)


def status_weaknesses(article: Article) -> list[str]:
    """What makes the study too weak for any firm claim: not reviewed (a journal publication
    outranks a conference talk of the same results), small, uncontrolled, a pilot or a case."""
    reviewed, published = article.review_status()
    found = [NOT_REVIEWED[c.rule.value or ""] for c in published if reviewed == "no"]
    for cue in article.study_cues:
        rule = cue.rule
        if rule.category == "sample" and rule.value == "small":
            found.append("small")
        elif rule.category == "limitation" and rule.kind == "control":
            found.append("without a control group")
    design = article.design()
    if design in ("pilot", "anecdote", "case_report"):
        name = DESIGN_NAMES[design]
        found.append(("an " if name[0] in "aeiou" else "a ") + name)
    return list(dict.fromkeys(found))
