"""Output intent by press-condition name or ICC file (booklet.content.intents)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import ImageCms
from tests.conftest import make_project

from booklet.content import intents
from booklet.content.config import load_project
from booklet.content.intents import GENERIC, output_intent, output_profile
from booklet.editions.ink import paints
from booklet.editions.printready import rgb_to_cmyk
from booklet.errors import ConfigError

FOGRA39 = Path("/usr/local/share/color/icc/booklet/FOGRA39L.icc")


def _project(tmp_path: Path, extra: str):
    root = make_project(tmp_path, "---\ntitle: 测试\nid: t\n---\n\n正文。\n", config_extra=extra)
    return load_project(root)


def test_default_is_the_generic_profile_with_a_warning(tmp_path):
    intent = output_intent(_project(tmp_path, ""))
    assert intent.path == GENERIC and intent.generic and intent.identifier == "Custom"
    warning = intent.warning()
    assert warning is not None and "printer must confirm" in warning.message


def test_fogra39_by_name_is_installed_by_setup(tmp_path):
    # scripts/system-packages.sh makes it from icc-profiles-free's FOGRA39L.ti3 (Argyll).
    intent = output_intent(_project(tmp_path, "print: {output_intent: FOGRA39}\n"))
    assert intent.path == FOGRA39 and intent.identifier == "FOGRA39" and not intent.generic
    assert intent.warning() is None
    assert output_profile(_project(tmp_path, "print: {output_intent: FOGRA39}\n")) == FOGRA39


@pytest.mark.parametrize("name", ["FOGRA51", "GRACoL2013", "JapanColor2011"])
def test_a_name_whose_profile_is_missing_says_where_to_get_it(tmp_path, monkeypatch, name):
    monkeypatch.setattr(intents, "SEARCH_DIRS", (tmp_path / "empty",))
    project = _project(tmp_path, f"print:\n  output_intent: {name}\n")
    with pytest.raises(ConfigError) as caught:
        output_intent(project)
    (problem,) = caught.value.problems
    assert problem.file.name == "booklet.yaml" and problem.line == 6
    assert name in problem.message and problem.hint and ".icc" in problem.hint


def test_a_profile_by_path_and_a_bad_value(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "printer.icc").write_bytes(GENERIC.read_bytes())
    intent = output_intent(_project(tmp_path, "print: {output_intent: profiles/printer.icc}\n"))
    assert intent.path == tmp_path / "profiles" / "printer.icc" and not intent.generic
    with pytest.raises(ConfigError, match=r"none\.icc does not exist"):
        output_intent(_project(tmp_path, "print: {output_intent: profiles/none.icc}\n"))
    with pytest.raises(ConfigError, match="neither a press condition"):
        output_intent(_project(tmp_path, "print: {output_intent: FOGRA99}\n"))


def test_rgb_goes_through_the_chosen_profile_and_greys_stay_black():
    orange = (0.96, 0.65, 0.14)
    assert rgb_to_cmyk(*orange, str(FOGRA39)) != rgb_to_cmyk(*orange, str(GENERIC))
    assert rgb_to_cmyk(0.2, 0.2, 0.2, str(FOGRA39)) == (0.0, 0.0, 0.0, 0.8)


def test_print_edition_names_the_condition_and_keeps_cmyk_tokens(tmp_path):
    from booklet.build import build

    project = _project(tmp_path, "print:\n  output_intent: FOGRA39\n")
    config = project.root / "seeds" / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("print: false", "print: true"),
                      encoding="utf-8")
    result = build(project.root, out=tmp_path / "dist", edition="print")
    assert not any("printer must confirm" in w.message for w in result.warnings)
    (path,) = [f.path for f in result.files]
    with pikepdf.open(path) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        # WeasyPrint re-serialises the profile with lcms2: compare what it describes.
        embedded = ImageCms.ImageCmsProfile(io.BytesIO(intent.DestOutputProfile.read_bytes()))
        assert ImageCms.getProfileDescription(embedded) == \
            ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(FOGRA39)))
        fills = {p.colour for p in paints(pdf) if p.kind == "fill"}
    assert ("/DeviceCMYK", (1.0, 0.1, 0.0, 0.0)) in fills  # the brand token, not re-converted
