"""Media named by texts: references found, kinds told by content, unsafe SVG refused, runs kept
honest when a named file changes."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coursepack.cli import main
from coursepack.media import svg, types
from coursepack.media.refs import refs

BROKEN = Path(__file__).parent / "broken"
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def test_references_are_found_with_their_alt_text_and_path() -> None:
    found = refs('![Wet floor](images/wet%20floor.png "Sign") then [form](files/f.pdf#page=2), '
                 '![](d.svg "decorative"), <https://example.org> and [top](#top)')
    assert [(r.image, r.shown, r.alt, r.path, r.decorative, r.remote) for r in found] == [
        (True, "images/wet floor.png", "Wet floor", "images/wet floor.png", False, False),
        (False, "files/f.pdf#page=2", "", "files/f.pdf", False, False),
        (True, "d.svg", "", "d.svg", True, False),
        (False, "https://example.org", "", None, False, False),
        (False, "#top", "", None, False, False)]
    assert refs("no links [here]") == () and refs("![x](https://e.org/a.png)")[0].remote


@pytest.mark.parametrize(("data", "kind"), [
    (b"\x89PNG\r\n\x1a\n....", types.PNG), (b"\xff\xd8\xff\xdb", types.JPEG),
    (b"GIF89a..", types.GIF), (b"RIFF\x10\x00\x00\x00WEBPVP8 ", types.WEBP),
    (b"%PDF-1.7\n", types.PDF), (b"ID3\x04\x00", types.MP3),
    (b"\xff\xfb\x90\x64\x00", types.MP3), (b"\x00\x00\x00\x18ftypmp42\x00", types.MP4),
    (f'\ufeff<?xml version="1.0"?>\n<!-- a -->\n<svg {SVG_NS}/>'.encode(), types.SVG),
    (b"\xff\xfb\xf0\x64", None), (b"<html><svg/></html>", None), (b"plain", None), (b"", None)])
def test_a_files_kind_comes_from_its_content(data: bytes, kind: types.Kind | None) -> None:
    assert types.sniff(data) is kind


def test_a_kind_is_named_by_its_extensions() -> None:
    assert types.by_extension("Photo.JPEG") is types.JPEG is types.by_extension("a.b.jpg")
    assert types.by_extension("clip.m4v") is types.MP4 and types.by_extension("README") is None


@pytest.mark.parametrize(("body", "found"), [
    (f'<svg {SVG_NS}><rect fill="url(#g)"/><use href="#g"/></svg>', None),
    (f'<svg {SVG_NS}><image href="data:image/png;base64,iVBO"/></svg>', None),
    (f'<svg {SVG_NS}><foreignObject/></svg>', "holds a <foreignObject> element"),
    (f'<svg {SVG_NS}><a href="javascript:x()"><rect/></a></svg>', "refers to 'javascript:x()'"),
    (f'<svg {SVG_NS}><use href="sprites.svg#a"/></svg>', "refers to 'sprites.svg#a'"),
    (f'<svg {SVG_NS}><rect style="fill: url( \'http://e/x\' )"/></svg>', "style attribute"),
    (f'<svg {SVG_NS}><style>@import "x.css";</style></svg>', "<style> element"),
    (f'<?xml-stylesheet href="x.css"?><svg {SVG_NS}/>', "processing instruction"),
    (f'<!DOCTYPE svg [<!ENTITY e SYSTEM "/etc/passwd">]><svg {SVG_NS}>&e;</svg>', "DOCTYPE"),
    (f'<svg {SVG_NS}><rect onClick="x()"/></svg>', "event handler (onClick on <rect>)"),
    ("<svg><rect/></svg>", "its root must be"), (f"<svg {SVG_NS}>", "not well-formed"),
    (f"<svg {SVG_NS}><style><!-- c -->@import url(https://e/x.css);</style></svg>", "<style>"),
    (f'<svg {SVG_NS}><a href="#t"><animate attributeName="href" values="javascript:x()"/>'
     '<text id="t">Go</text></a></svg>', "<animate> changing a link"),
    (f'<svg {SVG_NS}><image><set attributeName="xlink:href" to="https://e/b.png"/></image></svg>',
     "<set> changing a link"),
    (f'<svg {SVG_NS}><rect fill="url(https://e/p.svg#g)"/></svg>', "its fill attribute"),
    (f"<svg {SVG_NS}><style>rect{{fill:u\\72l(http://e/x)}}</style></svg>", "<style> element"),
    (f'<svg {SVG_NS}><rect style="fill:image-set(\'http://e/x\' 1x)"/></svg>', "style attr"),
    (f'<svg {SVG_NS}><text aria-label="5\\3">5\\3</text><rect fill="url(#g)"/></svg>', None)])
def test_unsafe_svg_is_refused_with_its_reason(body: str, found: str | None) -> None:
    problem = svg.problem(body.encode())
    assert problem == found if found is None else problem is not None and found in problem


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_references_without_failing(text: str) -> None:
    for ref in refs(text):
        assert ref.path is None or not ref.path.startswith(("#", "?"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_typed_and_checked_without_failing(data: bytes) -> None:
    kind = types.sniff(data)
    if kind is types.SVG:
        svg.problem(data)


@settings(max_examples=60, deadline=None)
@given(target=st.text(alphabet=st.sampled_from("ab./\\:%#?~ -é"), max_size=24))
def test_any_address_gets_a_located_diagnostic_or_none(target: str, tmp_path_factory:
                                                       pytest.TempPathFactory) -> None:
    source = tmp_path_factory.mktemp("m") / "source"
    shutil.copytree(Path(__file__).parent / "data" / "minimal" / "source", source)
    (source / "units" / "u1" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nxx")
    questions = source / "units" / "u1" / "questions.yaml"
    quoted = target.replace("\\", "\\\\").replace('"', '\\"')
    questions.write_text(questions.read_text().replace(
        "text: Which step of LAST comes first?", f'text: "Which step? ![Sign](<{quoted}>)"'))
    result = CliRunner().invoke(main, ["validate", str(source), "--no-cache"])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    for line in result.output.splitlines()[:-1]:
        assert re.fullmatch(r".*/units/u1/(questions\.yaml|a\.png):\d+:\d+: (error|warning): "
                            r".+ \[[a-z-]+\]", line), line


def test_a_replayed_run_sees_a_named_file_appear(minimal: Path) -> None:
    questions = minimal / "units" / "u1" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "text: Which step of LAST comes first?", 'text: "Which? ![Sign](sign.png)"'))
    first = CliRunner().invoke(main, ["validate", "source"])
    assert first.exit_code == 1 and "[media-missing]" in first.output
    (minimal / "units" / "u1" / "sign.png").write_bytes((BROKEN / "media-paths" / "units" /
                                                         "u1" / "images" / "wet-floor.png")
                                                        .read_bytes())
    again = CliRunner().invoke(main, ["validate", "source"])
    assert again.exit_code == 0, again.output
    (minimal / "units" / "u1" / "sign.png").write_bytes(b"not a picture")
    last = CliRunner().invoke(main, ["validate", "source"])
    assert last.exit_code == 1 and "[media-type]" in last.output


def test_a_folder_of_named_media_is_read_and_others_are_not(minimal: Path) -> None:
    for folder in ("images", "spare"):
        (minimal / "units" / "u1" / folder).mkdir()
    shutil.copy(BROKEN / "media-paths" / "units" / "u1" / "images" / "wet-floor.png",
                minimal / "units" / "u1" / "images" / "sign.png")
    questions = minimal / "units" / "u1" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "text: Which step of LAST comes first?", 'text: "Which? ![Sign](images/sign.png)"'))
    result = CliRunner().invoke(main, ["validate", "source"])
    assert "'spare'" in result.output and "'images'" not in result.output, result.output


MEDIA = Path(__file__).parent / "data" / "media" / "source"


def test_each_text_area_carries_the_files_its_html_names() -> None:
    from lxml import etree

    from coursepack.build import plan
    from coursepack.source import read_source

    catalogue = read_source(MEDIA).catalogue
    assert catalogue is not None
    root = etree.fromstring(plan(catalogue, ["moodle-xml"])["u1/questions.xml"])
    carried = 0
    for text in root.iter("text"):
        area = text.getparent()
        named = {unquote(n) for n in re.findall(r'@@PLUGINFILE@@/([^"\'#?]+)', text.text or "")}
        files = {f.get("name"): base64.b64decode(f.text or "") for f in area.findall("file")}
        assert named == set(files), (area.tag, named, set(files))
        for name, data in files.items():
            assert any(f.read() == data and f.name == name for f in catalogue.units[0].media)
            carried += 1
    assert carried == 15  # 12 in authored questions (3 in HTML texts), 3 in the derived one


def test_one_content_keeps_one_name_and_a_taken_name_is_not_given_again() -> None:
    from coursepack.media.links import names
    from coursepack.model import MediaFile

    a = MediaFile("u/images/a.png", "image/png", 1, "1" * 64)
    same = MediaFile("u/pics/a.png", "image/png", 1, "1" * 64)
    assert names([a, same]) == {a.path: "a.png", same.path: "a.png"}
    b = MediaFile("u/pics/a.png", "image/png", 1, "2" * 64)
    clash = MediaFile("u/other/a-22222222.png", "image/png", 1, "3" * 64)
    found = names([a, b, clash])
    assert found[a.path] == "a-11111111.png" and found[clash.path] == "a-22222222.png"
    assert found[b.path] == "a-2222222222222222.png"


def _validate_with(minimal: Path, text: str, files: dict[str, bytes]) -> str:
    for name, data in files.items():
        (minimal / "units" / "u1" / name).parent.mkdir(parents=True, exist_ok=True)
        (minimal / "units" / "u1" / name).write_bytes(data)
    questions = minimal / "units" / "u1" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "text: Which step of LAST comes first?", f"text: {text}"))
    return CliRunner().invoke(main, ["validate", "source", "--no-cache"]).output


PNG = (BROKEN / "media-paths" / "units" / "u1" / "images" / "wet-floor.png").read_bytes()


def test_a_control_character_in_a_path_is_refused(minimal: Path) -> None:
    output = _validate_with(minimal, "'NUL ![A](images/a%00.png)'", {})
    assert re.search(r"questions\.yaml:5:11: error: image 'images/a\\x00\.png' holds a control "
                     r"character; file names cannot \[media-path\]", output), output


def test_a_file_name_with_hash_or_space_is_found_and_carried(minimal: Path) -> None:
    output = _validate_with(minimal, "'B ![B](<images/b c%23d.png>)'", {"images/b c#d.png": PNG})
    assert ": 0 errors, 3 warnings" in output, output  # GIFT leaves three questions out
    from coursepack.build import plan
    from coursepack.source import read_source

    catalogue = read_source(minimal).catalogue
    assert catalogue is not None
    xml = plan(catalogue, ["moodle-xml"])["u1/questions.xml"].decode()
    assert '@@PLUGINFILE@@/b%20c%23d.png' in xml and '<file name="b c#d.png"' in xml


def test_a_cloze_gaps_feedback_cannot_carry_files(minimal: Path) -> None:
    questions = minimal / "units" / "u1" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "answers: [{text: detractors, correct: true}, {text: passives}]",
        "answers: [{text: detractors, correct: true, feedback: '![Yes](images/a.png)'}, "
        "{text: passives}]"))
    output = _validate_with(minimal, "Which step of LAST comes first?", {"images/a.png": PNG})
    assert "a cloze gap's feedback cannot carry files (Moodle keeps none for it): " \
           "'images/a.png' would show broken [media-not-carried]" in output, output


def test_a_category_description_shows_an_image_as_its_alt_text() -> None:
    from coursepack.build import plan
    from coursepack.source import read_source

    catalogue = read_source(MEDIA).catalogue
    assert catalogue is not None
    xml = plan(catalogue, ["moodle-xml"])["u1/questions.xml"].decode()
    infos = re.findall(r"<info format=\"html\">\s*<text>(.*?)</text>", xml, re.S)
    assert infos and not any("<img" in info for info in infos)
    assert any("Two people shaking hands" in info for info in infos)


def test_two_files_of_one_name_in_one_area_are_told_apart() -> None:
    from coursepack.media.links import names
    from coursepack.model import MediaFile

    a = MediaFile("u/icons/tick.png", "image/png", 1, "a" * 64)
    b = MediaFile("u/images/tick.png", "image/png", 1, "b" * 64)
    c = MediaFile("u/README", "text/plain", 1, "c" * 64)
    assert names([a, b, c]) == {a.path: "tick-aaaaaaaa.png", b.path: "tick-bbbbbbbb.png",
                                c.path: "README"}
    assert names([a]) == {a.path: "tick.png"}


def test_gift_leaves_out_a_question_that_names_a_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(MEDIA), "-o", str(tmp_path / "out"),
                                       "--only", "gift", "--no-cache"])
    assert result.exit_code == 0, result.output
    gift = (tmp_path / "out" / "u1" / "questions.gift.txt").read_text()
    assert "[id:u1-q01]" not in gift and "[id:u1-q02]" in gift
    assert "GIFT cannot carry the files it names ('../../files/complaint-form.pdf#page=1'" \
        in result.output


def test_a_file_changed_after_its_check_stops_the_build(tmp_path: Path) -> None:
    from coursepack.build import build
    from coursepack.output import BuildError
    from coursepack.source import read_source

    source = tmp_path / "source"
    shutil.copytree(MEDIA, source)
    catalogue = read_source(source).catalogue
    assert catalogue is not None
    (source / "units" / "u1" / "icons" / "tick.png").write_bytes(b"\x89PNG\r\n\x1a\nchanged")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(BuildError, match=r"icons/tick\.png changed after it was checked"):
        build(catalogue, ["moodle-xml"], tmp_path / "out", jobs=2)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_decorative_images_have_empty_alt_text_and_no_title() -> None:
    from coursepack.markup import to_html

    assert to_html('![](a.svg "decorative") ![x](b.png "decorative")') == (
        '<p><img src="a.svg" alt="" /> <img src="b.png" alt="x" title="decorative" /></p>')


def test_a_files_check_is_kept_while_the_file_is_unchanged(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from coursepack.cache import Cache
    from coursepack.media import check
    from coursepack.source import read_source

    source = tmp_path / "source"
    shutil.copytree(MEDIA, source)
    checked: list[str] = []
    real = check._Checker._check

    def spy(self: check._Checker, inside: str, path: Path) -> tuple[str, str] | None:
        checked.append(inside)
        return real(self, inside, path)

    monkeypatch.setattr(check._Checker, "_check", spy)
    cache = Cache(tmp_path / "cache")

    def read() -> Any:
        found = read_source(source, cache)
        cache.flush()  # the checks are kept on the cache's own thread
        return found

    first = read()
    assert first.ok and len(checked) == 6  # every named file, once
    again = read()
    assert len(checked) == 6 and again.catalogue == first.catalogue
    tick = source / "units" / "u1" / "icons" / "tick.png"
    tick.write_bytes(b"not a picture")
    edited = read()
    assert checked[6:] == ["units/u1/icons/tick.png"]
    assert "[media-type]" in "\n".join(d.text() for d in edited.diagnostics)


def test_files_of_one_content_are_each_reported_as_their_names_make_them(minimal: Path) -> None:
    unsafe = f'<svg {SVG_NS}><script>alert(1)</script></svg>'.encode()
    output = _validate_with(
        minimal, "'Four ![A](a.svg) ![B](b.svg) ![C](c.SVG) ![D](d.png)'",
        {"a.svg": unsafe, "b.svg": unsafe, "c.SVG": unsafe, "d.png": unsafe})
    for name in ("a.svg", "b.svg", "c.SVG"):
        assert re.search(rf"image '{re.escape(name)}' .*\[media-unsafe-svg\]", output), output
    assert re.search(r"image 'd\.png' holds an SVG image but is named \.png", output), output
