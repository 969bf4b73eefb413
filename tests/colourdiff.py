"""CIEDE2000 colour difference and CMYK -> Lab through an ICC profile, for the photo tests."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np


@functools.lru_cache(maxsize=4)
def _to_lab(profile: Path) -> Any:
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.getOpenProfile(str(profile)),
                                   ImageCms.createProfile("LAB", 5000), "CMYK", "LAB",
                                   renderingIntent=ImageCms.Intent.ABSOLUTE_COLORIMETRIC)


def cmyk_to_lab(cmyk: Any, profile: Path) -> np.ndarray:
    """Return the Lab values (L 0-100, a/b signed) of a CMYK PIL image through *profile*."""
    from PIL import ImageCms

    lab = np.asarray(ImageCms.applyTransform(cmyk, _to_lab(profile)), dtype=np.float64)
    # littleCMS 8-bit Lab (Pillow's LAB mode): L scaled to 0-255, a and b offset by 128.
    out = lab.copy()
    out[..., 0] = lab[..., 0] * 100 / 255
    out[..., 1:] = lab[..., 1:] - 128
    return out


def delta_e2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """Return the CIEDE2000 difference of two arrays of Lab colours (last axis L, a, b)."""
    l1, a1, b1 = np.moveaxis(lab1, -1, 0)
    l2, a2, b2 = np.moveaxis(lab2, -1, 0)
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    c_mean = (c1 + c2) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0, dh)
    dhp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh) / 2)
    lp_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    hsum = h1p + h2p
    hp_mean = np.where(c1p * c2p == 0, hsum,
                       np.where(np.abs(h1p - h2p) <= 180, hsum / 2,
                                np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)))
    t = (1 - 0.17 * np.cos(np.radians(hp_mean - 30)) + 0.24 * np.cos(np.radians(2 * hp_mean))
         + 0.32 * np.cos(np.radians(3 * hp_mean + 6)) - 0.20 * np.cos(np.radians(4 * hp_mean - 63)))
    d_theta = 30 * np.exp(-(((hp_mean - 275) / 25) ** 2))
    rc = 2 * np.sqrt(cp_mean**7 / (cp_mean**7 + 25.0**7))
    sl = 1 + 0.015 * (lp_mean - 50) ** 2 / np.sqrt(20 + (lp_mean - 50) ** 2)
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = -np.sin(np.radians(2 * d_theta)) * rc
    return np.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2
                   + rt * (dcp / sc) * (dhp / sh))
