"""kg.lexicon and kg.rules: the declarative input — lexicon tables and genre rule files.

Counts and posts are read with the shipped lexicon; malformed lexicon and rule files are written
to ``tmp_path`` and must fail with a RuleFileError (E200) naming the file, the key and the valid
options.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from types import MappingProxyType

import pytest

from kg.errors import RuleFileError
from kg.lexicon import LEXICON_DIR, load_lexicon
from kg.rules import GENRE_DIR, PATTERN_NAMES, detect_genre, genre_names, load_rules


def cases(table):
    """A table's rows as pytest params: a plain row is ``(id, *values)``; a ``pytest.param`` passes as is."""
    return [row if isinstance(row, type(pytest.param())) else pytest.param(*row[1:], id=row[0]) for row in table]


# --- lexicon: counts ---------------------------------------------------------------------

# (id, text, expected count)
COUNT_CASES = [
    ("ascii-digits", "28", 28),
    ("full-width-digits", "２８", 28),
    ("white-space-around", " 7 ", 7),
    ("liang", "两", 2),
    ("ten", "十", 10),
    ("twelve", "十二", 12),
    ("twenty-eight", "二十八", 28),
    ("hundred-and-five", "一百零五", 105),
    ("two-hundred", "两百", 200),
    ("not-a-number", "x", None),
    ("empty", "", None),
    ("numeral-then-letter", "二十x", None),
    ("numeral-then-classifier", "三个", None),
    pytest.param(
        "①", None, id="circled-digit",
    ),
]


@pytest.mark.parametrize("text, expected", cases(COUNT_CASES))
def test_parse_count(text, expected, lexicon):
    assert lexicon.parse_count(text) == expected


# --- lexicon: posts ----------------------------------------------------------------------

# (id, text, expected posts found by post_pattern)
POST_CASES = [
    ("district-secretary", "区委书记吕玉印亲自牵头深化基层治理体制改革项目", ["区委书记"]),
    ("district-head-after-er", "而区长陶永欣则牵头民生诉求渠道流程优化改革", ["区长"]),
    ("chain-with-congress-director", "会议由县委书记、县人大常委会主任熊亚平主持", ["县委书记", "县人大常委会主任"]),
    ("bureau-director", "会上,县科技局局长胡锋平就《通城县“国家知识产权强县工程试点”工作实施方案(送审稿)》起草情况作说明", ["县科技局局长"]),
    ("party-working-committee", "党工委副书记、纪工委书记、全面深化改革小组办公室主任周冠中", ["党工委副书记", "纪工委书记", "全面深化改革小组办公室主任"]),  # the last continues the chain
    ("two-posts-joined-by-he", "由区委书记和区长分别牵头", ["区委书记", "区长"]),
    ("standing-committee-and-deputy-head", "县委常委、常务副县长王兴电", ["县委常委", "常务副县长"]),
    ("group-leader", "市委书记、市委全面深化改革领导小组组长王敏对深入贯彻中央和省委部署提出要求", ["市委书记", "市委全面深化改革领导小组组长"]),
    ("not-inside-shequ-changqi", "解决社区长期存在的问题", []),
    ("not-inside-chengqu", "城区长期规划", []),
    ("no-post", "这些改革项目,关系到坪山大发展。", []),
]


@pytest.mark.parametrize("text, expected", cases(POST_CASES))
def test_post_pattern(text, expected, lexicon):
    matches = list(lexicon.post_pattern.finditer(text))
    assert [m.group() for m in matches] == expected


# --- lexicon: malformed files ------------------------------------------------------------


