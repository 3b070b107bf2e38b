"""The CLI contract: inputs, output formats, stdout, and one-line errors for bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from aligner import embed
from aligner.cli import app
from aligner.cli.common import pipeline_options
from aligner.embed import Embedder
from aligner.formats import parse_ladder
from tests.support import SEEDS

INTERVIEW = SEEDS / "001_80f9d8cd20d446c8.txt"
ENGLISH_ONLY = SEEDS / "000_56d20dbe001468f8.txt"


@pytest.fixture(autouse=True)
def shared_model(monkeypatch: pytest.MonkeyPatch, embedder: Embedder) -> None:
    """Reuse the session's model instead of loading USE once per command."""
    monkeypatch.setattr(embed, "load_embedder", lambda model=None, device="cpu": embedder)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def interview_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    out = tmp_path_factory.mktemp("cli") / "interview.csv"
    result = CliRunner().invoke(app, ["align", str(INTERVIEW), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def row_with(rows: list[dict[str, str]], lang: str, fragment: str) -> dict[str, str]:
    matches = [row for row in rows if fragment in row[lang]]
    assert len(matches) == 1, f"{fragment!r} found in {len(matches)} rows"
    return matches[0]


def test_interview_questions_pair_with_their_translations(
    interview_rows: list[dict[str, str]],
) -> None:
    assert list(interview_rows[0])[:4] == ["zh", "en", "score", "type"]
    future = row_with(
        interview_rows, "en", "What efforts should we continue to make in the future?"
    )
    assert "我們未來還需要繼續做出哪些努力" in future["zh"]
    patents = row_with(interview_rows, "en", "SenseTime had 11,494 global patents")
    assert "11,494" in patents["zh"]


def test_questions_do_not_swallow_the_untranslated_answer_after_them(
    interview_rows: list[dict[str, str]],
) -> None:
    for question in [
        "With 78% of the patents being inventions",
        "has been SenseTime’s mission",
        "SenseTime’s investment in R&D has increased year by year",
    ]:
        row = row_with(interview_rows, "en", question)
        assert row["zh"].startswith("《IP PEOPLE》")
        assert "Wang Xiaogang:" not in row["en"], row["en"]


def test_every_question_sentence_stays_with_the_question_paragraph(
    interview_rows: list[dict[str, str]],
) -> None:
    """The two-sentence talent question: its second sentence pairs with the English
    question's last two sentences, not with the untranslated answer after them."""
    talent = row_with(interview_rows, "zh", "據了解,商湯科技的研發人才隊伍")
    assert talent["en"].startswith("We have learned that SenseTime’s R&D team")
    assert talent["en"].endswith(
        "So, how does SenseTime develop R&D teams to stimulate innovation?"
    )
    answer = row_with(interview_rows, "en", "Talent development has been a top priority")
    assert answer["type"] == "0-1"


def test_title_pairs_with_its_translation_printed_before_it(
    interview_rows: list[dict[str, str]],
) -> None:
    title = row_with(interview_rows, "en", "A Talk with Wang Xiaogang at SenseTime")
    assert "對話商湯絕影王曉剛" in title["zh"]
    mastheads = [row for row in interview_rows if row["zh"] == "《知產人物 IP PEOPLE》英文國際期刊"]
    assert len(mastheads) == 2 and all(row["en"] == "" for row in mastheads)


def test_the_introduction_does_not_take_the_masthead_paragraph_after_it(
    interview_rows: list[dict[str, str]],
) -> None:
    """The English masthead (`《IP PEOPLE》 Issue 1`, `Editor:Wei Lyu`) follows the
    introduction's translation in a paragraph of its own; a bead that took it would cross
    a paragraph of a mixed document (`mixed_paragraph_penalty`)."""
    intro = row_with(interview_rows, "en", "Recently, IP PEOPLE had an in-depth conversation")
    assert intro["en"].endswith("and the AI development in China.")
    assert intro["type"] == "1-2"


def test_an_r_and_d_sentence_end_keeps_two_one_to_one_pairs(
    interview_rows: list[dict[str, str]],
) -> None:
    """"…RMB 8 billion in R&D. The ongoing input…" is two sentences on each side: two 1-1
    pairs, not the 2-1 bead that reading `D.` as an initial forced."""
    invested = row_with(interview_rows, "en", "we invested RMB 8 billion in R&D")
    assert invested["en"] == "In the past four years, we invested RMB 8 billion in R&D."
    assert invested["zh"] == "過去4年,商湯累計研發投入超80億人民幣。"
    assert invested["type"] == "1-1"
    ongoing = row_with(interview_rows, "en", "The ongoing input allows us")
    assert ongoing["zh"].startswith("持續的投入") and ongoing["type"] == "1-1"


def test_untranslated_english_answers_stay_unaligned(interview_rows: list[dict[str, str]]) -> None:
    minicourses = row_with(
        interview_rows, "en", "We organize a team of top experts to develop mini-courses"
    )
    assert minicourses["zh"] == ""
    assert minicourses["type"] == "0-1"


def test_fast_gives_the_interview_the_same_pairs(
    interview_rows: list[dict[str, str]], tmp_path: Path
) -> None:
    out = tmp_path / "fast.csv"
    code, _, stderr = run("align", str(INTERVIEW), "-o", str(out), "-q", "--fast")
    assert code == 0, stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        fast = [(row["zh"], row["en"]) for row in csv.DictReader(handle)]
    assert fast == [(row["zh"], row["en"]) for row in interview_rows]
    options = pipeline_options(False, None, None, 5, 4, True, False, False, [])
    assert not options.align.exact_runs  # what --fast sets


def test_interview_loses_no_english_sentence(interview_rows: list[dict[str, str]]) -> None:
    english = " ".join(row["en"] for row in interview_rows)
    for sentence in ["Gradually AI has become a new arena", "Editor:Wei Lyu", "Interview excerpts"]:
        assert sentence in english


def test_interview_tmx_is_valid_tmx_14(tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "interview.tmx"
    code, _, stderr = run("align", str(INTERVIEW), "-o", str(out), "-q")
    assert code == 0, stderr
    tree = etree.parse(str(out))
    dtd = etree.DTD(str(shared_dir / "specs" / "tmx14.dtd"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    languages = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert languages == {"zh-TW", "en-US"}
    assert len(root.findall("body/tu")) >= 20


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_presegmented_files_keep_line_numbers_as_ids(tmp_path: Path) -> None:
    zh = write_lines(
        tmp_path / "doc.zh", ["今天天氣很好。", "", "我們去公園散步。", "他買了三本書。"]
    )
    en = write_lines(
        tmp_path / "doc.en",
        ["The weather is nice today.", "We went for a walk in the park.", "He bought three books."],
    )
    out = tmp_path / "doc.align"
    code, _, stderr = run("align", str(zh), str(en), "--presegmented", "-o", str(out), "-q")
    assert code == 0, stderr
    beads = parse_ladder(out.read_text(encoding="utf-8"))
    assert sorted(i for bead in beads for i in bead.src) == [0, 1, 2, 3]
    assert sorted(j for bead in beads for j in bead.tgt) == [0, 1, 2]
    assert ((0,), (0,)) in {(bead.src, bead.tgt) for bead in beads}
    assert ((3,), (2,)) in {(bead.src, bead.tgt) for bead in beads}


def test_languages_are_detected_whatever_the_order(tmp_path: Path) -> None:
    en = write_lines(tmp_path / "a.txt", ["The weather is nice today.", "He bought three books."])
    zh = write_lines(tmp_path / "b.txt", ["今天天氣很好。", "他買了三本書。"])
    code, stdout, stderr = run("align", str(en), str(zh), "-o", "-", "--format", "jsonl", "-q")
    assert code == 0, stderr
    assert '"en": "The weather is nice today."' in stdout
    assert '"zh": "今天天氣很好。"' in stdout


def test_stdout_output_with_explicit_format(tmp_path: Path) -> None:
    code, stdout, stderr = run("align", str(INTERVIEW), "-o", "-", "--format", "csv", "-q")
    assert code == 0, stderr
    header = next(csv.reader(io.StringIO(stdout)))
    assert header[:4] == ["zh", "en", "score", "type"]


def bad_inputs(tmp_path: Path) -> dict[str, list[Path]]:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    chinese_only = write_lines(tmp_path / "zh.txt", ["今天天氣很好。", "他買了三本書。"])
    return {
        "missing": [tmp_path / "nope.txt"],
        "empty": [empty],
        "binary": [binary],
        "one language": [ENGLISH_ONLY],
        "two of one language": [chinese_only, chinese_only],
        "a folder": [tmp_path],
    }


@pytest.mark.parametrize(
    "case", ["missing", "empty", "binary", "one language", "two of one language", "a folder"]
)
def test_bad_input_is_one_line_error_and_no_output(tmp_path: Path, case: str) -> None:
    inputs = bad_inputs(tmp_path)[case]
    out = tmp_path / "out.csv"
    code, _, stderr = run("align", *map(str, inputs), "-o", str(out), "-q")
    assert code == 1
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("aligner: error:")
    assert "Traceback" not in stderr
    assert not out.exists()


def test_unknown_output_extension_is_refused(tmp_path: Path) -> None:
    code, _, stderr = run("align", str(INTERVIEW), "-o", str(tmp_path / "out.docx"), "-q")
    assert code == 1 and "docx" in stderr


def test_console_script_runs_offline_end_to_end(tmp_path: Path) -> None:
    """The installed `aligner` command itself, as a user runs it (real model, no hub)."""
    out = tmp_path / "x.csv"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    script = Path(sys.executable).with_name("aligner")
    result = subprocess.run(
        [str(script), "align", str(INTERVIEW), "-o", str(out)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "beads" in result.stderr and out.stat().st_size > 1000


@pytest.fixture(scope="module")
def interview_tmx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tmx") / "interview.tmx"
    result = CliRunner().invoke(app, ["align", str(INTERVIEW), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    return out


def tmx_pairs(path: Path) -> list[tuple[str, ...]]:
    root = etree.parse(str(path)).getroot()
    return [tuple(seg.text for seg in tu.iter("seg")) for tu in root.iter("tu")]


def test_units_with_unrepairable_damage_are_marked_for_the_translator(
    interview_tmx: Path,
) -> None:
    root = etree.parse(str(interview_tmx)).getroot()
    marked = [
        "".join(tu.find("tuv/seg").text or "")
        for tu in root.iter("tu")
        if tu.find("prop[@type='x-damaged']") is not None
    ]
    assert len(marked) >= 3
    assert all("?" in text for text in marked)


def test_convert_tmx_to_jsonl_keeps_every_pair(interview_tmx: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.jsonl"
    code, _, stderr = run("convert", str(interview_tmx), "-o", str(out))
    assert code == 0, stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    pairs = tmx_pairs(interview_tmx)
    assert [(r["translation"]["zh"], r["translation"]["en"]) for r in records] == pairs


def test_convert_applies_filters(interview_tmx: Path, tmp_path: Path) -> None:
    out = tmp_path / "one-to-one.csv"
    code, _, stderr = run("convert", str(interview_tmx), "-o", str(out), "--types", "1-1")
    assert code == 0, stderr
    with out.open(encoding="utf-8", newline="") as handle:
        kinds = {row["type"] for row in csv.DictReader(handle)}
    assert kinds == {"1-1"}


def test_merge_with_dedupe_keeps_one_copy(interview_tmx: Path, tmp_path: Path) -> None:
    out = tmp_path / "merged.tmx"
    code, _, stderr = run(
        "merge", str(interview_tmx), str(interview_tmx), "-o", str(out), "--dedupe"
    )
    assert code == 0, stderr
    assert tmx_pairs(out) == tmx_pairs(interview_tmx)
    code, _, stderr = run("merge", str(interview_tmx), str(interview_tmx), "-o", str(out))
    assert len(tmx_pairs(out)) == 2 * len(tmx_pairs(interview_tmx))


def test_convert_missing_file_is_one_line_error(tmp_path: Path) -> None:
    code, _, stderr = run("convert", str(tmp_path / "none.tmx"), "-o", str(tmp_path / "x.csv"))
    assert code == 1 and len(stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--types", "1:1"], "--types"),
        (["--glossary", "terms.xlsx"], "glossary format"),
    ],
)
def test_bad_options_fail_before_any_output(tmp_path: Path, extra: list[str], message: str) -> None:
    out = tmp_path / "out.csv"
    code, _, stderr = run("align", str(INTERVIEW), "-o", str(out), "-q", *extra)
    assert code == 1 and message in stderr
    assert not out.exists()


def test_missing_output_folder_is_named(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "out.csv"
    code, _, stderr = run("align", str(INTERVIEW), "-o", str(out), "-q")
    assert code == 1 and "no-such-folder" in stderr and "does not exist" in stderr


def test_a_repair_can_be_switched_off(tmp_path: Path) -> None:
    out = tmp_path / "raw.csv"
    code, _, stderr = run(
        "align", str(INTERVIEW), "-o", str(out), "-q", "--no-repair", "pinyin-glosses"
    )
    assert code == 0, stderr
    assert "產(chǎn)" in out.read_text(encoding="utf-8")
    code, _, stderr = run("align", str(INTERVIEW), "-o", str(out), "-q", "--no-repair", "spelling")
    assert code == 1 and "pinyin-glosses" in stderr
