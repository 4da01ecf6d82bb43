"""The library entry point: text in, a Report out. Never prints, never exits."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hedgecheck.arguments import path_text, require, require_text
from hedgecheck.article import Article, ArticleSentence
from hedgecheck.budget import ScanBudget
from hedgecheck.checks.registry import run_checks
from hedgecheck.documents import read_document
from hedgecheck.documents.blocks import Document
from hedgecheck.engine import Analysis, ScopedCue, SentenceCues, analyse
from hedgecheck.errors import InputError, UsageError
from hedgecheck.evidence_tag import evidence_tag
from hedgecheck.findings import FindingPolicy, quoted_severity
from hedgecheck.gate import label_gate_findings, main_claims
from hedgecheck.lexicon import Lexicon
from hedgecheck.loader import default_rules
from hedgecheck.model import Claim, Cue, Edit, Finding, Label, Report, Severity
from hedgecheck.reading import decode
from hedgecheck.report_card import report_card
from hedgecheck.rewrites import rewrite_of
from hedgecheck.ruleset import RuleSet
from hedgecheck.scoring import assess
from hedgecheck.selectors import Vocabulary
from hedgecheck.study import StudyReading
from hedgecheck.suppressions import Directive, find_directives, suppress, unused_finding
from hedgecheck.text import LineIndex


def check(
    text: str | bytes,
    *,
    title: str | None = None,
    rules: RuleSet | None = None,
    path: str | None = None,
    format: str = "text",
    policy: FindingPolicy | None = None,
    budget: ScanBudget | None = None,
) -> Report:
    """Find the claims in ``text`` and label each one's confidence, with the cues behind it.

    ``format`` is how to read ``text``: "text", "markdown", "html" or "docx". Every offset,
    line and column in the report points into ``text`` as given, whatever markup it holds;
    a Word document ("docx", needs ``hedgecheck[docx]``) must be its file's bytes, and its
    positions point into its extracted text, one line per paragraph (the report's
    ``source``; see :mod:`hedgecheck.documents.docx`).
    ``text`` may be bytes (or a bytearray or memoryview), read as a file's bytes are
    (:func:`text_of`): offsets then count characters of the decoded text, and bytes that are
    not text are an :class:`InputError`.
    ``title``, when given, is the headline (its claim's offsets point into ``title`` and its
    ``line`` is 0); otherwise the document's own headline is used. ``policy`` selects and
    grades the findings, and its label gate makes each main claim at or below the gate an
    LBL001 finding (``hedgecheck.gate``); inline ``hedgecheck:`` directives in ``text``
    suppress them.
    ``budget`` is what the rules of packs outside the shipped ones may spend matching
    (``hedgecheck.budget``): pass one :class:`ScanBudget` to every call of a run so that a
    rule switched off stays off and the run's budgets count; without one each call has a
    fresh budget. A rule switched off is named in the report's ``errors``.
    An argument of the wrong type is an :class:`ArgumentTypeError` (a :class:`UsageError`
    and a TypeError), an unknown ``format`` a :class:`UsageError`.
    """
    path = check_arguments(
        text, title=title, rules=rules, path=path, format=format, policy=policy, budget=budget
    )
    document, warnings = _read(text, path=path, format=format)
    report = check_document(
        document,
        title=title,
        rules=rules,
        path=path,
        policy=policy,
        budget=budget,
    )
    return replace(report, warnings=warnings) if warnings else report


def check_document(
    document: Document,
    *,
    title: str | None = None,
    rules: RuleSet | None = None,
    path: str | None = None,
    policy: FindingPolicy | None = None,
    budget: ScanBudget | None = None,
) -> Report:
    """``check`` on a document already read (its arguments already checked): what
    ``hedgecheck.parts`` uses for a part of an HTML file read in one pass. Each call is a
    file to ``budget`` (its per-file budgets start again)."""
    text = document.source
    ruleset = rules if rules is not None else default_rules()
    budget = budget if budget is not None else ScanBudget()
    budget.start_file()
    analysis = analyse(document.text, ruleset, title=title, blocks=document.blocks, budget=budget)
    errors = analysis.problems
    where = _Positions(document, LineIndex(document.source))
    reading = _study_reading(analysis)
    described = _described_study(reading)
    shared: _SharedCues = {}
    study_cues = tuple(
        _cue(c, where, c.rule.weight, in_title=False, shared=shared) for c in analysis.study_cues
    )
    claims = tuple(
        _claim(item, analysis, ruleset, where, described, shared)
        for item in analysis.sentences
        if item.claim
    )
    headline = next((c.text for c in claims if c.headline), None)
    article = _article(analysis, claims, where, reading)
    texts = _Texts(document.text, title or "", ruleset.lexicon)
    raised = _cue_findings(analysis, where, texts) + run_checks(article, ruleset)
    policy = policy or FindingPolicy()
    label = _article_label(claims)
    gated = label_gate_findings(claims, label, policy.label_gate)
    directives = find_directives(text)
    findings = _select(raised + gated, directives, policy)
    errors += _unknown_codes(directives, ruleset, path)
    return Report(
        label=label,
        headline=headline,
        claims=claims,
        findings=findings,
        evidence_tag=evidence_tag(article),
        report_card=report_card(article, [f for f, _ in raised]),
        study_cues=study_cues,
        path=path,
        input_format=document.format,
        errors=errors,
        source=text,
    )


def check_arguments(
    text: object,
    *,
    title: object = None,
    rules: object = None,
    path: object = None,
    format: object = "text",
    policy: object = None,
    budget: object = None,
    function: str = "check",
) -> str | None:
    """Refuse what ``check`` cannot read (the document reader names an unknown format);
    the path as str."""
    require_text(text, argument=f"{function}(): text")
    require(title, (str, type(None)), argument=f"{function}(): title")
    require(rules, (RuleSet, type(None)), argument=f"{function}(): rules")
    require(format, str, argument=f"{function}(): format")
    require(policy, (FindingPolicy, type(None)), argument=f"{function}(): policy")
    require(budget, (ScanBudget, type(None)), argument=f"{function}(): budget")
    return None if path is None else path_text(path, argument=f"{function}(): path")


def text_of(
    text: str | bytes | bytearray | memoryview, *, path: str | None, function: str = "check"
) -> tuple[str, tuple[str, ...]]:
    """``text`` as str, with the warnings its reading gave. Bytes are read as a file's bytes
    are (:func:`hedgecheck.reading.decode`): a byte-order mark chooses UTF-8, -16 or -32,
    else UTF-8, with bytes that are not UTF-8 read as U+FFFD and a warning; binary data
    (NUL bytes, a PDF or image signature, mostly control characters) is an InputError."""
    if isinstance(text, str):
        return text, ()
    name = path or f"{function}(): text"
    source = decode(bytes(text), name=name)
    if isinstance(source, InputError):
        # The reader's words are for a scan, which skips the file and goes on; here the
        # call fails.
        raise InputError(str(source).removesuffix(", skipped"))
    return source.text, source.warnings


def _read(
    text: str | bytes | bytearray | memoryview, *, path: str | None, format: str
) -> tuple[Document, tuple[str, ...]]:
    """The document ``text`` holds, and the warnings reading it gave. A Word document is
    read from its bytes, never decoded: to the text reader a zip archive is binary."""
    if format != "docx":
        source, warnings = text_of(text, path=path)
        return read_document(source, format=format), warnings
    if isinstance(text, str):
        raise UsageError(
            "check(): a Word document (format='docx') is read from its bytes: pass the "
            "file's bytes (open(path, 'rb').read()), not text"
        )
    from hedgecheck.documents.docx import read_docx

    return read_docx(bytes(text), name=path or "check(): text"), ()


@dataclass(frozen=True, slots=True)
class _Positions:
    """Prose offsets to source offsets, lines and columns."""

    document: Document
    lines: LineIndex

    def span(self, start: int, end: int, *, in_title: bool) -> tuple[int, int, int, int]:
        """Source start, end, 1-based line and column (line 0 inside a separate title)."""
        if in_title:
            return start, end, 0, start + 1
        source_map = self.document.source_map
        first, last = source_map.start(start), source_map.end(end)
        line, column = self.lines.position(first)
        return first, last, line, column


def _study_reading(analysis: Analysis) -> StudyReading:
    """The article's own study as the text describes it. The reading needs the sentences'
    cues only, so it is made before any claim is scored, and the scored article reuses it
    (its basis names sentences only to locate their cues)."""
    return Article(
        tuple(ArticleSentence(item, None) for item in analysis.sentences),
        analysis.study_cues,
        lambda start, end, in_title: (start, end, 0, 0),
    ).study()


def _described_study(reading: StudyReading) -> tuple[ScopedCue, ...]:
    """The mentions that the evidence tag's study design rests on ("followed 400,000 adults
    for 13 years", "the FDA has approved"), as evidence stated about the article's own study:
    a headline rests on the study the body describes, however the body describes it."""
    return tuple(
        ScopedCue(cue.match, cue.scope_start, cue.scope_end, document=True, quoted=cue.quoted)
        for _, cue in reading.design_basis
        if not cue.quoted
    )


def _claim(
    item: SentenceCues,
    analysis: Analysis,
    rules: RuleSet,
    where: _Positions,
    described: tuple[ScopedCue, ...] = (),
    shared: _SharedCues | None = None,
) -> Claim:
    sentence = item.sentence
    in_title = sentence.index < 0
    result = assess(
        item,
        analysis.study_cues,
        rules.scoring,
        study_evidence=(*analysis.study_evidence, *described),
        lexicon=rules.lexicon,
    )
    start, end, line, column = where.span(sentence.start, sentence.end, in_title=in_title)
    return Claim(
        text=sentence.text,
        start=start,
        end=end,
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
            _cue(c, where, result.weight_of(c), in_title=in_title and not c.document, shared=shared)
            for c in result.cues
        ),
        explanation=result.explanation,
        confidence=round(result.confidence, 4),
        block=sentence.block,
    )


# A study-level cue's Cue by (id of its ScopedCue, weight): a study cue governs every
# primary claim, and one Cue object shared by them all (and by the report's study cues)
# costs nothing per claim; tens of thousands of claims each held their own copies.
_SharedCues = dict[tuple[int, float], Cue]


def _cue(
    cue: ScopedCue,
    where: _Positions,
    weight: float,
    *,
    in_title: bool,
    shared: _SharedCues | None = None,
) -> Cue:
    if not cue.document or shared is None:
        return _new_cue(cue, where, weight, in_title=in_title)
    key = (id(cue), weight)  # the ScopedCue lives as long as the analysis that shares it
    made = shared.get(key)
    if made is None:
        made = shared[key] = _new_cue(cue, where, weight, in_title=in_title)
    return made


def _new_cue(cue: ScopedCue, where: _Positions, weight: float, *, in_title: bool) -> Cue:
    match = cue.match
    start, end, line, column = where.span(match.start, match.end, in_title=in_title)
    reach = where.span(cue.scope_start, cue.scope_end, in_title=in_title)[:2]
    return Cue(
        rule=match.rule.id,
        name=match.rule.name,
        category=match.rule.category,
        text=match.text,
        start=start,
        end=end,
        line=line,
        column=column,
        weight=weight,
        scope="document" if cue.document else "sentence",
        value=match.rule.value,
        kind=match.rule.kind,
        quoted=cue.quoted,
        scope_span=None if cue.document else reach,
    )


def _article(
    analysis: Analysis, claims: tuple[Claim, ...], where: _Positions, reading: StudyReading
) -> Article:
    remaining = iter(claims)
    sentences = tuple(
        ArticleSentence(item, next(remaining) if item.claim else None)
        for item in analysis.sentences
    )

    def locate(start: int, end: int, in_title: bool) -> tuple[int, int, int, int]:
        return where.span(start, end, in_title=in_title)

    return Article(sentences, analysis.study_cues, locate, _reading=[reading])


@dataclass(frozen=True, slots=True)
class _Texts:
    """What a finding's rewrite is made on: the prose (or the separate title) its cue was
    found in, and the lexicon the rewrite's grammar reads."""

    prose: str
    title: str
    lexicon: Lexicon


