"""The base of every booklet.yaml schema section (config.py and the sections beside it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A schema section: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
