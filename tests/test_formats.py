"""Exports: each format's structure, round trips, filters, and failure safety."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

import aligner
from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment, Bead, Sentence
from aligner.formats import (
    FORMATS,
    READABLE_FORMATS,
    Format,
    convert,
    format_for,
    formats,
    glossary_format,
    merge,
    parse_ladder,
    read_alignments,
    write_alignments,
)
from aligner.formats.registry import find, find_by_extension, register
from aligner.readers import read_document

DTD = Path(__file__).parents[1] / ".." / "shared" / "specs" / "tmx14.dtd"
READABLE = ("tmx", "csv", "tsv", "jsonl", "parquet")
Row = tuple[str, str, str, tuple[int, ...], tuple[int, ...], float]


def zh(text: str) -> Sentence:
    return Sentence(text, "zh")


def en(text: str) -> Sentence:
    return Sentence(text, "en")


@pytest.fixture
def interview() -> Alignment:
    """Traditional zh -> en, with every awkward case: a 1-2 bead, both kinds of unaligned
    sentence, XML specials, a control character, edge whitespace, a tab and a newline."""
    return Alignment(
        src_lang="zh",
        tgt_lang="en",
        src=[zh("你好。"), zh("再見\x07。"), zh("多餘的話。"), zh("  價格<&>「貴」。 ")],
        tgt=[
            en("Hello."),
            en("Good"),
            en("bye."),
            en("Extra\tline\nhere."),
            en('Price <&> "high".'),
        ],
        beads=[
            Bead((0,), (0,), 0.91),
            Bead((1,), (1, 2), 0.72),
            Bead((2,), (), 0.0),
            Bead((), (3,), 0.0),
            Bead((3,), (4,), 0.35),
        ],
        name="interview.txt",
        zh_script="traditional",
    )


@pytest.fixture
def press() -> Alignment:
    """Simplified, English source: the other direction in the same output."""
    return Alignment(
        src_lang="en",
        tgt_lang="zh",
        src=[en("Hello."), en("Sales rose."), en("Profits fell.")],
        tgt=[zh("你好。"), zh("销售额和利润都变了。")],
        beads=[Bead((0,), (0,), 0.88), Bead((1, 2), (1,), 0.66)],
        name="press",
        zh_script="simplified",
    )


def rows(alignments: list[Alignment]) -> list[Row]:
    """Every bead as (document, zh text, en text, zh ids, en ids, score), by language."""
    result = []
    for alignment in alignments:
        for bead in alignment.beads:
            sides = {
                alignment.src_lang: (alignment.src, bead.src),
                alignment.tgt_lang: (alignment.tgt, bead.tgt),
            }
            zh_text = "".join(sides["zh"][0][i].text for i in sides["zh"][1])
            en_text = " ".join(
                sides["en"][0][i].text for i in sides["en"][1] if sides["en"][0][i].text
            )
            result.append(
                (
                    alignment.name,
                    zh_text,
                    en_text,
                    sides["zh"][1],
                    sides["en"][1],
                    round(bead.score, 4),
                )
            )
    return result


def written(tmp_path: Path, documents: list[Alignment], fmt: str, **options: object) -> Path:
    out = tmp_path / f"out.{fmt}"
    write_alignments(documents, str(out), fmt, ExportOptions(**options))  # type: ignore[arg-type]
    return out


def test_format_for_reads_extension_and_explicit_choice() -> None:
    assert format_for("a/b.TMX", None) == "tmx"
    assert format_for("corpus.ndjson", None) == "jsonl"
    assert format_for("-", None) == "tsv"
    assert format_for("corpus", "Moses") == "moses"
    with pytest.raises(AlignerError, match="--format"):
        format_for("pairs.txt", None)
    with pytest.raises(AlignerError, match="unknown format"):
        format_for("pairs.tmx", "xliff")


def test_one_registry_holds_both_kinds_and_each_name_selects_one_format() -> None:
    assert FORMATS == ("tmx", "csv", "tsv", "jsonl", "align", "moses", "parquet", "srt")
    assert READABLE_FORMATS == READABLE
    assert [fmt.name for fmt in formats("glossary")] == ["csv", "tsv", "tbx", "omegat"]
    for kind in ("alignment", "glossary"):
        for fmt in formats(kind):
            assert fmt.kind == kind
            assert find(kind, fmt.name) is fmt
            for extension in fmt.extensions:
                assert find_by_extension(kind, f"dir/file{extension.upper()}") is fmt
    # The same extension means different columns for pairs and for terms.
    assert find_by_extension("alignment", "a.csv") is not find_by_extension("glossary", "a.csv")
    assert glossary_format("terms.txt") == glossary_format("terms.csv", "TXT") == "omegat"
    assert find("alignment", "tbx") is None


def test_a_name_cannot_be_registered_twice() -> None:
    tmx = find("alignment", "tmx")
    assert tmx is not None
    with pytest.raises(ValueError, match="already registered"):
        register(Format("tmx", "alignment", (".xml",), tmx.write))
    assert find_by_extension("alignment", "a.xml") is None


def test_writing_refuses_a_glossary_only_format(tmp_path: Path, press: Alignment) -> None:
    with pytest.raises(AlignerError, match="unknown format 'tbx'"):
        write_alignments([press], str(tmp_path / "pairs.tbx"), "tbx")
    assert list(tmp_path.iterdir()) == []


# TMX


def tmx_tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(load_dtd=False, resolve_entities=False))


def test_tmx_is_valid_against_the_dtd(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    if not DTD.is_file():
        pytest.skip("../shared/specs/tmx14.dtd is not next to the repository")
    tree = tmx_tree(written(tmp_path, [interview, press], "tmx"))
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def test_tmx_header_names_the_tool_and_the_real_source_language(
    tmp_path: Path, interview: Alignment
) -> None:
    path = written(tmp_path, [interview], "tmx")
    assert path.read_bytes().startswith(b"<?xml")
    header = tmx_tree(path).getroot().find("header")
    assert header is not None
    assert header.get("srclang") == "zh-TW"
    assert header.get("creationtool") == "aligner"
    assert header.get("creationtoolversion") == aligner.__version__
    assert (header.get("segtype"), header.get("o-tmf"), header.get("adminlang")) == (
        "sentence",
        "aligner",
        "en",
    )
    assert header.get("datatype") == "plaintext"
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate", ""))


def test_tmx_holds_aligned_pairs_only_with_clean_segments(
    tmp_path: Path, interview: Alignment
) -> None:
    path = written(tmp_path, [interview], "tmx")
    units = tmx_tree(path).getroot().findall("body/tu")
    assert len(units) == 3
    segs = [[seg.text for seg in tu.iterfind("tuv/seg")] for tu in units]
    assert segs[1] == ["再見。", "Good bye."]
    assert segs[2] == ["價格<&>「貴」。", 'Price <&> "high".']
    props = [tu.findall("prop") for tu in units]
    assert [prop.get("type") for prop in props[1]] == ["x-score", "x-type", "x-source"]
    assert [prop.text for prop in props[1]] == ["0.7200", "1-2", "interview.txt [1]:[1,2]"]
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in units[0].iter("tuv")]
    assert langs == ["zh-TW", "en-US"]


def test_tmx_marks_units_whose_source_differs_from_the_header(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    units = tmx_tree(written(tmp_path, [interview, press], "tmx")).getroot().findall("body/tu")
    assert [tu.get("srclang") for tu in units] == [None, None, None, "en-US", "en-US"]
    assert [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in units[3][3:]] == [
        "en-US",
        "zh-CN",
    ]


def test_tmx_language_codes_can_be_overridden(tmp_path: Path, interview: Alignment) -> None:
    path = written(tmp_path, [interview], "tmx", zh_code="zh-Hant-HK", en_code="en-GB")
    root = tmx_tree(path).getroot()
    assert root.find("header").get("srclang") == "zh-Hant-HK"  # type: ignore[union-attr]
    assert {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")} == {
        "zh-Hant-HK",
        "en-GB",
    }


def test_translate_toolkit_reads_the_same_pairs(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    store = tmx.tmxfile.parsestring(written(tmp_path, [interview], "tmx").read_bytes())
    assert [(unit.source, unit.target) for unit in store.units] == [
        ("你好。", "Hello."),
        ("再見。", "Good bye."),
        ("價格<&>「貴」。", 'Price <&> "high".'),
    ]


def test_tmx_from_another_tool_reads_with_fresh_ids(tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    store = tmx.tmxfile(sourcelanguage="en", targetlanguage="zh-CN")
    store.addtranslation("One.", "en", "一。", "zh-CN")
    store.addtranslation("Two.", "en", "二。", "zh-CN")
    path = tmp_path / "foreign.tmx"
    path.write_bytes(bytes(store))
    [document] = read_alignments(str(path))
    assert (document.src_lang, document.name, document.zh_script) == ("en", "foreign", "simplified")
    assert [s.text for s in document.src] == ["One.", "Two."]
    assert [s.text for s in document.tgt] == ["一。", "二。"]
    assert document.beads == [Bead((0,), (0,), 1.0), Bead((1,), (1,), 1.0)]


def test_a_tmx_reads_back_as_the_aligner_reads_it_as_input(tmp_path: Path) -> None:
    """`convert`, `merge` and `glossary` read a TMX as `align` does: a namespaced file
    and TMX 1.1's `lang` are read, inline codes and sub-flows left out, and whitespace
    tidied, so a unit is the same pair whichever command is given the file."""
    path = tmp_path / "other.tmx"
    path.write_text(
        '<tmx xmlns="urn:example" version="1.1"><header srclang="en"/><body>'
        '<tu><tuv lang="EN-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Start'
        '<ept i="1">&lt;/b&gt;</ept>  now.</seg></tuv>'
        '<tuv lang="ZH-CN"><seg>按<ph x="1">&lt;br/&gt;</ph>开始'
        '<it pos="begin"><sub>footnote</sub></it>。</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    [document] = read_alignments(str(path))
    [unit] = read_document(path).units
    assert [s.text for s in document.src] == [unit.src_text] == ["Press Start now."]
    assert [s.text for s in document.tgt] == [unit.tgt_text] == ["按开始。"]


# Round trips


@pytest.mark.parametrize("fmt", READABLE)
def test_round_trip_keeps_pairs_ids_and_documents(
    tmp_path: Path, fmt: str, interview: Alignment, press: Alignment
) -> None:
    back = read_alignments(str(written(tmp_path, [interview, press], fmt)))
    assert [doc.name for doc in back] == ["interview.txt", "press"]
    expected = rows([interview, press])
    if fmt == "jsonl":
        expected = [row for row in expected if row[1] and row[2]]
    if fmt == "tmx":
        expected = [row for row in expected if row[1] and row[2]]
        expected = [
            (d, z.replace("\x07", "").strip(), e, zi, ei, s) for d, z, e, zi, ei, s in expected
        ]
    if fmt == "tsv":
        expected = [
            (d, z.strip(), re.sub(r"[\t\n]", " ", e), zi, ei, s) for d, z, e, zi, ei, s in expected
        ]
    assert rows(back) == expected
    assert back[0].zh_script == "traditional" and back[1].zh_script == "simplified"


@pytest.mark.parametrize("fmt", READABLE)
def test_rewriting_a_read_back_file_gives_the_same_rows(
    tmp_path: Path, fmt: str, interview: Alignment, press: Alignment
) -> None:
    first = written(tmp_path, [interview, press], fmt)
    again = tmp_path / "again" / first.name
    again.parent.mkdir()
    assert convert(str(first), str(again), None, ExportOptions()) > 0
    assert rows(read_alignments(str(again))) == rows(read_alignments(str(first)))


# Tables and JSONL


def test_csv_columns_follow_the_first_document_and_keep_text_exactly(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    raw = written(tmp_path, [press, interview], "csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfen,zh,")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.DictReader(stream))
    assert list(table[0]) == [
        "en", "zh", "score", "type", "en_ids", "zh_ids", "document", "damaged",
        "bead", "en_paragraphs", "zh_paragraphs", "length_ratio",
        "en_script_share", "zh_script_share", "pair_hash", "doc_repairs",
    ]
    second_press_row = table[1]
    assert second_press_row["type"] == "2-1"
    assert (second_press_row["en_ids"], second_press_row["zh_ids"]) == ("1 2", "1")
    unaligned_en = next(row for row in table if row["en"] == "Extra\tline\nhere.")
    assert (unaligned_en["zh"], unaligned_en["type"], unaligned_en["zh_ids"]) == ("", "1-0", "")
    back = read_alignments(str(tmp_path / "out.csv"))
    assert back[1].src_lang == "en" and back[1].name == "interview.txt"


def test_csv_without_a_bom_or_the_columns_after_the_seventh_reads_back(
    tmp_path: Path, press: Alignment
) -> None:
    marked = written(tmp_path, [press], "csv")
    with marked.open(encoding="utf-8-sig", newline="") as stream:
        rows = [row[:7] for row in csv.reader(stream)]
    plain = tmp_path / "script.csv"
    with plain.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    assert read_alignments(str(plain))[0].beads == read_alignments(str(marked))[0].beads


def test_tsv_keeps_one_row_per_unit(tmp_path: Path, interview: Alignment) -> None:
    lines = written(tmp_path, [interview], "tsv").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    assert len(lines[:-1]) == 1 + len(interview.beads)
    assert all(line.count("\t") == 15 for line in lines[:-1])
    assert "\tExtra line here.\t" in lines[4]


def test_jsonl_rows_use_the_hugging_face_translation_layout(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    lines = written(tmp_path, [interview, press], "jsonl").read_text(encoding="utf-8").splitlines()
    first, last = json.loads(lines[1]), json.loads(lines[-1])
    assert first == {
        "translation": {"zh": "再見\x07。", "en": "Good bye."},
        "score": 0.72,
        "type": "1-2",
        "zh_ids": [1],
        "en_ids": [1, 2],
        "document": "interview.txt",
        "damaged": False,
        "bead": 1,
        "zh_paragraphs": [0],
        "en_paragraphs": [0, 0],
        "length_ratio": 2.25,  # "Good bye." is 9 characters, "再見\x07。" 4
        "zh_script_share": 1.0,
        "en_script_share": 1.0,
        "pair_hash": first["pair_hash"],
        "doc_repairs": 0,
    }
    assert re.fullmatch("[0-9a-f]{32}", first["pair_hash"])
    assert list(last["translation"]) == ["en", "zh"]
    assert (last["type"], last["en_ids"], last["zh_ids"]) == ("2-1", [1, 2], [1])


def test_stdout_defaults_to_tsv(
    capsysbinary: pytest.CaptureFixture[bytes], press: Alignment
) -> None:
    assert write_alignments([press], "-", format_for("-", None)) == 2
    out = capsysbinary.readouterr().out.decode()
    header, _, row = out.splitlines()
    assert header.split("\t")[:8] == [
        "en", "zh", "score", "type", "en_ids", "zh_ids", "document", "damaged"
    ]
    assert (
        "\t".join(row.split("\t")[:8])
        == "Sales rose. Profits fell.\t销售额和利润都变了。\t0.6600\t2-1\t1 2\t1\tpress\t"
    )


# Moses and ladder


def test_moses_writes_two_line_aligned_files_of_pairs(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    prefix = tmp_path / "corpus"
    count = write_alignments([interview, press], str(prefix), "moses")
    zh_lines = (tmp_path / "corpus.en-zh.zh").read_text(encoding="utf-8").split("\n")
    en_lines = (tmp_path / "corpus.en-zh.en").read_text(encoding="utf-8").split("\n")
    assert count == 5 == len(zh_lines) - 1 == len(en_lines) - 1
    assert zh_lines[4] == "销售额和利润都变了。"
    assert en_lines[4] == "Sales rose. Profits fell."


def test_moses_replaces_line_breaks_inside_text(tmp_path: Path) -> None:
    document = Alignment(
        "en", "zh", [en("Two\nlines\u2028here.")], [zh("两行\r\n。")], [Bead((0,), (0,), 1.0)]
    )
    write_alignments([document], str(tmp_path / "c"), "moses")
    assert (tmp_path / "c.en-zh.en").read_text(encoding="utf-8") == "Two lines here.\n"
    assert (tmp_path / "c.en-zh.zh").read_text(encoding="utf-8") == "两行 。\n"


def test_ladder_writes_one_document(tmp_path: Path, interview: Alignment, press: Alignment) -> None:
    path = written(tmp_path, [interview], "align")
    assert parse_ladder(path.read_text(encoding="utf-8")) == [
        Bead(bead.src, bead.tgt, round(bead.score, 4)) for bead in interview.beads
    ]
    with pytest.raises(AlignerError, match="one document"):
        write_alignments([interview, press], str(tmp_path / "two.align"), "align")
    assert list(tmp_path.iterdir()) == [path]


# Filters, on every format


def count_units(path: Path, fmt: str) -> int:
    if fmt == "moses":
        return len((path.parent / f"{path.name}.en-zh.zh").read_text(encoding="utf-8").splitlines())
    if fmt == "align":
        return len(parse_ladder(path.read_text(encoding="utf-8")))
    return len(rows(read_alignments(str(path))))


FILTERS: list[tuple[dict[str, object], int, int]] = [
    # options, units kept of the 5 + 2 beads, of which aligned pairs
    ({}, 7, 5),
    ({"min_score": 0.5}, 6, 4),
    ({"types": frozenset({"1-2", "2-1"})}, 2, 2),
    ({"drop_unaligned": True}, 5, 5),
    ({"dedupe": True}, 6, 4),
]


@pytest.mark.parametrize("fmt", ("tmx", "csv", "tsv", "jsonl", "parquet", "moses"))
@pytest.mark.parametrize(("options", "kept", "pairs"), FILTERS)
def test_filters_apply_to_every_format(
    tmp_path: Path,
    fmt: str,
    options: dict[str, object],
    kept: int,
    pairs: int,
    interview: Alignment,
    press: Alignment,
) -> None:
    path = written(tmp_path, [interview, press], fmt, **options)
    only_pairs = fmt in ("tmx", "moses", "jsonl")
    assert count_units(path, fmt) == (pairs if only_pairs else kept)


@pytest.mark.parametrize(
    ("options", "kept"),
    [
        ({}, 5),
        ({"min_score": 0.5}, 4),
        ({"types": frozenset({"1-2", "2-1"})}, 1),
        ({"drop_unaligned": True}, 3),
        ({"dedupe": True}, 5),
    ],
)
def test_filters_apply_to_the_ladder(
    tmp_path: Path, options: dict[str, object], kept: int, interview: Alignment
) -> None:
    path = written(tmp_path, [interview], "align", **options)
    beads = parse_ladder(path.read_text(encoding="utf-8"))
    assert len(beads) == kept
    assert all(ExportOptions(**options).keeps(bead) for bead in beads)  # type: ignore[arg-type]


def test_dedupe_drops_repeats_across_documents(tmp_path: Path, interview: Alignment) -> None:
    path = written(tmp_path, [interview, interview], "jsonl", dedupe=True, drop_unaligned=False)
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(interview.beads)


# Failures and merging


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path: Path, interview: Alignment) -> None:
    out = tmp_path / "pairs.tmx"
    out.write_text("previous", encoding="utf-8")

    def broken() -> Iterator[Alignment]:
        yield interview
        raise RuntimeError("aligner crashed")

    with pytest.raises(RuntimeError):
        write_alignments(broken(), str(out), "tmx")
    assert out.read_text(encoding="utf-8") == "previous"
    assert list(tmp_path.iterdir()) == [out]


def test_documents_can_come_from_a_generator(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    out = tmp_path / "pairs.csv"
    assert write_alignments(iter([interview, press]), str(out), "csv") == 7


def test_merge_chains_files_of_any_readable_format(
    tmp_path: Path, interview: Alignment, press: Alignment
) -> None:
    a = written(tmp_path, [interview], "tmx")
    b = written(tmp_path, [press, interview], "jsonl")
    out = tmp_path / "merged.tmx"
    assert merge([str(a), str(b)], str(out), None, ExportOptions()) == 3 + 2 + 3
    # Repeats are found across files and directions, despite the control character
    # and edge spaces the TMX copy lost: only press's 2-1 pair is new.
    assert merge([str(a), str(b)], str(out), None, ExportOptions(dedupe=True)) == 3 + 1
    assert [doc.name for doc in read_alignments(str(out))] == ["interview.txt", "press"]


def test_same_named_documents_with_other_text_stay_apart(tmp_path: Path, press: Alignment) -> None:
    other = Alignment("en", "zh", [en("Bye.")], [zh("再见。")], [Bead((0,), (0,), 0.5)], "press")
    back = read_alignments(str(written(tmp_path, [press, other], "csv")))
    assert [len(doc.beads) for doc in back] == [2, 1]
    assert back[1].src[0].text == "Bye."


def test_reading_reports_where_a_file_is_wrong(tmp_path: Path) -> None:
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("source,target\na,b\n", encoding="utf-8")
    with pytest.raises(AlignerError, match=r"bad\.csv:1: header"):
        read_alignments(str(bad_header))
    bad_score = tmp_path / "bad.tsv"
    bad_score.write_text(
        "zh\ten\tscore\ttype\tzh_ids\ten_ids\tdocument\n你\tyou\thigh\t1-1\t0\t0\td\n",
        encoding="utf-8",
    )
    with pytest.raises(AlignerError, match=r"bad\.tsv:2: score 'high'"):
        read_alignments(str(bad_score))
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"translation": {"fr": "oui", "en": "yes"}}\n', encoding="utf-8")
    with pytest.raises(AlignerError, match=r"bad\.jsonl:1"):
        read_alignments(str(bad_json))
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(AlignerError, match=r"broken\.tmx: not a readable TMX file \(bad XML"):
        read_alignments(str(broken))
    with pytest.raises(AlignerError, match="no complete pairs"):
        read_alignments(str(tmp_path / "gold.align"))


def test_parquet_without_pyarrow_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, press: Alignment
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(AlignerError, match="pip install"):
        write_alignments([press], str(tmp_path / "p.parquet"), "parquet")
    assert list(tmp_path.iterdir()) == []


def test_streams_that_need_files_refuse_stdout(press: Alignment) -> None:
    for fmt in ("moses", "parquet"):
        with pytest.raises(AlignerError, match="stdout"):
            write_alignments([press], "-", fmt)


@pytest.mark.parametrize("line", ["[1,,2]:[0]", "[0]:[1]:e", "[0]:[1]:1.0.0"])
def test_malformed_ladder_line_is_one_clear_error(line: str) -> None:
    with pytest.raises(AlignerError, match="not a ladder line"):
        parse_ladder(f"[0]:[0]\n{line}\n", origin="x.align")


def test_jsonl_with_non_text_translation_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"translation": {"zh": 1, "en": "x"}}\n', encoding="utf-8")
    with pytest.raises(AlignerError, match="bad.jsonl"):
        read_alignments(str(bad))


# What a user gets by default (issue: unaligned rows in training data, Excel and the BOM,
# damage the cleaner could not undo)


def test_jsonl_leaves_unaligned_sentences_out_unless_asked(
    tmp_path: Path, interview: Alignment
) -> None:
    default = written(tmp_path, [interview], "jsonl").read_text(encoding="utf-8").splitlines()
    assert default and all(all(json.loads(line)["translation"].values()) for line in default)
    kept = written(tmp_path, [interview], "jsonl", drop_unaligned=False)
    assert len(kept.read_text(encoding="utf-8").splitlines()) == len(interview.beads)


def test_csv_starts_with_a_bom_for_spreadsheets_and_tsv_does_not(
    tmp_path: Path, interview: Alignment
) -> None:
    assert written(tmp_path, [interview], "csv").read_bytes().startswith(b"\xef\xbb\xbfzh,en,")
    assert written(tmp_path, [interview], "tsv").read_bytes().startswith(b"zh\ten\t")


def test_damaged_text_is_marked_in_every_format(tmp_path: Path) -> None:
    damaged = Alignment(
        "zh", "en",
        [Sentence("全球?qū)@Y產累計11,494件。", "zh"), Sentence("今天很好。", "zh")],
        [Sentence("11,494 global patents.", "en"), Sentence("Fine today.", "en")],
        [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9)],
        name="doc",
    )
    tmx = etree.parse(str(written(tmp_path, [damaged], "tmx")))
    assert [tu.xpath("prop[@type='x-damaged']/text()") for tu in tmx.iter("tu")] == [["yes"], []]
    table = written(tmp_path, [damaged], "csv").read_text(encoding="utf-8-sig").splitlines()
    assert [row[7] for row in csv.reader(table)] == ["damaged", "yes", ""]
    lines = written(tmp_path, [damaged], "jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["damaged"] for line in lines] == [True, False]


# Filter signals (docs/corpus-schema.md)


def paragraphed() -> Alignment:
    return Alignment(
        "zh", "en",
        [
            Sentence("第一段。", "zh", 0),
            Sentence("多余的话。", "zh", 0),
            Sentence("第二段。", "zh", 2),
        ],
        [Sentence("Paragraph one.", "en", 1), Sentence("Paragraph two, again.", "en", 3)],
        [Bead((0,), (0,), 0.9), Bead((1,), (), 0.0), Bead((2,), (1,), 0.8)],
        name="doc",
        repairs=3,
    )


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet"])
def test_filter_signals_survive_reading_back_and_writing_again(tmp_path: Path, fmt: str) -> None:
    """The corpus is a merge of read-back files: bead numbers (with the gap an unaligned
    bead leaves), paragraphs and repair counts must come through unchanged."""
    first = written(tmp_path, [paragraphed()], fmt, drop_unaligned=True)
    again = tmp_path / f"again.{fmt}"
    write_alignments(read_alignments(str(first)), str(again), fmt, ExportOptions())
    assert again.read_bytes() == first.read_bytes()
    rows = signal_rows(again, fmt)
    assert [(row["bead"], row["zh_paragraphs"], row["en_paragraphs"]) for row in rows] == [
        (0, [0], [1]), (2, [2], [3])
    ]
    assert [row["doc_repairs"] for row in rows] == [3, 3]


def signal_rows(path: Path, fmt: str) -> list[dict[str, object]]:
    """The rows with numbers as numbers, whatever the format."""
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        table = csv.DictReader(stream, delimiter="\t" if fmt == "tsv" else ",")
        return [
            {
                "bead": int(row["bead"]),
                "zh_paragraphs": [int(n) for n in row["zh_paragraphs"].split()],
                "en_paragraphs": [int(n) for n in row["en_paragraphs"].split()],
                "doc_repairs": int(row["doc_repairs"]),
            }
            for row in table
        ]


def test_signals_measure_length_script_and_duplicates(tmp_path: Path) -> None:
    document = Alignment(
        "en", "zh",
        [Sentence("Hello world.", "en"), Sentence("Hello  world.", "en"), Sentence("OK", "en")],
        [Sentence("你好。", "zh"), Sentence("你好。", "zh"), Sentence("OK好", "zh")],
        [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9), Bead((2,), (2,), 0.5)],
        name="doc",
    )
    lines = written(tmp_path, [document], "jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert rows[0]["pair_hash"] == rows[1]["pair_hash"] != rows[2]["pair_hash"]  # as --dedupe
    assert rows[0]["length_ratio"] == 4.0  # "Hello world." 12 characters per "你好。" 3
    assert (rows[2]["zh_script_share"], rows[2]["en_script_share"]) == (round(1 / 3, 4), 1.0)
