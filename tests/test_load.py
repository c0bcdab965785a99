"""kg.load: every format and encoding to the same text; every failure to a coded error.

Fixtures are built here from string constants, so the suite needs no network and no shared/.
"""

from __future__ import annotations

import codecs
import io
import os
import pathlib

import docx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

import kg.load
from kg.errors import (
    DecodeError,
    EmptyDocumentError,
    InputError,
    KgError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from kg.load import LOADERS, SUPPORTED_SUFFIXES, load_document

# The opening lines of pingshan-2017-reform-plan.txt (shared/seeds), copied in because CI may
# not have shared/.
SIMPLIFIED = (
    "当前位置: 新闻资讯 政策前沿 这28个改革项目关系坪山大发展\n"
    "深化基层治理体制改革,民生诉求渠道流程优化改革,深化科技、产业创新体制机制改革,"
    "推进城市更新体制改革,深入落实强区放权改革,创新基层党建工作机制,"
    "探索建立容错纠错、正向激励机制……\n"
    "这些改革项目,关系到坪山大发展。\n"
    "连日来,坪山出炉“2017年改革计划”,全年预计在28个项目中进行改革创新,"
    "其中不少项目涉及民生,重点改革项目由区主要领导牵头负责。\n"
    "区委书记、区长领任务\n"
)
# The same kind of text in traditional characters, as a Big5 file from Taiwan or Hong Kong has.
TRADITIONAL = (
    "深化基層治理體制改革,民生訴求渠道流程優化改革,深化科技、產業創新體制機制改革。\n"
    "區委書記、區長領任務\n"
    "這些改革項目,關係到坪山大發展。\n"
)


def marked(mark: bytes, text: str, codec: str) -> bytes:
    """``text`` encoded with ``codec``, after a byte-order mark (the codecs here write none)."""
    return mark + text.encode(codec)


# (id, text, bytes as written, codec the loader must report)
ENCODED_TEXTS = [
    ("utf-8", SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8"),
    ("utf-8-bom", SIMPLIFIED, marked(codecs.BOM_UTF8, SIMPLIFIED, "utf-8"), "utf-8-sig"),
    ("gb18030", SIMPLIFIED, SIMPLIFIED.encode("gb18030"), "gb18030"),
    # GBK bytes are GB18030 bytes; the superset is reported so no character can fail later.
    ("gbk", SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gb18030"),
    ("utf-16-le-bom", SIMPLIFIED, marked(codecs.BOM_UTF16_LE, SIMPLIFIED, "utf-16-le"), "utf-16"),
    ("utf-16-be-bom", SIMPLIFIED, marked(codecs.BOM_UTF16_BE, SIMPLIFIED, "utf-16-be"), "utf-16"),
    ("utf-32-le-bom", SIMPLIFIED, marked(codecs.BOM_UTF32_LE, SIMPLIFIED, "utf-32-le"), "utf-32"),
    ("big5", TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
]


def write(tmp_path: pathlib.Path, name: str, data: bytes) -> pathlib.Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "data", "codec"),
    [case[1:] for case in ENCODED_TEXTS],
    ids=[case[0] for case in ENCODED_TEXTS],
)
def test_text_file_decodes_to_exactly_the_original(tmp_path, text, data, codec):
    path = write(tmp_path, "plan.txt", data)

    document = load_document(path)

    assert document.text == text  # no byte-order mark, nothing added or dropped
    assert document.encoding == codec
    assert document.media_type == "text/plain"
    assert document.name == "plan.txt"
    assert document.path == str(path)


def test_utf8_damaged_in_a_few_places_is_read_with_the_bad_bytes_replaced(tmp_path):
    """Six bad bytes in the middle of a UTF-8 plan: the text is read, each bad sequence is one
    U+FFFD, and the document's note says how many and where the first is."""
    seed = (pathlib.Path(__file__).resolve().parents[1] / "data" / "pingshan-2017-reform-plan.txt").read_bytes()
    middle = seed.index("。".encode()) + 3
    damaged = seed[:middle] + b"\xff\xfe\x80\x81\xc3(" + seed[middle:]
    document = load_document(write(tmp_path, "plan.txt", damaged))
    assert document.encoding == "utf-8"
    assert document.text == seed[:middle].decode() + "\ufffd" * 5 + "(" + seed[middle:].decode()
    assert document.notes == (f"5 byte sequence(s) that are not UTF-8 replaced by U+FFFD, the first at byte {middle:,}",)
    # Text with far more bad bytes than a damaged copy holds is no UTF-8: refused as before.
    with pytest.raises(DecodeError):
        load_document(write(tmp_path, "noise.txt", bytes(range(0x80, 0x100)) * 40 + b"\xff" * 200))


def test_html_markup_in_a_text_file_is_read_as_white_space_in_place(tmp_path):
    """A page's source pasted as text (三亚: `<p class="ql-block">` on one line) or a mirror's junk
    tags before the article (银川): the tags become white space of the same length, a block's end
    a line break, so the items are lines again and every offset stays where the file has it."""
    source = (
        '<p class="ql-block">一、甲景区(责任单位:市甲局)</p> <p class="ql-block">1.甲处垃圾多。</p>'
        '<p class="ql-block">2.乙处标识&nbsp;模糊。</p><script>var x = "<p>";</script><br/><span>丙</span>'
    )
    document = load_document(write(tmp_path, "page.txt", source.encode("utf-8")))
    assert len(document.text) == len(source)
    lines = [line.strip() for line in document.text.splitlines() if line.strip()]
    assert lines == ["一、甲景区(责任单位:市甲局)", "1.甲处垃圾多。", "2.乙处标识      模糊。", "丙"]
    start = source.index("1.甲处")
    assert document.text[start : start + 8] == "1.甲处垃圾多。"
    assert document.notes == ("10 HTML tags in the text read as white space",)
    # A text that mentions a tag or two is left as it is.
    plain = "关于印发<通知>的说明：见<p>标记。\n"
    assert load_document(write(tmp_path, "plain.txt", plain.encode("utf-8"))).text == plain


def test_doc_id_is_the_same_for_the_same_text_in_any_encoding(tmp_path):
    ids = {
        load_document(write(tmp_path, f"{case_id}.txt", data)).doc_id
        for case_id, text, data, _ in ENCODED_TEXTS
        if text == SIMPLIFIED
    }

    assert len(ids) == 1
    (doc_id,) = ids
    assert len(doc_id) == 16 and int(doc_id, 16) >= 0


def test_text_keeps_crlf_and_indentation_so_offsets_match_the_file(tmp_path):
    text = SIMPLIFIED.replace("\n", "\r\n").replace("区委书记", "\u3000\u3000区委书记")
    path = write(tmp_path, "plan.txt", text.encode("gb18030"))

    document = load_document(path)

    assert document.text == text
    assert len(document.text) == len(text)


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [(".md", "text/markdown"), (".text", "text/plain"), (".TXT", "text/plain")],
)
def test_other_text_suffixes_load_as_written(tmp_path, suffix, media_type):
    text = "# 改革计划\n\n" + SIMPLIFIED
    document = load_document(write(tmp_path, "plan" + suffix, text.encode("utf-8")))

    assert document.text == text
    assert document.media_type == media_type


def test_path_is_kept_as_given(tmp_path, monkeypatch):
    write(tmp_path, "plan.txt", SIMPLIFIED.encode("utf-8"))
    monkeypatch.chdir(tmp_path)

    document = load_document("plan.txt")

    assert document.path == "plan.txt"
    assert document.name == "plan.txt"


# --- HTML ---------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
  <title>这28个改革项目关系坪山大发展</title>
  <style>.menu { color: red }</style>
  <script>var tracker = "脚本内容";</script>
</head>
<body>
  <div class="top-header">坪山区人民政府门户网站</div>
  <div id="mainNav"><a href="/">首页</a> <a href="/news">新闻资讯</a> <a href="/gk">政务公开</a></div>
  <nav><a href="/">导航链接</a></nav>
  <div class="location">当前位置：<a href="/">首页</a> &gt; 政务公开</div>
  <div class="content">
    <h1>这28个改革项目关系坪山大发展</h1>
    <p>深化基层治理体制改革,
       民生诉求渠道流程优化改革</p>
    <p>区委书记、区长<b>领任务</b><br>这些改革项目,关系到坪山大发展。</p>
    <!-- 注释不是正文 -->
    <table>
      <tr><th>改革项目</th><th>牵头领导</th><th>牵头单位</th></tr>
      <tr><td>深化基层治理体制改革</td><td>区委书记</td><td><p>区委政法委</p></td></tr>
      <tr><td>民生诉求渠道流程优化改革</td><td></td><td>区政府办</td></tr>
    </table>
    <ul class="related"><li><a href="/1">相关文章一</a></li><li><a href="/2">相关文章二</a></li><li><a href="/3">相关文章三</a></li></ul>
    <script>document.write("不应出现");</script>
  </div>
  <aside>侧栏热点</aside>
  <footer>版权所有 坪山区人民政府</footer>
</body>
</html>
"""

HTML_MAIN_TEXT = (
    "这28个改革项目关系坪山大发展\n"
    "深化基层治理体制改革, 民生诉求渠道流程优化改革\n"
    "区委书记、区长领任务\n"
    "这些改革项目,关系到坪山大发展。\n"
    "改革项目 | 牵头领导 | 牵头单位\n"
    "深化基层治理体制改革 | 区委书记 | 区委政法委\n"
    "民生诉求渠道流程优化改革 |  | 区政府办"
)


def test_html_gives_main_text_with_table_rows_and_no_chrome(tmp_path):
    path = write(tmp_path, "news.html", HTML_PAGE.encode("gb18030"))

    document = load_document(path)

    assert document.text == HTML_MAIN_TEXT
    assert document.title == "这28个改革项目关系坪山大发展"
    assert document.media_type == "text/html"
    # The page declares gb2312; its superset decodes it.
    assert document.encoding == "gb18030"
    for chrome in ("首页", "导航链接", "当前位置", "门户网站", "侧栏", "版权所有", "脚本", "不应出现", "注释", "相关文章", "color"):
        assert chrome not in document.text


def test_html_without_declared_charset_is_detected(tmp_path):
    page = HTML_PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    path = write(tmp_path, "news.htm", page.encode("gb18030"))

    document = load_document(path)

    assert document.text == HTML_MAIN_TEXT
    assert document.encoding == "gb18030"


def test_html_utf8_wins_over_a_wrong_declaration(tmp_path):
    path = write(tmp_path, "news.html", HTML_PAGE.encode("utf-8"))

    assert load_document(path).text == HTML_MAIN_TEXT


def test_html_article_is_the_main_text_and_keeps_its_own_header(tmp_path):
    page = (
        "<html><body><header><h1>网站标题</h1></header>"
        "<div class='list'><p>其他栏目的文字</p></div>"
        "<article><header><h1>关于印发改革计划的通知</h1></header>"
        "<p>各单位:</p><p>现将改革计划印发给你们。</p></article>"
        "<footer>联系我们</footer></body></html>"
    )

    document = load_document(write(tmp_path, "notice.html", page.encode("utf-8")))

    assert document.text == "关于印发改革计划的通知\n各单位:\n现将改革计划印发给你们。"
    assert document.title == "网站标题"  # no <title>: the first <h1>


def test_html_layout_table_keeps_its_paragraphs_as_lines(tmp_path):
    # Old CMS pages lay the whole page out in a table; its content cell is not a data row.
    paragraphs = "".join(f"<p>第{n}段</p>" for n in "一二三四")
    page = f"<html><body><table><tr><td>{paragraphs}</td><td>附注</td></tr></table></body></html>"

    document = load_document(write(tmp_path, "page.html", page.encode("utf-8")))

    assert document.text.splitlines() == ["第一段", "第二段", "第三段", "第四段", "附注"]


# --- DOCX ---------------------------------------------------------------------------------


def build_docx() -> bytes:
    document = docx.Document()
    document.add_heading("坪山区2017年改革计划", level=1)
    document.add_paragraph("一、总体要求")
    document.add_paragraph("深化基层治理体制改革。")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, [
        ("改革项目", "牵头领导", "牵头单位"),
        ("深化基层治理体制改革", "区委书记", "区委政法委"),
        ("民生诉求渠道流程优化改革", "区长", ""),
    ]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    # Merged across two columns: python-docx reports the cell twice; it must appear once.
    merged = table.rows[2].cells[1].merge(table.rows[2].cells[2])
    merged.text = "区长"
    document.add_paragraph("")  # empty paragraphs carry no text and are skipped
    document.add_paragraph("二、保障措施")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_gives_paragraphs_and_table_rows_in_document_order(tmp_path):
    path = write(tmp_path, "plan.docx", build_docx())

    document = load_document(path)

    assert document.text == (
        "坪山区2017年改革计划\n"
        "一、总体要求\n"
        "深化基层治理体制改革。\n"
        "改革项目 | 牵头领导 | 牵头单位\n"
        "深化基层治理体制改革 | 区委书记 | 区委政法委\n"
        "民生诉求渠道流程优化改革 | 区长\n"
        "二、保障措施"
    )
    assert document.title == "坪山区2017年改革计划"
    assert document.media_type.endswith("wordprocessingml.document")


def test_docx_that_would_expand_past_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    """A valid .docx carrying a member that unzips to far more than the file's size (a zip bomb)
    is refused by what its directory declares, before python-docx reads any of it."""
    import zipfile

    buffer = io.BytesIO(build_docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/padding.bin", b"\0" * (8 << 20))  # 8 MiB of zeros: a few KB zipped
    data = buffer.getvalue()
    assert len(data) < 100_000
    monkeypatch.setattr(kg.load, "MAX_EXPANDED_BYTES", 4 << 20)
    read = []
    monkeypatch.setattr(docx, "Document", lambda *a, **k: read.append(1))
    with pytest.raises(InputError, match=r"expands to 8\.\d MB, over the 4\.0 MB limit"):
        load_document(write(tmp_path, "bomb.docx", data))
    assert read == []


def test_docx_vertically_merged_cell_is_not_repeated(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 1).merge(table.cell(1, 1)).text = "区委书记"
    table.cell(0, 0).text = "项目甲"
    table.cell(1, 0).text = "项目乙"
    buffer = io.BytesIO()
    document.save(buffer)

    loaded = load_document(write(tmp_path, "tasks.docx", buffer.getvalue()))

    assert loaded.text == "项目甲 | 区委书记\n项目乙 | "


# --- PDF ----------------------------------------------------------------------------------


def build_pdf(pages: list[list[str]]) -> bytes:
    # STSong-Light is one of the CID fonts every PDF reader has built in: no font file needed.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setTitle("坪山区2017年改革计划")
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for number, line in enumerate(lines):
            pdf.drawString(50, 800 - 20 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_with_chinese_text_layer_loads_page_after_page(tmp_path):
    lines = SIMPLIFIED.splitlines()
    path = write(tmp_path, "plan.pdf", build_pdf([[lines[0], lines[2]], [lines[4]]]))

    document = load_document(path)

    assert document.text == "\n".join([lines[0], lines[2], lines[4]])
    assert document.title == "坪山区2017年改革计划"
    assert document.media_type == "application/pdf"


def build_blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_without_text_layer_says_it_needs_ocr(tmp_path):
    path = write(tmp_path, "scan.pdf", build_blank_pdf())

    with pytest.raises(NoTextLayerError) as caught:
        load_document(path)

    assert "no text layer" in caught.value.message
    assert "OCR" in caught.value.message


def damaged_pdf() -> bytes:
    """A text PDF whose every content stream is overwritten with zeros: it opens, and no page
    gives text."""
    import re

    data = bytearray(build_pdf([[SIMPLIFIED.splitlines()[0]], [SIMPLIFIED.splitlines()[2]]]))
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", bytes(data), re.S):
        start, end = stream.span(1)
        if end - start > 20:
            data[start : end - 1] = b"\0" * (end - 1 - start)
    return bytes(data)


def test_a_damaged_pdf_is_called_damaged_not_a_scan_and_pypdf_says_nothing_itself(tmp_path, capfd):
    with pytest.raises(InputError) as caught:
        load_document(write(tmp_path, "damaged.pdf", damaged_pdf()))
    assert not isinstance(caught.value, NoTextLayerError)
    assert caught.value.message.startswith("PDF is damaged and no text could be read from it (pypdf: ")
    # A PDF too damaged to open says what pypdf met, in the one line.
    data = build_pdf([[SIMPLIFIED.splitlines()[0]]])
    middle = len(data) // 2
    with pytest.raises(InputError, match=r"not a readable \.pdf file \(PdfReadError: .*; pypdf: "):
        load_document(write(tmp_path, "broken.pdf", data[:middle] + b"\0" * 200 + data[middle + 200 :]))
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # nothing unlabelled on the terminal


# --- errors -------------------------------------------------------------------------------


MISSING = None
DIRECTORY = "directory"

# (file name, what to put there, error class expected exactly)
ERROR_CASES = [
    pytest.param("missing.txt", MISSING, InputError, id="missing"),
    pytest.param("reports", DIRECTORY, InputError, id="directory"),
    pytest.param("empty.txt", b"", EmptyDocumentError, id="empty"),
    pytest.param("blank.txt", " \r\n\t\u3000\n".encode("utf-8"), EmptyDocumentError, id="whitespace"),
    pytest.param("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 8, DecodeError, id="nul-bytes"),
    pytest.param("dump.txt", bytes(range(1, 9)) * 32, DecodeError, id="control-bytes"),
    pytest.param("odd.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", DecodeError, id="bad-utf16"),
    pytest.param("plan.xyz", SIMPLIFIED.encode("utf-8"), UnsupportedFormatError, id="unknown-suffix"),
    pytest.param("README", SIMPLIFIED.encode("utf-8"), UnsupportedFormatError, id="no-suffix"),
    pytest.param("broken.docx", b"PK\x03\x04 not really a zip", InputError, id="corrupt-docx"),
    pytest.param("broken.pdf", b"%PDF-1.4\n garbage without xref", InputError, id="corrupt-pdf"),
    pytest.param("scan.pdf", build_blank_pdf(), NoTextLayerError, id="blank-pdf"),
    pytest.param("menu.html", b"<html><body><nav>menu</nav></body></html>", EmptyDocumentError, id="html-chrome-only"),
]


@pytest.mark.parametrize(("name", "content", "error_class"), ERROR_CASES)
def test_bad_input_raises_a_coded_error_naming_the_file(tmp_path, name, content, error_class):
    path = tmp_path / name
    if content == DIRECTORY:
        path.mkdir()
    elif content is not MISSING:
        path.write_bytes(content)

    with pytest.raises(KgError) as caught:
        load_document(path)

    assert type(caught.value) is error_class
    assert caught.value.path == str(path)
    assert name in str(caught.value)


def test_unsupported_suffix_lists_the_supported_ones(tmp_path):
    with pytest.raises(UnsupportedFormatError) as caught:
        load_document(write(tmp_path, "plan.xyz", b"text"))

    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in caught.value.message


def test_missing_file_says_no_such_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_document(tmp_path / "missing.txt")


def test_corrupt_binary_formats_name_the_format(tmp_path):
    for name in ("broken.docx", "broken.pdf"):
        with pytest.raises(InputError, match=name.split(".")[1]):
            load_document(write(tmp_path, name, b"not a document"))


def test_file_over_the_size_limit_is_refused_with_size_and_limit(tmp_path):
    path = write(tmp_path, "huge.txt", SIMPLIFIED.encode("utf-8"))

    with pytest.raises(InputError) as caught:
        load_document(path, max_bytes=100)

    assert type(caught.value) is InputError
    assert f"{path.stat().st_size:,} bytes" in caught.value.message
    assert "100 bytes limit" in caught.value.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_an_input_error(tmp_path):
    path = write(tmp_path, "secret.txt", SIMPLIFIED.encode("utf-8"))
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            load_document(path)
    finally:
        path.chmod(0o600)


def test_permission_error_is_wrapped_even_as_root(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", SIMPLIFIED.encode("utf-8"))

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # root bypasses file modes, so the refusal is simulated where load opens the file.
    monkeypatch.setattr(kg.load, "open", refuse, raising=False)

    with pytest.raises(InputError) as caught:
        load_document(path)

    assert type(caught.value) is InputError
    assert "permission denied" in str(caught.value)
    assert "secret.txt" in str(caught.value)


def test_loaders_cover_the_supported_suffixes():
    assert set(LOADERS) == {".txt", ".md", ".text", ".html", ".htm", ".docx", ".pdf"}
    assert set(SUPPORTED_SUFFIXES) == set(LOADERS)
    assert all(suffix == suffix.lower() for suffix in LOADERS)


# --- the loaders under mutation -------------------------------------------------------------------

SAMPLE_HTML = "<html><head><meta charset='utf-8'><title>甲</title></head><body><p>一、推进甲改革（区甲局牵头）</p><table><tr><td>1</td><td>乙</td></tr></table></body></html>"


def _samples() -> dict[str, bytes]:
    return {
        ".txt": "一、推进甲改革。\n牵头单位：区甲局\n".encode("gb18030"),
        ".html": SAMPLE_HTML.encode("utf-8"),
        ".docx": build_docx(),
        ".pdf": build_pdf([["一、推进甲改革", "牵头单位：区甲局"]]),
    }


SAMPLES = _samples()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    suffix=st.sampled_from(sorted(SAMPLES)),
    edits=st.lists(st.tuples(st.sampled_from(["flip", "cut", "insert", "drop"]), st.floats(0, 1), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4),
)
def test_a_mutated_file_loads_or_is_one_input_error(tmp_path, suffix, edits):
    """Bytes flipped, cut, inserted or dropped anywhere in a .txt, .html, .docx or .pdf: the
    loader reads it or refuses it with an InputError naming the file, never anything else."""
    data = bytearray(SAMPLES[suffix])
    for kind, where, chunk in edits:
        at = int(where * len(data)) if data else 0
        if kind == "flip" and data:
            data[min(at, len(data) - 1)] ^= chunk[0] or 1
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = chunk
        elif kind == "drop":
            del data[at : at + len(chunk)]
    path = tmp_path / f"mutated{suffix}"
    path.write_bytes(bytes(data))
    try:
        document = load_document(path)
    except InputError as error:
        assert error.path == str(path)
        return
    assert document.text.strip() and document.path == str(path)
