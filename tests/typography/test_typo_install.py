"""install(): idempotent, and refusing a WeasyPrint it was not reviewed against."""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.draw import text as draw_text
from weasyprint.layout import inline
from weasyprint.text import line_break

from booklet.render.patches import TypographyInstallError, guard, justify
from booklet.render.patches.justify import install


@pytest.fixture()
def clean():
    """Run a test with WeasyPrint unpatched, then leave the patches installed."""
    justify.uninstall()
    yield
    justify.uninstall()
    install()


def test_the_reviewed_weasyprint_sources_are_the_installed_ones():
    """Fails when WeasyPrint internals the patches rely on change: review, then re-pin."""
    changed = {path: guard.source_digest(path)
               for path, digest in guard.REVIEWED_SOURCES.items()
               if guard.source_digest(path) != digest}
    assert changed == {}, f"WeasyPrint changed; review booklet/render/patches first: {changed}"


def test_pinned_version_matches_the_project_pin():
    assert weasyprint.__version__.split(".")[0] == "70"
    assert justify.SUPPORTED_WEASYPRINT == guard.SUPPORTED_WEASYPRINT == ">=70,<71"


def test_install_patches_once_and_uninstall_restores(clean):
    original = inline.justify_line
    install()
    patched = (inline.justify_line, line_break.Layout.set_text, draw_text.draw_first_line)
    assert inline.justify_line is not original and justify.installed()
    install()  # idempotent: the originals are not replaced by our own wrappers
    assert (inline.justify_line, line_break.Layout.set_text,
            draw_text.draw_first_line) == patched
    assert justify._originals[justify.JUSTIFY_LINE] is original
    justify.uninstall()
    assert inline.justify_line is original and not justify.installed()


def test_install_refuses_another_weasyprint_version(clean, monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(TypographyInstallError, match=r"weasyprint>=70,<71, found 71.0"):
        install()
    assert not justify.installed()


def test_install_refuses_changed_internals(clean, monkeypatch):
    def justify_line(context, line, extra_width):  # a "new WeasyPrint" version
        pass

    monkeypatch.setattr(inline, "justify_line", justify_line)
    with pytest.raises(TypographyInstallError, match=r"layout\.inline:justify_line"):
        install()
    assert not justify.installed()


def test_install_refuses_missing_internals(clean, monkeypatch):
    monkeypatch.delattr(line_break, "first_line_metrics")
    with pytest.raises(TypographyInstallError, match=r"first_line_metrics.*AttributeError"):
        install()


def test_digest_of_a_patched_function_is_the_original_ones():
    install()
    assert (guard.source_digest(justify.SET_TEXT)
            == guard.REVIEWED_SOURCES["weasyprint.text.line_break:Layout.set_text"])
