"""The HealthNewsReview report card: ten criteria a health story is judged by, each
satisfied or not with the spans it rests on, or not applicable to a story that names no
intervention."""

from __future__ import annotations

from hedgecheck.article import Article
from hedgecheck.model import CardItem, Finding, Mention

# The report card's criteria about using an intervention, and what names one. HealthNewsReview
# judged only stories that claim a treatment, test, product or procedure works; a story that
# names none (how the brain ages, what a telescope saw) has no cost, availability,
# alternative or harm of an intervention to report, so those criteria do not apply to it.
_INTERVENTION_CRITERIA = frozenset({"costs", "harms", "alternatives", "availability"})
_INTERVENTION_DESIGNS = frozenset({"rct", "clinical_trial", "pilot", "regulatory", "guideline"})
_THERAPEUTIC_RELATIONS = frozenset(
    {
        *("treat", "prevent", "protect-against", "alleviate-mitigate"),
        *("effective", "safe-and-effective", "shown-efficacy-noun"),
    }
)
_INTERVENTION_NOTES = ("intervention", "cost", "availability", "alternative", "harm")
_NO_INTERVENTION = (
    "not applicable: the article names no treatment, test or product (no intervention study, "
    "no drug, therapy or test named, no claim that something treats, cures or prevents, no "
    "cost, availability, alternative or harm mentioned)"
)


def names_intervention(article: Article) -> bool:
    """Whether the article is about an intervention, by a rule a reader can check: its own
    study is a trial, pilot, regulatory decision or guideline; or it names a drug, therapy,
    test or product (``intervention`` rules); or a sentence says something treats, cures,
    prevents or is effective (a therapeutic relation or a cure word); or it mentions a cost,
    availability, an alternative or a harm (then those criteria are judged as they stand)."""
    if article.design() in _INTERVENTION_DESIGNS:
        return True
    for sentence in article.prose():
        for cue in sentence.item.cues:
            if cue.rule.category == "relation" and cue.rule.name in _THERAPEUTIC_RELATIONS:
                return True
            if cue.rule.category == "hype" and cue.rule.kind == "cure":
                return True
    return any(next(article.notes(category), None) for category in _INTERVENTION_NOTES)


def report_card(article: Article, findings: list[Finding]) -> tuple[CardItem, ...]:
    if next(article.prose(), None) is None:
        return ()
    raised = {f.name for f in findings}
    intervention = names_intervention(article)

    def present(category: str, kind: str | None = None) -> list[Mention]:
        return [article.mention(n, s) for s, n in article.notes(category, kind)][:5]

    def item(criterion: str, ok: bool, yes: str, no: str, evidence: list[Mention]) -> CardItem:
        if not intervention and criterion in _INTERVENTION_CRITERIA:
            return CardItem(criterion, "not applicable", _NO_INTERVENTION)
        return CardItem(
            criterion, "satisfied" if ok else "not satisfied", yes if ok else no, tuple(evidence)
        )

    quantities = present("quantity") + present("risk", "absolute")
    sources = present("independent") + present("conflict") + present("authority", "named")
    hype = _hype_mentions(article)
    background = [
        c for c in article.claims if not c.primary and not c.headline and c.evidence.design
    ]
    evidence_stated = _evidence_mentions(article)
    return (
        item(
            "costs",
            bool(present("cost")),
            "costs are mentioned",
            "no cost is mentioned",
            present("cost"),
        ),
        item(
            "benefits",
            bool(quantities) and "relative-risk-without-absolute" not in raised,
            "benefits are quantified",
            "benefits are not quantified in absolute terms",
            quantities,
        ),
        item(
            "harms",
            bool(present("harm")),
            "harms are discussed",
            "no harms or side effects are mentioned",
            present("harm"),
        ),
        item(
            "evidence",
            _conveys_evidence(article),
            "the study's design and its limits are stated",
            "the quality of the evidence is not conveyed (no design named, or no limit stated)",
            evidence_stated,
        ),
        item(
            "disease_mongering",
            not present("disease-mongering"),
            "no disease-mongering",
            "the condition's reach or danger is inflated",
            present("disease-mongering"),
        ),
        item(
            "conflicts",
            bool(present("independent") or present("conflict")),
            "an independent source or the funding is named",
            "no independent source and no conflict-of-interest statement",
            sources,
        ),
        item(
            "alternatives",
            bool(present("alternative")),
            "alternatives are compared",
            "no alternatives are mentioned",
            present("alternative"),
        ),
        item(
            "availability",
            bool(present("availability")),
            "availability is stated",
            "availability is not stated",
            present("availability"),
        ),
        item(
            "novelty",
            bool(background) or not _novelty_hype(article),
            "the result is set among earlier work",
            "novelty is claimed without earlier work",
            [],
        ),
        item(
            "sensational_language",
            not hype,
            "no sensational language",
            "sensational language in the writer's voice",
            hype,
        ),
    )


def _hype_mentions(article: Article) -> list[Mention]:
    found = []
    for sentence in article.prose():
        for cue in sentence.item.cues:
            if cue.rule.category == "hype" and not cue.quoted and cue.rule.severity != "info":
                found.append(article.mention(cue, sentence))
    return found


def _novelty_hype(article: Article) -> bool:
    return any(
        cue.rule.category == "hype" and cue.rule.kind == "novelty" and not cue.quoted
        for sentence in article.prose()
        for cue in sentence.item.cues
    )


def _evidence_mentions(article: Article) -> list[Mention]:
    """What conveys the quality of the evidence: the study's design, size, stated limits and
    publication, and the numbers that size its results (HealthNewsReview criterion 4 asks how
    strong the evidence is, which needs how big and how large an effect)."""
    # Every prose sentence, not only the claims: "The trial enrolled 90 children" states no
    # finding, yet it is what tells a reader how strong the evidence is. Sentences about
    # earlier work are left out: their designs are not this study's.
    stated: dict[str, list[Mention]] = {"design": [], "sample": [], "limitation": []}
    for sentence in article.prose():
        if sentence.item.background:
            continue
        for cue in sentence.item.cues:
            if cue.rule.category in stated:
                stated[cue.rule.category].append(article.mention(cue, sentence))
    published = [article.study_mention(c) for c in article.publication()]
    numbers = [
        article.mention(n, s)
        for s, n in article.notes("quantity")
        if s.claim is not None and not n.quoted
    ]
    # Capped per kind, so that a long list of one kind cannot stand in for the others.
    return (
        stated["design"][:6]
        + stated["sample"][:4]
        + stated["limitation"][:4]
        + published[:2]
        + numbers[:4]
    )


def _conveys_evidence(article: Article) -> bool:
    """A design named and a limit of the evidence stated (HealthNewsReview criterion 4: the
    text grasps the quality of the evidence when it says what kind of study it was and where
    that falls short: small, early, in animals, uncontrolled, cannot prove cause).

    Overclaims (a headline stronger than the body, an animal result as human, causal words
    on correlation, certainty on weak evidence) are findings of their own and do not decide
    this item: they fire where a text names its weak evidence, which is what criterion 4
    asks for; the FakeHealth releases that raise them are no less often judged satisfactory.
    """
    stated = {
        cue.rule.category
        for sentence in article.prose()
        if not sentence.item.background
        for cue in sentence.item.cues
    }
    return {"design", "limitation"} <= stated
