"""The build stops with the install command when fonts or HarfBuzz subsetting are missing."""

from __future__ import annotations

from tests.conftest import make_project

from booklet.cli import main
from booklet.render import environment


def _build(tmp_path, capsys) -> tuple[int, str]:
    make_project(tmp_path, "---\ntitle: 章\nid: one\n---\n正文。\n")
    code = main(["build", str(tmp_path), "--edition", "screen", "-q"])
    return code, capsys.readouterr().err


def test_missing_harfbuzz_subset_stops_with_the_install_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(environment, "harfbuzz_subset_available", lambda: False)
    code, err = _build(tmp_path, capsys)
    assert code == 2
    assert "libharfbuzz-subset is missing" in err and "35 times slower" in err
    assert "apt-get install fonts-noto-cjk fonts-noto-cjk-extra" in err
    assert "libharfbuzz-subset0" in err and "Traceback" not in err
    assert not (tmp_path / "dist").exists()


def test_missing_font_names_the_font_and_the_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(environment, "font_installed", lambda f: f == "Noto Sans CJK SC")
    code, err = _build(tmp_path, capsys)
    assert code == 2
    assert "the body font 'Noto Serif CJK SC' is not installed" in err
    assert "the quote font 'LXGW WenKai' is not installed" in err
    assert "apt-get install" in err


def test_this_machine_is_ready():
    assert environment.harfbuzz_subset_available()
    assert all(environment.font_installed(f)
               for f in ("Noto Serif CJK SC", "Noto Sans CJK SC", "LXGW WenKai"))


def test_missing_font_is_located_and_lists_installed_families(tmp_path, capsys):
    """A font named in booklet.yaml but not installed: its line, the package, what is there."""
    make_project(tmp_path, "---\ntitle: 章\nid: one\n---\n正文。\n")
    config = tmp_path / "seeds" / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "fonts:\n  body: WenQuanYi Zen Hei Nowhere\n  quote: AR PL UKai CN\n",
                      encoding="utf-8")
    code = main(["build", str(tmp_path), "--edition", "screen", "-q"])
    err = capsys.readouterr().err
    lines = config.read_text(encoding="utf-8").splitlines()
    body_line = next(n for n, t in enumerate(lines, 1) if "Nowhere" in t)
    assert code == 2
    assert f"seeds/booklet.yaml:{body_line}: fonts.body: the body font " \
           "'WenQuanYi Zen Hei Nowhere' is not installed" in err
    assert "no Debian package is known" in err and "Noto Sans CJK SC" in err
    if not environment.font_installed("AR PL UKai CN"):
        assert "sudo apt-get install fonts-arphic-ukai" in err
