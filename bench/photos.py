"""Measure the image stage: conversion per photo, a cached rebuild, and the editions' sizes.

Copies the seed booklet to a scratch folder, gives it its eight photos (the real test
photographs of tests/fixtures/photos, resampled to 3000 × 2000 px), then:

- times prepare_images() on an empty cache (both layouts) and divides by the photos
  converted, and on a full cache (every file found);
- builds every edition once and reports the screen and print PDF sizes.

    .venv/bin/python bench/photos.py [--runs 5] [--size 3000x2000]

Times are medians of --runs runs: wall clock (the machine's load shows in it) and the
process's CPU time.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs (median reported)")
    parser.add_argument("--size", default="3000x2000", help="pixel size of every photo")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))

    from tests.photos import add_photos

    from booklet.build import build
    from booklet.content.chapters import load_booklet
    from booklet.content.config import load_project
    from booklet.images import prepare_images

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        shutil.copytree(ROOT / "seeds", root / "seeds")
        shutil.copytree(ROOT / "figures", root / "figures")
        add_photos(root, size)  # type: ignore[arg-type]
        project = load_project(root)
        booklet = load_booklet(project)
        cold, cold_cpu, warm, converted = [], [], [], 0
        for _ in range(args.runs):
            shutil.rmtree(root / ".cache" / "images", ignore_errors=True)
            start, cpu = time.perf_counter(), time.process_time()
            result = prepare_images(booklet, project, ["print", "screen"])
            cold.append(time.perf_counter() - start)
            cold_cpu.append(time.process_time() - cpu)
            converted = result.converted
            start = time.perf_counter()
            again = prepare_images(booklet, project, ["print", "screen"])
            warm.append(time.perf_counter() - start)
            assert again.converted == 0
        built = build(root)
        sizes = {f.edition: f.bytes for f in built.files}
    per_photo = statistics.median(cold) / converted
    print(f"machine: {platform.machine()}, {platform.python_version()}, "
          f"{len(booklet.chapters)} chapters, 8 photo blocks of {args.size} px "
          f"({converted} distinct file × layout conversions)")
    print(f"convert, empty cache: {statistics.median(cold):.2f} s median of {args.runs} "
          f"= {per_photo:.3f} s per photo and layout (CPU time "
          f"{statistics.median(cold_cpu) / converted:.3f} s)")
    print(f"cache hit (nothing converted): {statistics.median(warm) * 1000:.0f} ms median")
    print(f"screen PDF: {sizes['screen'] / 1e6:.2f} MB; print PDF: {sizes['print'] / 1e6:.2f} MB;"
          f" imposed PDF: {sizes['imposed'] / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