def _lexicon_copy(tmp_path):
    for path in LEXICON_DIR.glob("*.tsv"):
        shutil.copy(path, tmp_path)
    return tmp_path


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the fixture is stale"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (id, file, text to replace, replacement, parts the message must contain)
BAD_LEXICON_CASES = [
    ("post-kind", "posts.tsv", "区长\tfull", "区长\tfulll", ["posts.tsv", "kind='fulll'", "valid values: title, full"]),
    ("verb-role", "verbs.tsv", "深化\tboth", "深化\tleader", ["verbs.tsv", "role='leader'", "valid values: lead, measure, both, adverb"]),
    ("level-standalone", "levels.tsv", "街道\tsubdistrict\t5\tsubdistrict\tyes", "街道\tsubdistrict\t5\tsubdistrict\ttrue", ["levels.tsv", "standalone='true'", "valid values: yes, no"]),
    ("post-column-misnamed", "posts.tsv", "word\tkind", "word\tkinds", ["posts.tsv", "missing column(s) kind", "the file needs word, kind"]),
    ("level-column-missing", "levels.tsv", "\ten\tstandalone", "\ten", ["levels.tsv", "missing column(s) standalone", "the file needs label, key, rank, en, standalone"]),
    ("group-column-missing", "groups.tsv", "suffix\tnames\n", "name\tnames\n", ["groups.tsv", "missing column(s) suffix", "the file needs suffix, names"]),
    ("group-names", "groups.tsv", "指挥部\twork", "指挥部\tworks", ["groups.tsv", "names='works'", "valid values: field, body, work"]),
    ("place-level-not-a-level", "places.tsv", "縣\t县", "縣\t縣", ["places.tsv", "suffix '縣': level='縣'", "valid levels (levels.tsv labels, or empty): "]),
    ("place-column-missing", "places.tsv", "suffix\tlevel", "suffix", ["places.tsv", "missing column(s) level", "the file needs suffix, level"]),
    pytest.param(
        "numerals.tsv", "十\t10\tunit", "十\tten\tunit", ["numerals.tsv", "value", "'ten'"], id="numeral-value-not-an-integer",
    ),
]


@pytest.mark.parametrize("name, old, new, parts", cases(BAD_LEXICON_CASES))
def test_bad_lexicon_file(name, old, new, parts, tmp_path):
    directory = _lexicon_copy(tmp_path)
    _edit(directory / name, old, new)
    with pytest.raises(RuleFileError) as caught:
        load_lexicon(directory=directory)
    message = str(caught.value)
    assert caught.value.code == "E200"
    assert caught.value.path == str(directory / name)
    for part in parts:
        assert part in message


def test_missing_lexicon_file(tmp_path):
    directory = _lexicon_copy(tmp_path)
    (directory / "stopwords.tsv").unlink()
    with pytest.raises(RuleFileError, match="cannot read lexicon file") as caught:
        load_lexicon(directory=directory)
    assert caught.value.path == str(directory / "stopwords.tsv")


# (id, file text written as posts.tsv, line of the bad row in the file)
BAD_ROW_LINE_CASES = [
    ("no-comments", "word\tkind\n书记\ttitle\n区长\tfulll\n", 3),
    pytest.param(
        "# a comment\n# another\nword\tkind\n书记\ttitle\n区长\tfulll\n", 5, id="after-comments",
    ),
]


@pytest.mark.parametrize("text, line", cases(BAD_ROW_LINE_CASES))
def test_bad_lexicon_value_names_its_line(text, line, tmp_path):
    directory = _lexicon_copy(tmp_path)
    (directory / "posts.tsv").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_lexicon(directory=directory)
    assert re.search(rf"\b{line}\b", caught.value.message), caught.value.message


# --- genre rule files --------------------------------------------------------------------


@pytest.mark.parametrize("name", genre_names())
def test_every_genre_file_loads(name, lexicon):
    rules = load_rules(name, lexicon)
    assert rules.name == name
    assert rules.numbering, "no numbering patterns"
    assert set(rules.patterns) == set(PATTERN_NAMES)
    assert all(rules.patterns[key] for key in ("group_list", "problem", "responsible_group"))


def test_load_all_rules_skips_base(all_rules):
    assert "base" not in all_rules
    assert set(all_rules) == set(genre_names()) - {"base"}


# The opening of pingshan-2017-reform-plan.txt and its project list's first lines.
PINGSHAN_TEXT = (
    "当前位置: 新闻资讯 政策前沿 这28个改革项目关系坪山大发展\n"
    "此次的“区重点改革项目”分别由经济体制、城市建设管理与生态文明体制、民生体制、文化体制、社会体制和司法体制、"
    "党的建设制度、纪律检查体制等7个改革专项小组负责实施。\n"
    "改革项目一览表\n"
    "1.深化基层治理体制改革牵头区领导:区委书记吕玉印\n"
    "2.民生诉求渠道流程优化改革牵头区领导:区长陶永欣\n"
    "这是经济体制改革专项小组负责项目。\n"
)
MEETING_TEXT = "通城县召开全面深化改革领导小组会议。会议由县委书记、县人大常委会主任熊亚平主持。"

