"""Real test photographs (tests/fixtures/photos) placed into a copy of the seed booklet."""

from __future__ import annotations

from pathlib import Path

PHOTOS = Path(__file__).resolve().parent / "fixtures" / "photos"
# The seed booklet's eight photo paths, each given one of the fixture photographs.
SEED_PHOTOS = {
    "sdg-pavilion-2023.jpg": "rocket.jpg",             # Adobe RGB (1998)
    "sg-office-haze-2023.jpg": "astronaut.jpg",        # sRGB
    "peace-begins-with-her-2023.jpg": "coffee.jpg",    # untagged RGB
    "nairobi-civil-society-2024.jpg": "chelsea.jpg",   # sRGB
    "rafah-boy-with-birds-2024.jpg": "camera.jpg",     # greyscale
    "sg-ai-advisory-body.jpg": "rocket.jpg",
    "sg-antarctica-2023.jpg": "astronaut.jpg",
    "arrival-sculpture-2024.jpg": "coffee.jpg",
}


def resized(name: str, size: tuple[int, int] | None) -> tuple[object, dict[str, object]]:
    """Return a fixture photo (cropped to the size's shape and resampled) and its save options."""
    from PIL import Image, ImageOps

    image = Image.open(PHOTOS / name)
    options: dict[str, object] = {"quality": 92}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if size is not None:
        image = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
    return image, options


def add_photos(project: Path, size: tuple[int, int] | None = (3000, 2000)) -> list[Path]:
    """Put the eight seed photos into *project*/seeds/images as JPEGs of *size* pixels."""
    folder = project / "seeds" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for target, source in SEED_PHOTOS.items():
        image, options = resized(source, size)
        image.save(folder / target, **options)  # type: ignore[attr-defined]
        made.append(folder / target)
    return made
