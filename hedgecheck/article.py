"""The article as the editorial checks, the evidence tag and the report card read it.

Labels say how much to trust each claim; the article-level readers say what an editor
should fix and what the article tells of its study. They read the claims as scored and the
editorial cues of the second matcher pass (sources, risk figures, advice, costs, harms…),
so they explain themselves by the same cues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from hedgecheck.engine import ScopedCue, SentenceCues
from hedgecheck.model import Claim, Mention
from hedgecheck.study import NOT_REVIEWED, StudyReading, read_study

# (start, end, in_title) of prose offsets -> (start, end, line, column) in the source
Locate = Callable[[int, int, bool], tuple[int, int, int, int]]


@dataclass(frozen=True, slots=True)
class ArticleSentence:
    """One analysed sentence of the article with its scored claim, when it is one."""

    item: SentenceCues
    claim: Claim | None

    @property
    def in_title(self) -> bool:
        return self.item.sentence.index < 0


@dataclass(frozen=True, slots=True)
class Article:
    """What the checks read: every sentence, the study-level cues, and how to locate spans."""

    sentences: tuple[ArticleSentence, ...]
    study_cues: tuple[ScopedCue, ...]
    locate: Locate
    # The study reading, worked out once: every check and the tag ask for it.
    _reading: list[StudyReading] = field(default_factory=list, repr=False, compare=False)
    # The prose's editorial cues by category, gathered once: the checks and the report card
    # ask for some forty categories, and walking every sentence for each was a hot path.
    _notes: list[dict[str, list[tuple[ArticleSentence, ScopedCue]]]] = field(
        default_factory=list, repr=False, compare=False
    )

    @property
    def claims(self) -> list[Claim]:
        return [s.claim for s in self.sentences if s.claim is not None]

    @property
    def headline(self) -> Claim | None:
        return next((c for c in self.claims if c.headline), None)

    @property
    def main(self) -> list[Claim]:
        """The body's claims about the article's own study."""
        return [c for c in self.claims if c.primary and not c.headline]

    def prose(self) -> Iterator[ArticleSentence]:
        return (s for s in self.sentences if s.item.sentence.role not in ("furniture", "heading"))

    def notes(
        self, category: str, kind: str | None = None
    ) -> Iterator[tuple[ArticleSentence, ScopedCue]]:
        """The prose's editorial cues of ``category`` (and ``kind``), in text order."""
        for sentence, note in self._notes_by_category().get(category, ()):
            if kind is None or note.rule.kind == kind:
                yield sentence, note

    def _notes_by_category(self) -> dict[str, list[tuple[ArticleSentence, ScopedCue]]]:
        if not self._notes:
            found: dict[str, list[tuple[ArticleSentence, ScopedCue]]] = {}
            for sentence in self.prose():
                for note in sentence.item.notes:
                    found.setdefault(note.rule.category, []).append((sentence, note))
            self._notes.append(found)
        return self._notes[0]

    def mention(self, cue: ScopedCue, sentence: ArticleSentence) -> Mention:
        start, end, line, column = self.locate(cue.match.start, cue.match.end, sentence.in_title)
        return Mention(cue.rule.id, cue.match.text, start, end, line, column)

    def study_mention(self, cue: ScopedCue) -> Mention:
        """A study-level cue located in the source (study cues are never in the title)."""
        start, end, line, column = self.locate(cue.match.start, cue.match.end, False)
        return Mention(cue.rule.id, cue.match.text, start, end, line, column)

    def design(self) -> str | None:
        """The design of the article's own study (see ``study``)."""
        return self.study().design

    def subjects(self) -> str | None:
        """Who the article's own study was done in (see ``study``)."""
        return self.study().subjects

    def study(self) -> StudyReading:
        """The article's own study as the text describes it (``hedgecheck.study``)."""
        if not self._reading:
            self._reading.append(read_study(self))
        return self._reading[0]

    def review_status(self) -> tuple[str, list[ScopedCue]]:
        """Peer review as the text states it, with the cues it rests on: an explicit "not
        peer-reviewed", preprint or "not yet published" says no; else a journal
        publication says yes (a talk at a meeting as well does not undo it); else a
        conference presentation alone says no; else it is not stated."""
        cues = self.publication()
        unreviewed = [c for c in cues if c.rule.value in NOT_REVIEWED]
        if any(c.rule.value != "conference" for c in unreviewed):
            return "no", unreviewed
        # The journal may be named in a sentence of its own ("Results were published today
        # in the Lancet") that says nothing else about the study; earlier work's do not count.
        journal = [c for c in cues if c.rule.value == "peer_reviewed"] or [
            cue
            for sentence in self.prose()
            if not sentence.item.background
            for cue in sentence.item.cues
            if cue.rule.category == "publication" and cue.rule.value == "peer_reviewed"
        ]
        if journal:
            return "yes", journal
        return ("no", unreviewed) if unreviewed else ("not stated", [])

    def publication(self) -> list[ScopedCue]:
        return [c for c in self.study_cues if c.rule.category == "publication"]