def _cue_findings(
    analysis: Analysis, where: _Positions, texts: _Texts
) -> list[tuple[Finding, str]]:
    """A finding for every cue of a rule with a severity, in prose."""
    raised: list[tuple[Finding, str]] = []
    for item in analysis.sentences:
        if item.sentence.role in ("furniture", "heading"):
            continue
        in_title = item.sentence.index < 0
        for cue in item.cues:
            if cue.rule.severity is not None:
                finding = _cue_finding(cue, where, texts, in_title=in_title)
                raised.append((finding, cue.rule.category))
    return raised


def _select(
    raised: list[tuple[Finding, str]], directives: list[Directive], policy: FindingPolicy
) -> tuple[Finding, ...]:
    """The findings the policy wants, at its severities, less the suppressed ones."""
    wanted = [
        (policy.graded(f, category), category)
        for f, category in raised
        if policy.wants(f, category)
    ]
    kept, unused = suppress(wanted, directives)
    findings = [f for f, _ in kept]
    if policy.report_unused_suppressions:
        findings.extend(unused_finding(d) for d in unused)
    return tuple(sorted(findings, key=lambda f: (f.start, f.end, f.code)))


def _unknown_codes(
    directives: list[Directive], rules: RuleSet, path: str | None
) -> tuple[str, ...]:
    """An error for each code in a directive that names no rule, check or category: a typo
    there (``ignore[HYP999]``) would silently suppress nothing."""
    if not any(d.codes for d in directives):
        return ()
    vocabulary = Vocabulary.of(rules)
    # No line: in a big file checked in parts it would count from the part, not the file.
    where = f"{path}: " if path else ""
    return tuple(
        f"{where}hedgecheck: {d.verb}[{', '.join(d.codes)}]: {code!r} names no rule id, id "
        "prefix, rule name or category"
        for d in directives
        for code in vocabulary.unknown(d.codes)
    )


