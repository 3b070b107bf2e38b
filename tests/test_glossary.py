"""Glossary extraction on small hand-made alignments, and the structure of each format."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from aligner.data import AlignerError, Alignment, Bead, Sentence
from aligner.embed import Embedder
from aligner.formats import write_alignments
from aligner.glossary import TermPair, extract_glossary, glossary_file, write_glossary
from aligner.glossary.candidates import ENGLISH_STOPWORDS, chinese_terms, english_terms

TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Sentence pairs from the seed interview (seeds/001_…), pinyin artefacts removed by hand.
SEED_PAIRS = [
    (
        (
            "近期,《知產人物 IP PEOPLE》英文國際期刊就人工智能這個熱門話題與商湯科技聯合創始人、"
            "首席科學家、絕影智能汽車事業群總裁王曉剛進行了深入交流。"
        ),
        (
            "Recently, IP PEOPLE had an in-depth conversation on AI with Wang Xiaogang, Co-founder "
            "and Chief Scientist at SenseTime, and President of SenseAuto Business Unit."
        ),
    ),
    (
        "商湯科技目前已經是行業領先的人工智能軟件企業。",
        "SenseTime has become an industry-leading AI software provider.",
    ),
    (
        "商湯科技目前在智慧商業、智慧城市、智慧生活和智能汽車四大核心業務板塊均已處於業內領先地位。",
        (
            "SenseTime’s four core business domains—Smart Business, Smart City, Smart Life, "
            "and Smart "
            "Auto—are all among the best in the industry."
        ),
    ),
    ("商湯的研發投入逐年增加。", "SenseTime’s investment in R&D has increased year by year."),
    (
        "截至2021年底,商湯的全球專利資產累計11,494件,較2020年底增長了96%。",
        (
            "As of the end of 2021, SenseTime had 11,494 global patents, a 96% increase compared "
            "to 2020."
        ),
    ),
    (
        "是怎樣的契機致使專利得到了如此大幅的增長呢?",
        "What triggered such a significant increase in patents?",
    ),
    ("其中 78% 為發明專利。", "78% were invention patents."),
    (
        "幾年前,發明專利的比例更高,接近90%。",
        "A few years ago, the percentage of invention patents was even higher, hitting nearly 90%.",
    ),
    (
        "商湯科技在2021年登榜全球智能駕駛專利Top10,也推出了商湯絕影智能汽車平臺。",
        (
            "In 2021, SenseTime was ranked among the top 10 global intelligent driving patent "
            "holders "
            "and launched SenseAuto, an intelligent automotive application platform."
        ),
    ),
    (
        "絕影自2016年開始探索智能汽車領域以來,不斷執行嚴苛的質量管理。",
        (
            "SenseAuto has maintained strict quality management since it ventured into the smart "
            "auto industry in 2016."
        ),
    ),
    (
        "在智能汽車領域,健全的質量體系意味著行車安全、交互流暢。",
        (
            "In the smart auto industry, a robust quality system can ensure safe driving and "
            "enable seamless interactions."
        ),
    ),
    (
        "2019、2020年先後通過ASPICE CL1和CL2等級認證,是亞洲最早拿到ASPICE認證的AI平臺公司。",
        (
            "It was certified with ASPICE CL1 and CL2 in 2019 and 2020 respectively, making it the "
            "first AI company in Asia to obtain the ASPICE certification."
        ),
    ),
    (
        (
            "王曉剛:從整個人工智能發展歷史來看,雖然中國屬於後來者,但在諸多政策的積極推動下,"
            "國內人工智能發展迅速。"
        ),
        (
            "Wang Xiaogang: Although a latecomer in AI development, China has introduced a "
            "series of "
            "policies to support the development of AI."
        ),
    ),
    (
        "王曉剛:人工智能從原創研究到產業的成功落地,本身就非常依賴於產學研的相互作用與密切配合。",
        (
            "Wang Xiaogang: The development of AI, from original research to product creation, "
            "depends heavily on industry-university-research cooperation."
        ),
    ),
    (
        "《知產人物 IP PEOPLE》對話商湯絕影王曉剛:科技領航,AI普惠生活",
        "A Talk with Wang Xiaogang at SenseTime: Leverage leading AI for good",
    ),
    (
        "同時,作為創新副產品,商湯團隊發布了600多篇計算機視覺深度學習的頂尖論文。",
        "SenseTime has published more than 600 top papers on deep learning for computer vision.",
    ),
    (
        "人工智能是目前全球科技界最炙手可熱的名詞之一。",
        "AI is currently one of the top buzzwords in the tech world.",
    ),
    (
        "多年前您曾說過,AI會給人類帶來新機會。",
        "Years ago, you said that AI would bring new opportunities to humanity.",
    ),
]


def aligned(pairs: list[tuple[str, str]], zh_first: bool = True) -> Alignment:
    """One 1-1 bead per pair; with `zh_first=False` English is the source side."""
    zh = [Sentence(text, "zh") for text, _ in pairs]
    en = [Sentence(text, "en") for _, text in pairs]
    beads = [Bead((i,), (i,), 1.0) for i in range(len(pairs))]
    if zh_first:
        return Alignment("zh", "en", zh, en, beads, zh_script="traditional")
    return Alignment("en", "zh", en, zh, beads)


HOSPITAL_PAIRS = [
    ("我們的醫院很大。", "Our hospital is big."),
    ("醫院裡有很多病人。", "There are many patients in the hospital."),
    ("他去了醫院。", "He went to the hospital."),
    ("病人很累。", "The patients are tired."),
    ("天氣很好。", "The weather is nice."),
]

TERMS = [
    TermPair(
        "專利", "patents", 0.81, 3, "是怎樣的契機致使專利得到了\t增長呢?", "What\ntriggered it?"
    ),
    TermPair("商湯", "SenseTime, Inc.", 0.8, 7, "商湯的研發投入逐年增加。", "SenseTime grew."),
]


@pytest.fixture(scope="module")
def seed_glossary(embedder: Embedder) -> dict[str, TermPair]:
    terms = extract_glossary([aligned(SEED_PAIRS)], embedder)
    return {term.zh: term for term in terms}


def pairs_of(terms: list[TermPair]) -> set[tuple[str, str]]:
    return {(term.zh, term.en) for term in terms}


def test_term_repeated_across_beads_pairs_with_its_translation() -> None:
    terms = extract_glossary([aligned(HOSPITAL_PAIRS)])
    by_zh = {term.zh: term for term in terms}
    assert by_zh["醫院"].en == "hospital"
    assert by_zh["醫院"].frequency == 3
    assert by_zh["病人"].en == "patients"
    assert "天氣" not in by_zh  # in one bead only: below the default min_frequency of 2
    assert [term.score for term in terms] == sorted((term.score for term in terms), reverse=True)


def test_example_is_a_bead_holding_both_terms() -> None:
    terms = extract_glossary([aligned(HOSPITAL_PAIRS)])
    assert terms
    for term in terms:
        assert term.zh in term.example_zh
        assert term.en.lower() in term.example_en.lower()


def test_english_source_direction_gives_the_same_pairs() -> None:
    forward = extract_glossary([aligned(HOSPITAL_PAIRS)])
    backward = extract_glossary([aligned(HOSPITAL_PAIRS, zh_first=False)])
    assert pairs_of(forward)
    assert pairs_of(forward) == pairs_of(backward)


def test_stopwords_are_not_terms() -> None:
    assert english_terms("It is of the and to them.") == []
    found = {
        occurrence.surface for occurrence in english_terms("the thermal springs of the valley")
    }
    assert found == {"thermal", "springs", "thermal springs", "valley"}
    terms = extract_glossary([aligned(HOSPITAL_PAIRS)], min_frequency=1)
    assert terms
    for term in terms:
        words = term.en.lower().split()
        assert words[0] not in ENGLISH_STOPWORDS and words[-1] not in ENGLISH_STOPWORDS


def test_numbers_are_not_terms() -> None:
    assert english_terms("2021 96% 11,494") == []
    assert {occurrence.surface for occurrence in chinese_terms("2021年增長了96%")} == set()


def test_traditional_text_keeps_its_characters() -> None:
    surfaces = {occurrence.surface for occurrence in chinese_terms("商湯的全球專利資產")}
    assert "專利" in surfaces
    assert "专利" not in surfaces


def test_latin_name_inside_chinese_pairs_with_itself() -> None:
    pairs = [
        ("我們使用ASPICE標準。", "We use the ASPICE standard."),
        ("ASPICE認證很重要。", "ASPICE certification matters."),
        ("他喜歡Python。", "He likes snakes."),
        ("Python很好。", "Snakes are fine."),
    ]
    terms = extract_glossary([aligned(pairs)])
    assert ("ASPICE", "ASPICE") in pairs_of(terms)
    aspice = next(term for term in terms if term.zh == "ASPICE")
    assert aspice.frequency == 2
    assert all(term.zh != "Python" for term in terms)  # absent from the English side


def test_min_frequency_below_one_is_refused() -> None:
    with pytest.raises(AlignerError, match="at least 1"):
        extract_glossary([aligned(HOSPITAL_PAIRS)], min_frequency=0)


def test_seed_interview_names_and_terms(seed_glossary: dict[str, TermPair]) -> None:
    assert seed_glossary["商湯"].en == "SenseTime"
    assert seed_glossary["絕影"].en == "SenseAuto"
    assert seed_glossary["王曉剛"].en == "Wang Xiaogang"
    assert seed_glossary["專利"].en.lower() in ("patent", "patents")
    assert seed_glossary["人工智能"].en == "AI"


def test_nested_terms_kept_when_their_translations_differ(
    seed_glossary: dict[str, TermPair],
) -> None:
    assert seed_glossary["發明專利"].en == "invention patents"
    assert seed_glossary["專利"].en.lower() in ("patent", "patents")


def test_top_keeps_the_best() -> None:
    everything = extract_glossary([aligned(HOSPITAL_PAIRS)], min_frequency=1)
    assert len(everything) > 1
    assert extract_glossary([aligned(HOSPITAL_PAIRS)], top=1, min_frequency=1) == everything[:1]


def test_csv_has_header_and_rows(tmp_path: Path) -> None:
    out = tmp_path / "terms.csv"
    write_glossary(TERMS, str(out))
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["zh", "en", "score", "frequency", "example_zh", "example_en"]
    assert rows[2][:4] == ["商湯", "SenseTime, Inc.", "0.8000", "7"]
    assert len(rows) == 3


def test_tsv_rows_stay_on_one_line(tmp_path: Path) -> None:
    out = tmp_path / "terms.tsv"
    write_glossary(TERMS, str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["zh", "en", "score", "frequency", "example_zh", "example_en"]
    assert [len(line.split("\t")) for line in lines] == [6, 6, 6]


def test_omegat_lines_have_three_tab_fields(tmp_path: Path) -> None:
    out = tmp_path / "terms.txt"
    write_glossary(TERMS, str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(TERMS)
    fields = [line.split("\t") for line in lines]
    assert all(len(row) == 3 for row in fields)
    assert fields[0][:2] == ["專利", "patents"]


def test_tbx_basic_structure(tmp_path: Path) -> None:
    out = tmp_path / "terms.tbx"
    write_glossary(TERMS, str(out))
    root = etree.parse(str(out)).getroot()
    assert root.tag == f"{TBX}tbx"
    assert root.get("type") == "TBX-Basic"
    assert root.get("style") == "dca"
    assert root.find(f"{TBX}tbxHeader/{TBX}fileDesc/{TBX}sourceDesc") is not None
    entries = root.findall(f"{TBX}text/{TBX}body/{TBX}conceptEntry")
    assert len(entries) == len(TERMS)
    terms = {
        lang_sec.get(XML_LANG): lang_sec.findtext(f"{TBX}termSec/{TBX}term")
        for lang_sec in entries[1].findall(f"{TBX}langSec")
    }
    assert terms == {"zh": "商湯", "en": "SenseTime, Inc."}


def test_format_option_overrides_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "terms.xml"
    write_glossary(TERMS, str(out), fmt="tbx")
    assert etree.parse(str(out)).getroot().tag == f"{TBX}tbx"


def test_unknown_format_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match="glossary format"):
        write_glossary(TERMS, str(tmp_path / "terms.docx"))


def test_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_glossary(TERMS, str(tmp_path / "terms.tsv"))
    assert [path.name for path in tmp_path.iterdir()] == ["terms.tsv"]


def test_glossary_file_reads_an_aligned_export(tmp_path: Path) -> None:
    source = tmp_path / "aligned.tmx"
    write_alignments([aligned(HOSPITAL_PAIRS)], str(source), "tmx")
    out = tmp_path / "terms.txt"
    assert glossary_file(str(source), str(out), None) == 2
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("醫院\thospital\t")


def test_jieba_starts_quietly() -> None:
    """Glossary extraction loads jieba without its start-up chatter on stderr."""
    script = (
        "from aligner.glossary import extract_glossary; import jieba.posseg; "
        "print(list(jieba.posseg.cut('人工智能產業')))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stderr == ""
    assert run.stdout.strip()