# (id, text, extra genres as (name, cues), expected genre)
DETECT_CASES = [
    ("pingshan-is-a-plan", PINGSHAN_TEXT, [], "plan"),
    ("pingshan-is-a-plan-among-two", PINGSHAN_TEXT, [("meeting", {"会议": 2, "领导小组": 2})], "plan"),
    ("meeting-cues-win", MEETING_TEXT, [("meeting", {"会议": 2, "领导小组": 2})], "meeting"),
    ("tie-goes-to-the-first-name", "出席", [("aaa", {"出席": 3})], "aaa"),
    ("tie-goes-to-the-first-name-after", "出席", [("report", {"出席": 3})], "meeting"),
    ("no-cue-is-the-default-genre", "", [("aaa", {"会议": 2})], "plan"),
]


@pytest.mark.parametrize("text, extra, expected", cases(DETECT_CASES))
def test_detect_genre(text, extra, expected, all_rules):
    genres = dict(all_rules)
    for name, cues in extra:
        genres[name] = dataclasses.replace(all_rules["plan"], name=name, cues=MappingProxyType(cues))
    assert detect_genre(text, genres) == expected


# --- malformed genre files ---------------------------------------------------------------

VALID_TOP_KEYS = "valid keys: name, title, extends, detect, segment, fields, labels, brackets, columns, placeholders, patterns, options"
VALID_PATTERNS = "valid patterns: responsible_group, group_list, tier_list, tier_count, project_count, problem, lead_in_prose"

# (id, files written besides a copy of base.toml, genre loaded, file named, parts of the message)
BAD_RULE_CASES = [
    ("unknown-top-key", {"x.toml": 'extends = "base"\nbogus = 1\n'}, "x", "x.toml", ["unknown key(s) bogus", VALID_TOP_KEYS]),
    (
        "unknown-field-name",
        {"x.toml": 'extends = "base"\n[fields]\n"负责人" = "leader"\n'},
        "x", "x.toml",
        ["fields.负责人", "'leader' is not a field", "valid fields: lead, leadUnit, supportUnit, unit, deadline"],
    ),
    (
        "unknown-segment-key",
        {"x.toml": 'extends = "base"\n[segment]\nsentence_end = "。"\n'},
        "x", "x.toml",
        ["segment.sentence_end", "valid keys: sentence_ends, clause_seps, heading_max_chars, numbering"],
    ),
    ("unknown-pattern", {"x.toml": 'extends = "base"\n[patterns]\nproblems = "针对"\n'}, "x", "x.toml", ["patterns.problems", VALID_PATTERNS]),
    (
        "invalid-regex",
        {"x.toml": 'extends = "base"\n[patterns]\nproblem = "针对(?P<x>[^。]+"\n'},
        "x", "x.toml",
        ["patterns.problem", "invalid regular expression", "missing )"],
    ),
    (
        "invalid-regex-in-list",
        {"x.toml": 'extends = "base"\n[patterns]\nproblem = ["针对(?P<x>.+?)问题", "破解(?P<x>.+?"]\n'},
        "x", "x.toml",
        ["patterns.problem", "invalid regular expression"],
    ),
    (
        "invalid-numbering-regex",
        {"x.toml": 'extends = "base"\n[segment]\nnumbering = [{ pattern = "^[一二", depth = 1 }]\n'},
        "x", "x.toml",
        ["segment.numbering", "invalid regular expression"],
    ),
    (
        "invalid-level-chain-separator",
        {"x.toml": 'extends = "base"\n[patterns]\nlevel_chain_sep = "["\n'},
        "x", "x.toml",
        ["patterns.level_chain_sep", "invalid regular expression"],
    ),
    (
        "unknown-placeholder",
        {"x.toml": 'extends = "base"\n[patterns]\nproblem = "针对(?P<x>{nope})问题"\n'},
        "x", "x.toml",
        ["patterns.problem", "unknown placeholder {nope}", "known: after, deadline_day, group_suffix, han, inner, nqc, num, qc, qo, unit_end, when"],
    ),
    ("extends-cycle", {"x.toml": 'extends = "y"\n', "y.toml": 'extends = "x"\n'}, "x", "x.toml", ["'extends' forms a cycle: x → y → x"]),
    ("extends-itself", {"x.toml": 'extends = "x"\n'}, "x", "x.toml", ["'extends' forms a cycle: x → x"]),
    (
        "extends-unknown-genre",
        {"x.toml": 'extends = "nothere"\n'},
        "x", "nothere.toml",
        ["no rule file for genre 'nothere'", "known genres: base, x"],
    ),
    ("unknown-genre", {}, "nothere", "nothere.toml", ["no rule file for genre 'nothere'", "known genres: base"]),
    ("invalid-toml", {"x.toml": 'extends = "base"\nname = \n'}, "x", "x.toml", ["invalid TOML"]),
    pytest.param(
        {"base.toml": 'name = "base"\n[fields]\n"负责人" = "leader"\n', "x.toml": 'extends = "base"\n'},
        "x", "base.toml",
        ["fields.负责人", "valid fields"],
        id="error-in-parent-names-the-parent",
    ),
    pytest.param(
        {"x.toml": 'extends = "base"\n[detect]\nwords = { "改革项目一览表" = 5 }\n'},
        "x", "x.toml",
        ["detect.words", "cues"],
        id="unknown-detect-key",
    ),
    pytest.param(
        {"x.toml": 'extends = "base"\n[detect]\ncues = { "改革项目一览表" = "high" }\n'},
        "x", "x.toml",
        ["detect.cues", "改革项目一览表"],
        id="cue-weight-not-an-integer",
    ),
    pytest.param(
        {"x.toml": 'extends = "base"\n[segment]\nnumbering = [{ pattern = "^甲" }]\n'},
        "x", "x.toml",
        ["segment.numbering", "depth"],
        id="numbering-without-depth",
    ),
    pytest.param(
        {"x.toml": 'extends = "base"\n[patterns]\nproblem = ["针对(?P<x>.+?)问题", 5]\n'},
        "x", "x.toml",
        ["patterns.problem"],
        id="pattern-not-a-string",
    ),
]


