"""The print edition's output intent: a press condition by name, or an ICC profile file.

`output_intent(project)` is the one answer to "which CMYK profile does this booklet print
to": the renderer embeds it, RGB colours and images are converted through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from booklet.content.config import CONFIG_NAME, Project
from booklet.errors import ConfigError, Problem

GENERIC = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
REGISTRY = "http://www.color.org"
# Where named profiles are looked for, in order; scripts/system-packages.sh builds FOGRA39
# into the first from Debian's icc-profiles-free characterization data with Argyll.
SEARCH_DIRS = (Path("/usr/local/share/color/icc"), Path.home() / ".local/share/color/icc",
               Path("/usr/share/color/icc"))


@dataclass(frozen=True)
class Condition:
    """A named press condition: its registry identifier and the profile files that print it."""

    identifier: str
    info: str
    files: tuple[str, ...]
    where: str  # how to get a profile when none is installed


CONDITIONS = {
    "FOGRA39": Condition(
        "FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004), offset, paper type 1/2",
        ("booklet/FOGRA39L.icc", "FOGRA39L_coated.icc", "CoatedFOGRA39.icc",
         "ISOcoated_v2_eci.icc", "ISOcoated_v2_300_eci.icc"),
        "`make setup` builds it from Debian's icc-profiles-free (FOGRA39L.ti3) with argyll"),
    "FOGRA51": Condition(
        "FOGRA51", "PSO Coated v3 (FOGRA51, ISO 12647-2:2013), offset, premium coated",
        ("PSOcoated_v3.icc", "PSO_Coated_v3.icc"),
        "no Debian package ships it: get PSOcoated_v3.icc from the ECI (eci.org) or the printer"),
    "GRACoL2013": Condition(
        "CGATS21_CRPC6", "GRACoL 2013 (CGATS.21-2 CRPC6), offset, premium coated",
        ("GRACoL2013_CRPC6.icc", "GRACoL2013.icc"),
        "no Debian package ships it: get GRACoL2013_CRPC6.icc from Idealliance or the printer"),
    "JapanColor2011": Condition(
        "JC200103", "Japan Color 2011 Coated (ISO 12647-2), sheet-fed offset",
        ("JapanColor2011Coated.icc",),
        "no Debian package ships it: get JapanColor2011Coated.icc from the printer"),
}


@dataclass(frozen=True)
class OutputIntent:
    """The profile the print edition prints to and how the PDF names its condition."""

    path: Path
    identifier: str
    info: str
    generic: bool = False

    def warning(self) -> Problem | None:
        """Return the warning a generic profile deserves: the printer must confirm it."""
        if not self.generic:
            return None
        return Problem(f"the print edition uses the generic profile {self.path.name} "
                       "(Ghostscript's SWOP-like CMYK): the printer must confirm it",
                       hint="set print.output_intent in booklet.yaml to the printer's "
                            "condition, e.g. FOGRA39, or to their .icc file")


def output_intent(project: Project) -> OutputIntent:
    """Return the output intent of *project*: `print.output_intent`, else `editions.icc_profile`."""
    config = project.config
    wanted = config.print.output_intent
    if wanted is None:
        path = project.resolve(config.editions.icc_profile)
        _must_exist(project, path, "icc_profile")
        generic = path.resolve() == GENERIC.resolve() if GENERIC.exists() else False
        return OutputIntent(path, "Custom", _description(path), generic=generic)
    if wanted in CONDITIONS:
        condition = CONDITIONS[wanted]
        path = _find(condition.files)
        if path is None:
            raise ConfigError(f"no ICC profile for the press condition {wanted} is installed", [
                Problem(f"print.output_intent: {wanted}: none of "
                        f"{', '.join(condition.files)} was found in "
                        f"{', '.join(str(d) for d in SEARCH_DIRS)}",
                        _config_file(project), _key_line(project, "output_intent"),
                        hint=f"{condition.where}; or give the profile's path "
                             "(print.output_intent: profiles/printer.icc)")])
        return OutputIntent(path, condition.identifier, condition.info)
    if not wanted.lower().endswith((".icc", ".icm")):
        raise ConfigError("print.output_intent is neither a press condition nor a profile", [
            Problem(f"print.output_intent: {wanted!r} is unknown", _config_file(project),
                    _key_line(project, "output_intent"),
                    hint=f"use one of {', '.join(CONDITIONS)} or a path ending in .icc")])
    path = project.resolve(wanted)
    _must_exist(project, path, "output_intent")
    return OutputIntent(path, "Custom", _description(path))


def output_profile(project: Project) -> Path:
    """Return the path of the CMYK output profile the print edition uses."""
    return output_intent(project).path


def _find(names: tuple[str, ...]) -> Path | None:
    for name in names:
        for folder in SEARCH_DIRS:
            if (folder / name).is_file():
                return folder / name
    return None


def _description(path: Path) -> str:
    """Return the profile's own description (its `desc` tag), or its file name."""
    try:
        from PIL import ImageCms

        text = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(path))).strip()
    except (OSError, ImageCms.PyCMSError):
        return path.name
    return text or path.name


def _must_exist(project: Project, path: Path, key: str) -> None:
    if not path.is_file():
        raise ConfigError(f"the ICC profile {path} does not exist", [
            Problem(f"{key}: {path} is not a file", _config_file(project),
                    _key_line(project, key),
                    hint="give an existing .icc file (absolute, or relative to the project), "
                         "or a press condition name in print.output_intent")])


def _config_file(project: Project) -> Path:
    return project.seeds / CONFIG_NAME


def _key_line(project: Project, key: str) -> int | None:
    """Return the line of booklet.yaml that sets *key*, for the message."""
    try:
        lines = _config_file(project).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith(f"{key}:"):
            return number
    return None
