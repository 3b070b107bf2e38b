"""Documents in every input format, written by the tests themselves from given paragraphs.

Nothing is downloaded or committed: Word files come from python-docx, PDFs from
reportlab with its built-in Chinese CID font (STSong-Light, no font file needed),
OpenDocument and EPUB files are zips built here, the text formats are written by hand.
"""

from __future__ import annotations

import html
import re
import textwrap
import zipfile
from pathlib import Path

HAN = re.compile("[\u4e00-\u9fff]")


def write_docx(path: Path, paragraphs: list[str], headings: set[int]) -> Path:
    import docx

    document = docx.Document()
    for number, text in enumerate(paragraphs):
        if number in headings:
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    document.sections[0].header.paragraphs[0].text = "IP PEOPLE Issue 1"
    document.save(str(path))
    return path


def write_odt(path: Path, paragraphs: list[str], headings: set[int]) -> Path:
    """A minimal OpenDocument text: mimetype stored first, manifest, content.xml."""
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    body = []
    for number, text in enumerate(paragraphs):
        escaped = html.escape(text, quote=False).replace("  ", " <text:s/>")
        if number in headings:
            body.append(f'<text:h text:outline-level="1">{escaped}</text:h>')
        elif number == 1:
            note = (
                '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                "<text:note-body><text:p>A footnote.</text:p></text:note-body></text:note>"
            )
            body.append(f"<text:p>{escaped}{note}</text:p>")
        else:
            body.append(f"<text:p><text:span>{escaped}</text:span></text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        f' xmlns:text="{text_ns}" office:version="1.3"><office:body><office:text>'
        + "".join(body)
        + "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def html_page(paragraphs: list[str], headings: set[int]) -> str:
    """A saved article page: cookie banner, navigation, sidebar, footer, scripts, styles."""
    body = "\n".join(
        f"<h2>{html.escape(text)}</h2>" if number in headings else f"<p>{html.escape(text)}</p>"
        for number, text in enumerate(paragraphs)
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>IP PEOPLE</title>
<style>p {{ margin: 0 }}</style><script>var tracking = "on";</script></head>
<body><div class="cookie-banner">We use cookies to improve your experience. Accept all?</div>
<header><nav><a href="/">Home</a> <a href="/interviews">Interviews</a>
<a href="/about">About us</a></nav></header>
<main><article>{body}</article>
<aside><h3>Related articles</h3><ul><li><a href="/a">Patent trends in AI companies</a></li>
<li><a href="/b">How to protect software in China</a></li></ul></aside></main>
<footer><p>© 2022 IP PEOPLE. All rights reserved. Privacy policy</p></footer>
<script>document.querySelector(".cookie-banner").remove();</script></body></html>
"""


def write_epub(path: Path, chapters: list[list[str]], headings: set[str]) -> Path:
    """An EPUB 3 with a navigation document and one XHTML file per chapter."""

    def xhtml(paragraphs: list[str]) -> str:
        body = "".join(
            f"<h1>{html.escape(text)}</h1>" if text in headings else f"<p>{html.escape(text)}</p>"
            for text in paragraphs
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>t</title><style>p {{}}</style></head><body>{body}</body></html>"
        )

    items = "".join(
        f'<item id="c{n}" href="text/c{n}.xhtml" media-type="application/xhtml+xml"/>'
        for n in range(len(chapters))
    )
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(len(chapters)))
    package = (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">test</dc:identifier><dc:title>t</dc:title></metadata><manifest>'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        f'{items}</manifest><spine><itemref idref="nav"/>{spine}</spine></package>'
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    nav = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><nav><ol><li>Contents</li></ol></nav>'
        "</body></html>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", package)
        archive.writestr("OEBPS/nav.xhtml", nav)
        for number, paragraphs in enumerate(chapters):
            archive.writestr(f"OEBPS/text/c{number}.xhtml", xhtml(paragraphs))
    return path


def write_pdf(
    path: Path, paragraphs: list[str], headings: set[int], decorated: bool = True
) -> Path:
    """An A4 PDF in reportlab's Chinese CID font, with a running header and page numbers
    unless not `decorated`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=11, leading=15, wordWrap="CJK", spaceAfter=8
    )
    heading = ParagraphStyle("heading", parent=body, fontSize=16, leading=20, spaceAfter=10)

    def decorate(canvas: object, document: object) -> None:
        if not decorated:
            return
        canvas.setFont("STSong-Light", 9)  # type: ignore[attr-defined]
        canvas.drawString(72, A4[1] - 40, "IP PEOPLE 知產人物 Issue 1")  # type: ignore[attr-defined]
        page = str(document.page)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, page)  # type: ignore[attr-defined]

    story = [
        Paragraph(html.escape(text), heading if number in headings else body)
        for number, text in enumerate(paragraphs)
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return path


def write_srt(path: Path, paragraphs: list[str]) -> Path:
    """One cue per paragraph; English wrapped at 42 characters as subtitlers do."""
    cues = []
    for number, text in enumerate(paragraphs, start=1):
        lines = [text] if HAN.search(text) else textwrap.wrap(text, 42)
        start, end = _srt_time(number * 2.0), _srt_time(number * 2.0 + 1.5)
        cues.append(f"{number}\n{start} --> {end}\n" + "\n".join(lines) + "\n")
    path.write_text("\n".join(cues), encoding="utf-8")
    return path


def write_vtt(path: Path, paragraphs: list[str]) -> Path:
    cues = ["WEBVTT\n", "NOTE written by the tests\n"]
    for number, text in enumerate(paragraphs, start=1):
        lines = [text] if HAN.search(text) else textwrap.wrap(text, 42)
        start = _srt_time(number * 2.0).replace(",", ".")
        end = _srt_time(number * 2.0 + 1.5).replace(",", ".")
        cues.append(f"{start} --> {end}\n" + "\n".join(lines) + "\n")
    path.write_text("\n".join(cues), encoding="utf-8")
    return path


def _srt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, minutes, whole = millis // 3_600_000, millis // 60_000 % 60, millis // 1000 % 60
    return f"{hours:02}:{minutes:02}:{whole:02},{millis % 1000:03}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def write_markdown(path: Path, paragraphs: list[str], headings: set[int]) -> Path:
    """Front matter, an image and a code block around the paragraphs (all to be dropped)."""
    parts = ["---\ntitle: interview\n---\n", "![cover](cover.png)\n"]
    for number, text in enumerate(paragraphs):
        escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
        parts.append(f"## {escaped}\n" if number in headings else f"{escaped}\n")
        if number == 3:
            parts.append("```python\nprint('not prose')\n```\n")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="interview.docx" source-language="zh-TW" target-language="en-US" datatype="x">
  <body>
   <group id="g1">
    <trans-unit id="u1">
     <source>商湯科技<g id="1">目前</g>已經是領先企業。<x id="2"/></source>
     <target>SenseTime is <g id="1">now</g> a leading company.<x id="2"/></target>
     <alt-trans><source>舊的</source><target>Old suggestion</target></alt-trans>
    </trans-unit>
   </group>
   <trans-unit id="u2"><source>沒有譯文。</source></trans-unit>
   <trans-unit id="u3" translate="no"><source>ID-42</source><target>ID-42</target></trans-unit>
   <trans-unit id="u4">
    <source>第一句。第二句。</source>
    <seg-source><mrk mtype="seg" mid="1">第一句。</mrk><mrk mtype="seg" mid="2">第二句。</mrk>
    </seg-source>
    <target><mrk mtype="seg" mid="1">First.</mrk> <mrk mtype="seg" mid="2">Second.</mrk></target>
   </trans-unit>
   <trans-unit id="u5">
    <source>按<bpt id="1">&lt;b&gt;</bpt>這裡<ept id="1">&lt;/b&gt;</ept></source>
    <target>Click <bpt id="1">&lt;b&gt;</bpt>here<ept id="1">&lt;/b&gt;</ept></target></trans-unit>
  </body>
 </file>
</xliff>
"""

XLIFF_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh-CN">
 <file id="f1">
  <unit id="1">
   <segment id="s1"><source>Hello <pc id="1">world</pc>.</source>
    <target>你好，<pc id="1">世界</pc>。</target></segment>
   <ignorable><source> </source></ignorable>
   <segment id="s2"><source>Press <ph id="2" disp="{0}"/>now.</source>
    <target>現在按<ph id="2"/>。</target></segment>
  </unit>
  <unit id="2"><segment><source>Untranslated.</source></segment></unit>
 </file>
</xliff>
"""


def tmx_text(pairs: list[tuple[str, str]], srclang: str = "en") -> str:
    units = "".join(
        f'<tu tuid="t{n}"><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>'
        for n, (zh, en) in enumerate(pairs, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" '
        f'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="{srclang}" '
        f'datatype="plaintext"/><body>{units}<tu><tuv xml:lang="en"><seg>Alone.</seg></tuv></tu>'
        "</body></tmx>"
    )