@pytest.mark.parametrize("files, name, named_file, parts", cases(BAD_RULE_CASES))
def test_bad_rule_file(files, name, named_file, parts, lexicon, tmp_path):
    shutil.copy(GENRE_DIR / "base.toml", tmp_path)
    for file, text in files.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rules(name, lexicon, directory=tmp_path)
    assert caught.value.code == "E200"
    assert caught.value.path == str(tmp_path / named_file)
    for part in parts:
        assert part in caught.value.message


# (id, child file text, pattern key, expected pattern sources, or None to mean "as in base")
EXTENDS_CASES = [
    ("child-pattern-replaces-parents", '[patterns]\nproblem = "针对(?P<x>.+?)问题"\n', "problem", ["针对(?P<x>.+?)问题"]),
    ("other-patterns-inherited", '[patterns]\nproblem = "针对(?P<x>.+?)问题"\n', "group_list", None),
    ("placeholder-filled-from-parent", '[patterns]\ntier_count = "有(?P<count>{num})个"\n', "tier_count", ["有(?P<count>(?:[0-9０-９]+|[一二两三四五六七八九十百]+))个"]),
    ("child-placeholder-wins", '[placeholders]\nnum = "[0-9]+"\n[patterns]\ntier_count = "有(?P<count>{num})个"\n', "tier_count", ["有(?P<count>[0-9]+)个"]),
]


@pytest.mark.parametrize("child, key, expected", cases(EXTENDS_CASES))
def test_extends_merges_tables(child, key, expected, lexicon, tmp_path):
    shutil.copy(GENRE_DIR / "base.toml", tmp_path)
    (tmp_path / "x.toml").write_text('name = "x"\nextends = "base"\n' + child, encoding="utf-8")
    rules = load_rules("x", lexicon, directory=tmp_path)
    base = load_rules("base", lexicon, directory=tmp_path)
    got = [p.pattern for p in rules.patterns[key]]
    if expected is None:
        assert got == [p.pattern for p in base.patterns[key]]
    else:
        assert got == expected
    assert rules.sentence_ends == base.sentence_ends
