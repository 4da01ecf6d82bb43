"""The words and patterns that decide language, as pack data: ``[[lexicon]]`` entries.

The analysis reads English through a few dozen word lists and patterns: the names of months
in a date stamp, the page's controls ("Skip to main content"), the abbreviations after which
no sentence ends ("Dr."), the verbs after which "to" opens no clause ("appears to"). Each is
an entry of a pack, with an id, a source and examples, like a rule, so that a house pack can
change it: an entry with the name of one loaded before it replaces that one. The code knows
each entry by its name (``USES``) and applies it one way; ``hedgecheck rules test`` applies
the entry's examples the same way.

A rule set carries the lexicon its packs give (``RuleSet.lexicon``), compiled with it into
the rule cache. An entry its packs do not give (a rule set of house packs alone) is the
default packs' entry, from ``default_rules()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from hedgecheck.errors import RuleError
from hedgecheck.patterns import compiled
from hedgecheck.schema import RESERVED_IDS, Documented


@dataclass(frozen=True, slots=True)
class Use:
    """How the analysis applies an entry, and so how its examples are applied: ``how`` is
    "words" (each word of the text is one of the entry's words), "fullmatch", "match" (at
    the start) or "search"; with ``before`` the text is what precedes a cue in a sentence
    (marked in each example as ``[[cue]]``), its trailing white space left out."""

    how: str
    where: str
    before: bool = False

    @property
    def needs_words(self) -> bool:
        return self.how == "words"

    def describe(self) -> str:
        target = "the text before a cue, trailing white space left out" if self.before else ""
        how = {
            "words": "each word looked up in the list",
            "fullmatch": f"matched against the whole of {target or 'the text'}",
            "match": f"matched at the start of {target or 'the text'}",
            "search": f"searched for anywhere in {target or 'the text'}",
        }[self.how]
        return f"{self.where}; {how}"


_LINE = "page lines (hedgecheck.pagelines)"
_HEAD = "the headline (hedgecheck.headlines)"
_STRENGTH = "claim strength (hedgecheck.strength)"

# Every entry the analysis reads, by name. A pack's entry must name one of them.
USES: dict[str, Use] = {
    "stamp-label": Use("match", f"{_LINE}: the label of a date stamp, before its date"),
    "date-stamp": Use("fullmatch", f"{_LINE}: one part of a date stamp line, after its label"),
    "reading-time": Use("fullmatch", f"{_LINE}: a reading time as a part of a date stamp line"),
    "relative-time": Use("search", f"{_LINE}: what dates a stamp line that has no digit"),
    "age-note": Use("fullmatch", f"{_LINE}: a whole line noting the story's age"),
    "page-controls": Use("fullmatch", f"{_LINE}: a whole line of the page's controls"),
    "cookie-notice": Use("search", f"{_LINE}: a line that is a cookie notice"),
    "byline": Use("match", f"{_LINE}: a whole line, or a part of a date stamp line"),
    "photo-credit": Use(
        "search", f"{_LINE}: a caption's credit; its clue also keeps a line from a standfirst"
    ),
    "link-label": Use("match", f"{_LINE}: a link or citation behind a label"),
    "box-heading": Use("match", f"{_LINE}: the heading of a box; the line under it is the box's"),
    "section-words": Use("words", f"{_HEAD}: a kicker made of section names and small words"),
    "small-words": Use("words", f"{_LINE}: words a title leaves in lower case"),
    "abbreviations": Use(
        "words", "sentence splitting (hedgecheck.sentences): the word before a full stop"
    ),
    "correlational-participles": Use(
        "match", f"{_STRENGTH}: a correlational cue that may modify a noun"
    ),
    "copulas": Use("search", f"{_STRENGTH}: makes a participle the predicate", before=True),
    "clause-openers": Use(
        "search", f"{_STRENGTH}: a verb that opens a relative or infinitive clause", before=True
    ),
    "raising-verbs": Use(
        "words", f"{_STRENGTH}: the word before a clause opener's 'to' that keeps it the predicate"
    ),
    "research-subjects": Use(
        "match", f"{_STRENGTH}: research still to be done as a modal's subject", before=True
    ),
    "yes-no-question": Use("match", f"{_STRENGTH}: a sentence that asks whether a relation holds"),
    "opening-coordinate": Use(
        "fullmatch", f"{_STRENGTH}: an opening -ed adjective and its noun", before=True
    ),
    "earlier-work": Use("search", f"{_STRENGTH}: a background cue that names earlier work"),
    "unqualified-research": Use(
        "match", f"{_STRENGTH}: a background cue that may name the present study"
    ),
    "subject-openings": Use(
        "fullmatch", f"{_STRENGTH}: what may stand before a sentence's subject", before=True
    ),
    "ing-form": Use("fullmatch", f"{_STRENGTH}: the first word of a relation cue"),
    "ed-form": Use("fullmatch", f"{_STRENGTH}: a one-word relation cue that opens a sentence"),
    "an-openings": Use(
        "fullmatch", "rewrites (hedgecheck.rewrites): a word that takes 'an' rather than 'a'"
    ),
}

_KEYS = {
    "id",
    "name",
    "summary",
    "why",
    "source",
    "words",
    "patterns",
    "case_sensitive",
    "clue",
    "examples",
}
_REQUIRED = ("id", "name", "summary", "why", "source", "examples")
_CUE_MARK = compiled(r"\[\[(.+?)\]\]")


@dataclass(frozen=True, slots=True)
class LexiconEntry(Documented):
    """One ``[[lexicon]]`` entry as its pack states it (fragments written out). Examples
    of an entry applied before a cue keep their ``[[cue]]`` mark."""

    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    case_sensitive: bool = False
    clue: str | None = None
    match_examples: tuple[str, ...] = ()
    no_match_examples: tuple[str, ...] = ()

    @property
    def use(self) -> Use:
        return USES[self.name]


@dataclass(frozen=True, slots=True)
class Term:
    """An entry compiled: its words (case-folded unless case-sensitive), a pattern for them
    or its own patterns, and the clue a text must hold before the pattern is tried."""

    pattern: regex.Pattern[str]
    words: frozenset[str]
    case_sensitive: bool
    clue: regex.Pattern[str] | None = None

    def has(self, word: str) -> bool:
        """Whether ``word`` is one of the entry's words (in any case, unless case-sensitive)."""
        return (word if self.case_sensitive else word.lower()) in self.words

    def found_in(self, text: str) -> bool:
        """Whether the pattern is found in ``text`` (its clue first, when it has one)."""
        if self.clue is not None and self.clue.search(text) is None:
            return False
        return self.pattern.search(text) is not None


