"""Synthesize a corpus of reform documents for scaling benchmarks: the structures of the documents
in tests/corpus recombined, with varied names and numbers.

    python benchmarks/generate_corpus.py N OUT_DIR [--seed S]
    python benchmarks/generate_corpus.py N OUT_DIR --copies-of tests/corpus

Not part of the test suite. Each document takes a genre (reform plan, key-point paper, task table,
task list, implementation opinions, meeting report) and fills that genre's templates from
benchmarks/corpus_templates.toml: the numbered items, unit parentheses ("（牵头单位：…，配合单位：…）"),
"牵头区领导" lines, table rows, "针对…等问题" sentences and deadlines of the real documents, with
place, person, unit and project names assembled from parts and item counts, years and figures
drawn at random. A document depends only on the seed and its number, so the first 100 documents of
a corpus of 1,000 are the corpus of 100; no two documents have the same text. With --copies-of
it writes N copies of a folder's real documents instead, each with a first line of its own.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

TEMPLATES = Path(__file__).resolve().parent / "corpus_templates.toml"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
MAX_DEPTH = 4  # templates drawn inside templates: measure → field, never deeper in practice


@dataclass
class Document:
    """What stays the same throughout one document while it is written."""

    rng: random.Random
    data: dict
    fixed: dict[str, str] = field(default_factory=dict)
    cast: dict[str, str] = field(default_factory=dict)  # post → person
    units: list[str] = field(default_factory=list)
    projects: set[str] = field(default_factory=set)

    def draw(self, name: str) -> str:
        """One entry of a list of templates ([lists]) or of names ([names])."""
        return self.rng.choice(self.data["lists"].get(name) or self.data["names"][name])

    def fill(self, template: str, local: dict[str, str] | None = None, depth: int = 0) -> str:
        """``template`` with each placeholder replaced: by the item's or the document's fixed
        value, else a fresh value from a filler, a form ([forms]) or a list."""
        def replace(match: re.Match) -> str:
            name = match.group(1)
            if local and name in local:
                return local[name]
            if name in self.fixed:
                return self.fixed[name]
            if name in FILLERS:
                value = FILLERS[name](self)
            elif name in self.data["forms"]:
                value = self.data["forms"][name]
            elif name in self.data["lists"] or name in self.data["names"]:
                value = self.draw(name)
            else:
                raise KeyError(f"{TEMPLATES.name}: unknown placeholder {{{name}}} in {template[:40]!r}")
            return self.fill(value, local, depth + 1) if depth < MAX_DEPTH else value

        return PLACEHOLDER.sub(replace, template)

    def join(self, names: list[str]) -> str:
        return self.data["forms"]["list_sep"].join(names)

    def person(self, post: str) -> str:
        """The one person who holds ``post`` in this document."""
        if post not in self.cast:
            names = self.data["names"]
            while True:
                given = "".join(self.rng.choice(names["given"]) for _ in range(self.rng.choice((1, 2, 2))))
                name = self.rng.choice(names["surnames"]) + given
                if name not in self.cast.values():
                    break
            self.cast[post] = name
        return self.cast[post]

    def project(self) -> str:
        """A project name not yet used in this document."""
        while True:
            name = self.fill(self.data["forms"]["project"])
            if name not in self.projects:
                self.projects.add(name)
                return name


def fill_person(doc: Document) -> str:
    return doc.person(doc.fill(doc.draw("post")))


def fill_post_person(doc: Document) -> str:
    post = doc.fill(doc.draw("post"))
    return post + doc.person(post)


def fill_unit(doc: Document) -> str:
    return doc.rng.choice(doc.units)


def fill_units(doc: Document) -> str:
    units = doc.rng.sample(doc.units, doc.rng.randint(2, 3))
    if doc.rng.random() < 0.3:
        units.append(doc.fill(doc.draw("unit_many")))
    return doc.join(units)


def fill_problems(doc: Document) -> str:
    return doc.join(doc.rng.sample(doc.data["lists"]["problem"], doc.rng.randint(2, 3)))


def fill_group_fields(doc: Document) -> str:
    return doc.join(doc.rng.sample(doc.data["lists"]["group_field"], int(doc.fixed["group_count"])))


def fill_group_names(doc: Document) -> str:
    fields = doc.rng.sample(doc.data["lists"]["group_field"], int(doc.fixed["group_count"]))
    return doc.join([doc.fill(doc.data["forms"]["group"], {"group_field": f}) for f in fields])


def numbers(low: int, high: int, step: int = 1) -> Callable[[Document], str]:
    return lambda doc: str(doc.rng.randrange(low, high + 1, step))


def decimals(low: float, high: float) -> Callable[[Document], str]:
    return lambda doc: f"{doc.rng.uniform(low, high):.1f}"


# Placeholder → how to draw a fresh value each time it occurs (after the fixed values).
FILLERS: dict[str, Callable[[Document], str]] = {
    "person": fill_person,
    "post_person": fill_post_person,
    "unit": fill_unit,
    "units": fill_units,
    "problems": fill_problems,
    "group_fields": fill_group_fields,
    "group_names": fill_group_names,
    "project_any": Document.project,
    "field": lambda doc: doc.draw("project_field"),
    "count": lambda doc: str(doc.rng.choice((10, 20, 30, 50, 100, 120, 150, 200, 300, 400, 500, 800, 1000, 2000))),
    "count_small": numbers(3, 8),
    "amount": decimals(1.0, 50.0),
    "pct": numbers(10, 90, 5),
    "pct_small": decimals(4.0, 9.5),
    "years": numbers(3, 5),
    "years_small": numbers(2, 3),
    "due_month": numbers(3, 12),
    "due_day": numbers(1, 30),
}


def start_document(rng: random.Random, data: dict, items: int) -> Document:
    """A document's fixed values: place, level, year, date, its leading officials and units."""
    names = data["names"]
    doc = Document(rng, data)
    level = rng.choice(names["levels"])
    year = rng.randint(2014, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    doc.fixed.update(
        place=rng.choice(names["place_heads"]) + rng.choice(names["place_tails"]),
        L=level,
        year=str(year),
        month=str(month),
        day=str(day),
        month2=f"{month:02d}",
        day2=f"{day:02d}",
        total=str(items),
        group_count=str(rng.randint(4, 8)),
        meeting_no=names["numerals"][rng.randint(1, 29)],
        talent_topic=rng.choice(names["talent_topics"]),
    )
    posts = [doc.fill(p) for p in data["lists"]["post"][:3]]  # 书记, the head, 副书记
    doc.fixed.update(first=doc.person(posts[0]), second=doc.person(posts[1]), third=doc.person(posts[2]))
    bodies = rng.sample(data["lists"]["unit_body"], rng.randint(10, 18))
    plain = rng.sample(data["lists"]["unit_plain"], 2)
    doc.units = [level + b for b in bodies] + [doc.fill(p) for p in plain]
    doc.fixed["first_project"] = doc.project()
    doc.fixed["second_project"] = doc.project()
    return doc


def lead_line(doc: Document, n: int) -> str:
    """A plan's leader after an item's title: the first two projects are the secretary's and the
    head's (the head of the plan says so); a few others name another leader; most, none."""
    if n <= 2:
        post = doc.fill(doc.data["lists"]["post"][n - 1])
    elif doc.rng.random() < 0.25:
        post = doc.fill(doc.draw("post"))
    else:
        return ""
    return doc.fill(doc.data["forms"]["lead_line"], {"post_person": post + doc.person(post)})


def write_document(seed: int, number: int, data: dict) -> tuple[str, str]:
    """The genre and text of document ``number`` of the corpus of ``seed``."""
    rng = random.Random(f"{seed}-{number}")
    genres = data["genres"]
    name = rng.choices(list(genres), weights=[g["weight"] for g in genres.values()])[0]
    genre = genres[name]
    sections = rng.randint(*genre["sections"])
    counts = [rng.randint(*genre["items"]) for _ in range(sections)]
    doc = start_document(rng, data, sum(counts))
    item_templates = genre["item"] if isinstance(genre["item"], list) else [genre["item"]]
    if genre.get("same_item_form"):
        item_templates = [rng.choice(item_templates)]
    parts = [doc.fill(genre["head"])]
    n = 0
    for s, count in enumerate(counts):
        numeral = data["names"]["numerals"][genre["first_section"] - 1 + s]
        parts.append(doc.fill(genre["section"], {"s": numeral}))
        for k in range(count):
            n += 1
            project = doc.fixed["first_project"] if n == 1 else doc.fixed["second_project"] if n == 2 else doc.project()
            local = {
                "n": str(n),
                "k": data["names"]["numerals"][k],
                "s": numeral,
                "project": project,
                "lead_line": lead_line(doc, n) if genre.get("lead_lines") else "",
            }
            parts.append(doc.fill(rng.choice(item_templates), local))
    parts.append(doc.fill(genre["tail"]))
    return name, "".join(parts)


def generate_corpus(size: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``size`` documents to ``out_dir`` (created); returns their paths."""
    data = tomllib.loads(TEMPLATES.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    paths = []
    for number in range(size):
        genre, text = write_document(seed, number, data)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        attempt = 0
        while digest in seen:  # never met in practice: the names alone make texts differ
            attempt += 1
            genre, text = write_document(seed, number + attempt * 10**9, data)
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        seen.add(digest)
        path = out_dir / f"{number:05d}-{genre}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def copy_corpus(source: Path, copies: int, out_dir: Path) -> list[Path]:
    """Write ``copies`` copies of the .txt documents of ``source`` to ``out_dir`` (created), each
    copy with a first line of its own (its number), so that no two have the same text and none
    is skipped as a duplicate: real documents at any scale. Returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for copy in range(copies):
        for document in sorted(source.glob("*.txt")):
            path = out_dir / f"{copy:04d}-{document.name}"
            path.write_text(f"{copy:04d}\n{document.read_text(encoding='utf-8')}", encoding="utf-8")
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, metavar="N", help="number of documents (with --copies-of: of copies)")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write them to (created)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed writes the same documents (default 0)")
    parser.add_argument("--copies-of", type=Path, metavar="DIR", help="write N copies of DIR's .txt documents (tests/corpus, say) instead, each with a first line of its own")
    args = parser.parse_args(argv)
    paths = copy_corpus(args.copies_of, args.size, args.out_dir) if args.copies_of else generate_corpus(args.size, args.out_dir, args.seed)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {chars:,} characters ({size / 1e6:.1f} MB), mean {chars // max(1, len(paths)):,} characters, in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
