"""jieba's tokenizer and part-of-speech tagger (jieba.posseg, 0.42) loaded faster, with an
exact, faster search of the tagger's states: kg.lexicon's tokenizer.

jieba reads its dictionary's cache file with ``marshal.load`` on the open file, which reads it a
few bytes at a time (1.1 s), and importing jieba.posseg makes a tagger of its own, which reads
the tags of the dictionary's 349,000 words from its text file (0.6 s). This module keeps the
dictionary, the tagger's tables and the word tags in one marshal file of the tool's cache
folder, written from jieba the first time, and reads it whole (0.5 s). Its tokens are
jieba.posseg's: the same words and tags (the tests compare them). Its own module, imported where
text is tagged: a rebuild that reads every document from the extraction cache loads nothing.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import jieba

# jieba.posseg's patterns: a block it tags, what it splits the rest at, and how it tags that.
HAN_INTERNAL = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+)")
SKIP_INTERNAL = re.compile("(\r\n|\\s)")
HAN_DETAIL = re.compile("([\u4e00-\u9fd5]+)")
SKIP_DETAIL = re.compile("([\\.0-9]+|[a-zA-Z0-9]+)")
ENGLISH = re.compile("[a-zA-Z0-9]+")
NUMBER = re.compile("[\\.0-9]+")
ENGLISH_CHARACTER = re.compile("^[a-zA-Z0-9]$")
# An emission jieba's model has no figure for (jieba.posseg.viterbi.MIN_FLOAT).
MIN_FLOAT = -3.14e100
# The cache file's format; a file of another format is made again.
FORMAT = 2


class Token:
    """A tagged word: jieba.posseg.pair's fields and behaviour (``word, flag = token``)."""

    __slots__ = ("word", "flag")

    def __init__(self, word: str, flag: str):
        self.word = word
        self.flag = flag

    def __iter__(self):
        return iter((self.word, self.flag))

    def __eq__(self, other) -> bool:
        return isinstance(other, Token) and self.word == other.word and self.flag == other.flag

    def __hash__(self) -> int:
        return hash(self.word)

    def __repr__(self) -> str:
        return f"Token({self.word!r}, {self.flag!r})"


@dataclass(frozen=True)
class Model:
    """A jieba dictionary and jieba.posseg's model: the frequency of each word and of each prefix
    of one (0) and their total, as jieba's tokenizer holds them; the states a character can take,
    the start, transition and emission log-probabilities (states are (B|M|E|S, tag) pairs); and
    the tag of each dictionary word."""

    frequencies: dict
    total: int
    char_states: dict
    start: dict
    transitions: dict
    emissions: dict
    word_tags: dict
    # The states each state can be followed by (most can be followed by about 20 of the 256).
    next_states: dict


def new_tokenizer(dictionary: str | None = None) -> jieba.Tokenizer:
    """``jieba.Tokenizer(dictionary)``, initialized as jieba initializes it, from the cache file."""
    tokenizer = jieba.Tokenizer() if dictionary is None else jieba.Tokenizer(dictionary)
    model = load_model(tokenizer.dictionary)
    # What jieba.Tokenizer.initialize sets; a copy, as the tokenizer's own words are added to it.
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(model.frequencies), model.total, True
    return tokenizer


@lru_cache(maxsize=4)
def load_model(dictionary: str | None) -> Model:
    """The dictionary and model of a jieba tokenizer's ``dictionary`` (None: jieba's own file),
    from the cache file, made first if there is none or it is stale. A cache that cannot be
    written is only a slower start."""
    from .cache import default_cache_dir, write_cache_file

    path = os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME) if dictionary is None else dictionary
    status = os.stat(path)
    key = f"{FORMAT}\x1f{jieba.__version__}\x1f{os.path.abspath(path)}\x1f{status.st_size}\x1f{status.st_mtime_ns}"
    cache = default_cache_dir() / f"tagger-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marshal"
    try:
        with open(cache, "rb") as handle:
            stored_key, tables = marshal.loads(handle.read())  # whole: marshal.load reads a file in small pieces
        if stored_key == key:
            os.utime(cache)  # in use: kept from the extraction cache's age limit (kg.cache)
            return _model(*tables)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    tables = _tables_from_jieba(dictionary, path)
    write_cache_file(cache, marshal.dumps((key, tables)))
    return _model(*tables)


def _model(frequencies: dict, total: int, char_states: dict, start: dict, transitions: dict, emissions: dict, word_tags: dict) -> Model:
    next_states = {state: frozenset(following) for state, following in transitions.items()}
    return Model(frequencies, total, char_states, start, transitions, emissions, word_tags, next_states)


def _tables_from_jieba(dictionary: str | None, path: str) -> tuple:
    """The dictionary as jieba's tokenizer loads it, the model's tables from jieba.posseg, and
    the word tags of the dictionary file at ``path`` as jieba.posseg's tagger reads them."""
    import jieba.posseg

    tokenizer = jieba.Tokenizer() if dictionary is None else jieba.Tokenizer(dictionary)
    tokenizer.initialize()
    word_tags = {}
    with open(path, "rb") as handle:
        for line in handle:
            line = line.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                word_tags[word] = sys.intern(tag)
    posseg = jieba.posseg
    return tokenizer.FREQ, tokenizer.total, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P, word_tags