def _cue_finding(cue: ScopedCue, where: _Positions, texts: _Texts, *, in_title: bool) -> Finding:
    rule = cue.rule
    start, end, line, column = where.span(cue.match.start, cue.match.end, in_title=in_title)
    edit = _edit(cue, where, texts, in_title=in_title) if rule.rewrites else None
    severity = Severity(rule.severity or "info")
    return Finding(
        code=rule.id,
        name=rule.name,
        severity=quoted_severity(severity) if cue.quoted else severity,
        message=rule.summary,
        text=cue.match.text,
        start=start,
        end=end,
        line=line,
        column=column,
        suggestion=rule.suggestion,
        quoted=cue.quoted,
        edit=edit,
    )


def _edit(cue: ScopedCue, where: _Positions, texts: _Texts, *, in_title: bool) -> Edit | None:
    """The rule's rewrite of the cue, in source offsets; none where the words it replaces
    hold markup (an edit across "**" or a tag would break the file's structure)."""
    prose = texts.title if in_title else texts.prose
    found = rewrite_of(prose, cue.match.start, cue.match.end, cue.rule, lexicon=texts.lexicon)
    if found is None:
        return None
    start, end, _, _ = where.span(found.start, found.end, in_title=in_title)
    source = prose if in_title else where.document.source
    if source[start:end] != prose[found.start : found.end]:
        return None
    return Edit(start=start, end=end, text=source[start:end], replacement=found.replacement)


def _article_label(claims: tuple[Claim, ...]) -> Label | None:
    """The lower median label of the main claims (headline and the study's own claims)."""
    main = main_claims(claims)
    if not main:
        return None
    ranks = sorted(c.label.rank for c in main)
    return Label.from_rank(ranks[(len(ranks) - 1) // 2])