@dataclass(frozen=True)
class Lexicon:
    """The entries of a rule set's packs, each compiled once (and pickled compiled with the
    rule set); ``term(name)`` falls back on the default packs' entry. ``replaced`` are the
    entries a later pack's entry of the same name replaced."""

    entries: tuple[LexiconEntry, ...] = ()
    replaced: tuple[LexiconEntry, ...] = ()
    terms: Mapping[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", {e.name: compile_entry(e) for e in self.entries})

    def term(self, name: str) -> Term:
        """The compiled entry ``name`` (one of ``USES``): this lexicon's, or the default
        packs'."""
        found = self.terms.get(name)
        return found if found is not None else default_lexicon().terms[name]

    def get(self, entry_id: str) -> LexiconEntry | None:
        return next((e for e in (*self.entries, *self.replaced) if e.id == entry_id), None)


def default_lexicon() -> Lexicon:
    """The default packs' lexicon, from the shipped or the user's rule cache."""
    from hedgecheck.loader import default_rules

    return default_rules().lexicon


def resolved(lexicon: Lexicon | None) -> Lexicon:
    return lexicon if lexicon is not None else default_lexicon()


def compile_entry(entry: LexiconEntry) -> Term:
    flags = 0 if entry.case_sensitive else regex.IGNORECASE
    if entry.words:
        # longest first, so that no word stops a longer one it begins ("be", "being")
        spelled = sorted(entry.words, key=lambda w: (-len(w), w))
        source = r"(?<!\w)(?:" + "|".join(regex.escape(w) for w in spelled) + r")(?!\w)"
    elif len(entry.patterns) == 1:
        source = entry.patterns[0]
    else:
        source = "|".join(f"(?:{p})" for p in entry.patterns)
    words = entry.words if entry.case_sensitive else tuple(w.lower() for w in entry.words)
    clue = regex.compile(entry.clue) if entry.clue is not None else None
    return Term(regex.compile(source, flags), frozenset(words), entry.case_sensitive, clue)


def text_before(text: str, end: int) -> str:
    """``text[:end]`` without its trailing white space (as ``str.isspace`` tells it, the
    information separators \\x1c-\\x1f included): what an entry applied before a cue reads."""
    return text[:end].rstrip()


def applies(entry: LexiconEntry, term: Term, example: str) -> bool:
    """Whether ``term`` (the compiled ``entry``) applies to an example as the analysis
    applies it."""
    use = entry.use
    text = example
    if use.before:
        cue = _CUE_MARK.search(example)
        text = text_before(example, cue.start()) if cue else example
    if use.needs_words:
        return all(term.has(word) for word in text.split())
    if term.clue is not None and term.clue.search(text) is None:
        return False
    return getattr(term.pattern, use.how)(text) is not None


# -- loading -----------------------------------------------------------------------------


def read_lexicon(
    packs: Sequence[tuple[Path, Mapping[str, Any]]], *, taken: Mapping[str, str]
) -> tuple[Lexicon, tuple[str, ...]]:
    """The lexicon of ``packs`` (each path with its parsed TOML), in load order: an entry
    replaces one of its name from an earlier pack, which the notices say. Ids are unique
    among the entries and the rules' and checks' ids in ``taken`` (id: file)."""
    chosen: dict[str, LexiconEntry] = {}
    replaced: list[LexiconEntry] = []
    seen = dict(taken)
    notices: list[str] = []
    for path, data in packs:
        raw = data.get("lexicon", [])
        if not isinstance(raw, list):
            raise RuleError(
                "expected an array of tables [[lexicon]]", path=str(path), key="lexicon"
            )
        if not raw:
            continue
        fragments = _fragments(data, path)
        names: dict[str, str] = {}
        for item in raw:
            entry = parse_entry(item, path, str(data["pack"]["name"]), fragments)
            if entry.id in RESERVED_IDS:
                raise _error("id reserved for a finding hedgecheck raises itself", entry, "id")
            if entry.id in seen:
                raise _error(f"duplicate id (also in {seen[entry.id]})", entry, "id")
            if entry.name in names:
                raise _error(
                    f"entry {entry.name!r} is already given by {names[entry.name]}", entry, "name"
                )
            seen[entry.id] = entry.file
            names[entry.name] = entry.id
            earlier = chosen.get(entry.name)
            if earlier is not None:
                replaced.append(earlier)
                notices.append(
                    f"{entry.file}, lexicon entry {entry.id!r} ({entry.name}) replaces "
                    f"{earlier.id!r} of {earlier.file}"
                )
            chosen[entry.name] = entry
    return Lexicon(tuple(chosen.values()), tuple(replaced)), tuple(notices)


def _error(message: str, entry: LexiconEntry, key: str) -> RuleError:
    return RuleError(message, path=entry.file, rule=entry.id, key=key)


def _fragments(data: Mapping[str, Any], path: Path) -> dict[str, str]:
    from hedgecheck.packfile import parse_fragments  # the rule loader's own, for one grammar

    return parse_fragments(data.get("fragments", {}), path)


def parse_entry(item: Any, path: Path, pack: str, fragments: Mapping[str, str]) -> LexiconEntry:
    """One ``[[lexicon]]`` table, checked as strictly as a rule: errors name the file, the
    entry's id and the key."""
    from hedgecheck.packfile import expand_fragments, flag_field, opened_table, text_field
    from hedgecheck.patternsafety import checked_patterns

    eid, fail = opened_table(
        item, path, table="lexicon", keys=_KEYS, required=_REQUIRED, example="LEX001"
    )
    name = item["name"]
    if not isinstance(name, str) or name not in USES:
        raise fail(f"no such lexicon entry (known: {', '.join(sorted(USES))})", "name")
    use = USES[name]
    case_sensitive = flag_field(item, "case_sensitive", False, fail)
    if ("words" in item) == ("patterns" in item):
        raise fail("give either words or patterns", "words" if "words" in item else "patterns")
    if use.needs_words and "words" not in item:
        raise fail("the analysis looks words up in this entry: give words", "patterns")
    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    if "words" in item:
        words = _words(item["words"], fail)
    else:
        raw = expand_fragments(item["patterns"], fragments, fail)
        patterns = checked_patterns(raw, case_sensitive, fail)
    clue = _clue(item, fragments, fail) if "clue" in item else None
    match, no_match = _examples(item["examples"], use, fail)
    return LexiconEntry(
        id=eid,
        name=name,
        summary=text_field(item, "summary", fail),
        why=text_field(item, "why", fail),
        source=text_field(item, "source", fail),
        pack=pack,
        file=str(path),
        words=words,
        patterns=patterns,
        case_sensitive=case_sensitive,
        clue=clue,
        match_examples=match,
        no_match_examples=no_match,
    )


def _clue(item: Mapping[str, Any], fragments: Mapping[str, str], fail: Any) -> str:
    """The clue: one pattern (case-sensitive: ``(?i:...)`` where case does not matter),
    checked as a rule's patterns are."""
    from hedgecheck.packfile import expand_fragments
    from hedgecheck.patternsafety import checked_patterns

    def at_clue(message: str, _: str) -> RuleError:
        return fail(message, "clue")

    if not isinstance(item["clue"], str):
        raise fail("expected a regex pattern", "clue")
    return checked_patterns(expand_fragments([item["clue"]], fragments, at_clue), True, at_clue)[0]


def _words(raw: Any, fail: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("expected a non-empty list of words", "words")
    for index, word in enumerate(raw):
        if not isinstance(word, str) or not word or len(word.split()) != 1 or word != word.strip():
            raise fail("expected a word: no white space in it", f"words[{index}]")
    return tuple(raw)


def _examples(raw: Any, use: Use, fail: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from hedgecheck.packfile import example_lists

    lists = example_lists(raw, fail)
    for key, items in lists.items():
        for item in items:
            marks = len(_CUE_MARK.findall(item))
            if use.before and marks != 1:
                raise fail(
                    f"example must mark the cue it stands before, once: {item!r}", f"examples.{key}"
                )
            if not use.before and marks:
                raise fail(
                    f"this entry is applied to the whole text, mark nothing: {item!r}",
                    f"examples.{key}",
                )
    return tuple(lists["match"]), tuple(lists["no_match"])
