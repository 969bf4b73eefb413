"""Remembered figure moves: a new process lays the booklet out once, with the same pages."""

from __future__ import annotations

from booklet.compose.floats import Move
from booklet.compose.html import ComposedDocument
from booklet.render import floatmemo, floats


def _count_layouts(monkeypatch) -> list[str]:
    calls: list[str] = []
    render = floats.render

    def counting(composed, project):
        calls.append(composed.edition)
        return render(composed, project)

    monkeypatch.setattr(floats, "render", counting)
    return calls


def test_remembered_moves_give_the_same_pdfs_with_one_layout(project_copy, tmp_path,
                                                             monkeypatch):
    from booklet.build import build

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls = _count_layouts(monkeypatch)
    first = build(project_copy, tmp_path / "first", "all")
    planned = len(calls)
    assert sorted(p.name for p in floatmemo.cache_dir().glob("*.json"))  # plans kept
    calls.clear()
    second = build(project_copy, tmp_path / "second", "all")
    # The seed floats figures in both layouts: first a layout to plan, then the chapter
    # again; with the plan remembered, one layout per edition.
    assert planned >= 4 and sorted(calls) == ["print", "screen"]
    for a, b in zip(first.files, second.files, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes(), a.edition


def _composed(html: str) -> ComposedDocument:
    return ComposedDocument("screen", html, (("main.css", "p { color: red }"),),
                            "file:///nowhere/")


def test_the_key_follows_the_html_and_the_files_it_refers_to(tmp_path):
    figure = tmp_path / "figure.svg"
    figure.write_text("<svg width='10' height='10'/>", encoding="utf-8")
    html = f'<img src="{figure.as_uri()}"><p>正文</p>'
    key = floatmemo.key(_composed(html))
    assert floatmemo.key(_composed(html)) == key
    assert floatmemo.key(_composed(html.replace("正文", "正文。"))) != key
    figure.write_text("<svg width='10' height='20'/>", encoding="utf-8")  # same name, new art
    assert floatmemo.key(_composed(html)) != key


def test_plans_round_trip_and_a_broken_one_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    moves = [Move("intro", 6, 1), Move("intro", 12, 2)]
    floatmemo.remember("a" * 64, moves)
    floatmemo.remember("b" * 64, [])
    assert floatmemo.recall("a" * 64) == moves
    assert floatmemo.recall("b" * 64) == []  # nothing floats: remembered too
    assert floatmemo.recall("c" * 64) is None
    (floatmemo.cache_dir() / f"{'a' * 32}.json").write_text("{broken", encoding="utf-8")
    assert floatmemo.recall("a" * 64) is None


def test_a_fitted_figure_keeps_its_new_size_in_the_plan(tmp_path, monkeypatch):
    """A photo drawn smaller (Move.height) is recalled smaller: same pages as when planned."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    moves = [Move("vision", 1, 0, height=145.0), Move("intro", 3, 0, width=320.5)]
    floatmemo.remember("d" * 64, moves)
    assert floatmemo.recall("d" * 64) == moves