def tag_states(run: str, model: Model | None = None) -> list[tuple[str, str]]:
    """The most likely (B|M|E|S, tag) state of each character of a run of Chinese characters, as
    ``jieba.posseg.viterbi`` finds it: the same states, scores and ties. ``model``: jieba's (its
    default dictionary's) if None.

    jieba scores every pair of a character's possible states and the previous character's, though
    a state can follow only about 20 of the 256; here only the pairs that can follow each other
    are scored, which is 4-5 times faster. A state no previous state can reach scores -inf from
    the greatest previous state, as jieba's ``max`` over (score, state) pairs finds it.
    """
    model = model or load_model(None)
    char_states, transitions, emissions, next_states = model.char_states, model.transitions, model.emissions, model.next_states
    all_states = transitions.keys()
    char = run[0]
    scores = {state: model.start[state] + emissions[state].get(char, MIN_FLOAT) for state in char_states.get(char, all_states)}
    back_pointers = []
    for char in run[1:]:
        previous = [(state, score) for state, score in scores.items() if next_states[state]]
        expected = set().union(*[next_states[state] for state, _ in previous])
        candidates = expected.intersection(char_states.get(char, all_states)) or expected or set(all_states)
        best: dict[tuple[str, str], tuple[float, tuple[str, str]]] = {}
        for before, score in previous:
            following = transitions[before]
            for state in next_states[before] & candidates:
                # (score + transition) + emission: jieba's order of additions, so the same floats
                scored = (score + following[state] + emissions[state].get(char, MIN_FLOAT), before)
                if state not in best or scored > best[state]:
                    best[state] = scored
        unreachable = None
        scores, pointers = {}, {}
        for state in candidates:
            scored = best.get(state)
            if scored is None or scored[0] == float("-inf"):
                if unreachable is None:
                    unreachable = (float("-inf"), max(before for before, _ in previous))
                scored = unreachable
            scores[state], pointers[state] = scored
        back_pointers.append(pointers)
    state = max((score, state) for state, score in scores.items())[1]
    route = [state]
    for pointers in reversed(back_pointers):
        state = pointers[state]
        route.append(state)
    return route[::-1]


class PosTagger:
    """jieba.posseg.POSTokenizer over a jieba tokenizer of our own, with the model's states found
    by ``tag_states``: the same tokens. Its methods follow jieba's, step for step."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        self.tokenizer = tokenizer
        self.model = load_model(tokenizer.dictionary)
        # A copy: the tokenizer's own words (the lexicon's) are added to it.
        self.word_tag_tab = dict(self.model.word_tags)

    def makesure_userdict_loaded(self) -> None:
        if self.tokenizer.user_word_tag_tab:
            self.word_tag_tab.update(self.tokenizer.user_word_tag_tab)
            self.tokenizer.user_word_tag_tab = {}

    def cut(self, sentence: str, HMM: bool = True) -> Iterator[Token]:  # noqa: N803 (jieba's name)
        self.makesure_userdict_loaded()
        cut_block = self._cut_dag if HMM else self._cut_dag_no_hmm
        for block in HAN_INTERNAL.split(sentence):
            if HAN_INTERNAL.match(block):
                yield from cut_block(block)
                continue
            for part in SKIP_INTERNAL.split(block):
                if SKIP_INTERNAL.match(part):
                    yield Token(part, "x")
                    continue
                for char in part:
                    if NUMBER.match(char):
                        yield Token(char, "m")
                    elif ENGLISH.match(part):  # the part, as jieba has it
                        yield Token(char, "eng")
                    else:
                        yield Token(char, "x")

    def cut_states(self, run: str) -> Iterator[Token]:
        """A run of Chinese characters cut and tagged by the model alone."""
        states = tag_states(run, self.model)
        begin, after = 0, 0
        for i, char in enumerate(run):
            position, tag = states[i]
            if position == "B":
                begin = i
            elif position == "E":
                yield Token(run[begin : i + 1], tag)
                after = i + 1
            elif position == "S":
                yield Token(char, tag)
                after = i + 1
        if after < len(run):
            yield Token(run[after:], states[after][1])

    def cut_detail(self, text: str) -> Iterator[Token]:
        """Text outside the dictionary: its Chinese runs to the model, numbers and letters apart."""
        for block in HAN_DETAIL.split(text):
            if HAN_DETAIL.match(block):
                yield from self.cut_states(block)
                continue
            for part in SKIP_DETAIL.split(block):
                if part:
                    yield Token(part, "m" if NUMBER.match(part) else "eng" if ENGLISH.match(part) else "x")

    def _route(self, block: str) -> dict:
        route: dict = {}
        self.tokenizer.calc(block, self.tokenizer.get_DAG(block), route)
        return route

    def _cut_dag_no_hmm(self, block: str) -> Iterator[Token]:
        route, x, letters = self._route(block), 0, ""
        while x < len(block):
            y = route[x][1] + 1
            word = block[x:y]
            if ENGLISH_CHARACTER.match(word):
                letters += word
            else:
                if letters:
                    yield Token(letters, "eng")
                    letters = ""
                yield Token(word, self.word_tag_tab.get(word, "x"))
            x = y
        if letters:
            yield Token(letters, "eng")

    def _cut_dag(self, block: str) -> Iterator[Token]:
        route, x, run = self._route(block), 0, ""
        while x < len(block):
            y = route[x][1] + 1
            word = block[x:y]
            if y - x == 1:
                run += word
            else:
                if run:
                    yield from self._cut_run(run)
                    run = ""
                yield Token(word, self.word_tag_tab.get(word, "x"))
            x = y
        if run:
            yield from self._cut_run(run)

    def _cut_run(self, run: str) -> Iterator[Token]:
        """Single characters the route left: one alone, a dictionary word as its characters,
        else to the model."""
        if len(run) == 1:
            yield Token(run, self.word_tag_tab.get(run, "x"))
        elif not self.tokenizer.FREQ.get(run):
            yield from self.cut_detail(run)
        else:
            for char in run:
                yield Token(char, self.word_tag_tab.get(char, "x"))
