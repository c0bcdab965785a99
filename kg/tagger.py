"""jieba's part-of-speech tagger with an exact, faster search of its model's states (kg.lexicon's
tokenizer). Its own module, imported where text is tagged: loading jieba's model takes half a
second, which a rebuild that reads every document from the extraction cache need not spend."""

from __future__ import annotations

import jieba.posseg
from jieba.posseg.viterbi import MIN_FLOAT as _MIN_FLOAT  # an emission jieba's model has no figure for

# jieba's part-of-speech model (jieba.posseg, 0.42): the states a character can take, the start,
# transition and emission log-probabilities; states are (B|M|E|S, tag) pairs.
_CHAR_STATES = jieba.posseg.char_state_tab_P
_START = jieba.posseg.start_P
_TRANSITIONS = jieba.posseg.trans_P
_EMISSIONS = jieba.posseg.emit_P
# The states each state can be followed by (most can be followed by about 20 of the 256).
_NEXT_STATES = {state: frozenset(following) for state, following in _TRANSITIONS.items()}


def tag_states(run: str) -> list[tuple[str, str]]:
    """The most likely (B|M|E|S, tag) state of each character of a run of Chinese characters, as
    ``jieba.posseg.viterbi`` finds it: the same states, scores and ties.

    jieba scores every pair of a character's possible states and the previous character's, though
    a state can follow only about 20 of the 256; here only the pairs that can follow each other
    are scored, which is 4-5 times faster. A state no previous state can reach scores -inf from
    the greatest previous state, as jieba's ``max`` over (score, state) pairs finds it.
    """
    all_states = _TRANSITIONS.keys()
    char = run[0]
    scores = {state: _START[state] + _EMISSIONS[state].get(char, _MIN_FLOAT) for state in _CHAR_STATES.get(char, all_states)}
    back_pointers = []
    for char in run[1:]:
        previous = [(state, score) for state, score in scores.items() if _NEXT_STATES[state]]
        expected = set().union(*[_NEXT_STATES[state] for state, _ in previous])
        candidates = expected.intersection(_CHAR_STATES.get(char, all_states)) or expected or set(all_states)
        best: dict[tuple[str, str], tuple[float, tuple[str, str]]] = {}
        for before, score in previous:
            transitions = _TRANSITIONS[before]
            for state in _NEXT_STATES[before] & candidates:
                # (score + transition) + emission: jieba's order of additions, so the same floats
                scored = (score + transitions[state] + _EMISSIONS[state].get(char, _MIN_FLOAT), before)
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


class PosTagger(jieba.posseg.POSTokenizer):
    """jieba's POSTokenizer with its model's states found by ``tag_states``: the same tokens."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        if tokenizer.dictionary != jieba.posseg.dt.tokenizer.dictionary:  # another dictionary than jieba's
            super().__init__(tokenizer)
            return
        # The words' tags of jieba's dictionary, which jieba.posseg read from its file as it
        # loaded (for its own tagger): copied, not read again (349,000 lines, half a second).
        self.tokenizer = tokenizer
        self.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)

    def _POSTokenizer__cut(self, sentence: str):
        # jieba.posseg.POSTokenizer.__cut with tag_states in place of viterbi.
        states = tag_states(sentence)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            position, tag = states[i]
            if position == "B":
                begin = i
            elif position == "E":
                yield jieba.posseg.pair(sentence[begin : i + 1], tag)
                nexti = i + 1
            elif position == "S":
                yield jieba.posseg.pair(char, tag)
                nexti = i + 1
        if nexti < len(sentence):
            yield jieba.posseg.pair(sentence[nexti:], states[nexti][1])
