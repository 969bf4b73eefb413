"""A URL fetcher that serves only the project's files and the package's defaults."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from booklet.content import gate
from booklet.content.images import data_url, image_problem
from booklet.errors import Problem


class ProjectFetcher(URLFetcher):
    """Refuse file:// paths outside the allowed roots and, unless allowed, the network."""

    def __init__(self, roots: list[Path], allow_remote: bool = False, timeout: float = 10) -> None:
        super().__init__(timeout=timeout, allowed_protocols=None, allow_redirects=allow_remote)
        self.roots = [r.resolve() for r in roots]
        self.allow_remote = allow_remote
        self.refused: list[tuple[str, Problem]] = []  # (url, problem without a location)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Fetch *url* if it is allowed; otherwise record and refuse it."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self._data(url, headers)
        if scheme == "file":
            path = gate.safe_resolve(Path(unquote(parts.path)))  # symlinks and ".." resolved
            if path is not None and gate.inside(path, self.roots):
                try:
                    body = gate.read_bytes(path, self.roots, limit=gate.MAX_FILE_BYTES)
                except OSError as exc:
                    return self._refuse(url, exc.strerror or "it cannot be read",
                                        "check the path", verb="cannot load")
                mime = _mime(path)
                broken = image_problem(body, path.name) if mime.startswith("image/") else None
                if broken:
                    return self._refuse(url, broken, "replace the image with a working file",
                                        verb="cannot use")
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
            return self._refuse(url, "it is outside the project folder",
                                "copy the file into the project (e.g. seeds/images/)")
        if scheme in ("http", "https"):
            if self.allow_remote:
                try:
                    return super().fetch(url, headers)
                except Exception as exc:  # WeasyPrint would only log it, and print nothing
                    self.refused.append((url, Problem(
                        f"cannot download {url}: {exc}",
                        hint="check the address and the network, or download the file "
                             "into the project")))
                    raise
            return self._refuse(url, "network access is off",
                                "download the file into the project, or set "
                                "`allow_remote: true` in booklet.yaml")
        return self._refuse(url, f"the {scheme or 'missing'} scheme is not allowed",
                            "use a path inside the project")

    def readable_file(self, url: str) -> Path | None:
        """Return the resolved file a file:// *url* names if `fetch` would serve it, else None.

        For patches.fontface, which lets Fontconfig read an allowed system font in place.
        """
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            return None
        path = gate.safe_resolve(Path(unquote(parts.path)))
        if path is None or gate.refusal(path, self.roots) is not None:
            return None
        try:
            if path.stat().st_size > gate.MAX_FILE_BYTES:
                return None
        except OSError:
            return None
        return path

    def _data(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        """Serve a data: URL; an image in it gets the same checks as an image file."""
        decoded = data_url(url)
        if decoded is None:
            return self._refuse(url[:60] + "…", "the data: URL is not valid base64",
                                "fix or replace the image", verb="cannot use")
        mime, body = decoded
        if not mime.startswith("image/") or mime == "image/svg+xml":
            return super().fetch(url, headers)
        broken = image_problem(body, "inline." + mime.split("/")[1])
        if broken:
            return self._refuse(url[:60] + "…", broken, "replace the image with a working file",
                                verb="cannot use")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    def _refuse(self, url: str, why: str, hint: str,
                verb: str = "refused to load") -> URLFetcherResponse:
        """Record a refusal and raise so WeasyPrint skips the resource."""
        self.refused.append((url, Problem(f"{verb} {url}: {why}", hint=hint)))
        raise ValueError(f"refused: {url}")


def _mime(path: Path) -> str:
    """Guess the MIME type WeasyPrint needs to pick a decoder."""
    return {
        ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg", ".css": "text/css", ".icc": "application/vnd.iccprofile",
        ".woff2": "font/woff2", ".otf": "font/otf", ".ttf": "font/ttf", ".gif": "image/gif",
        ".webp": "image/webp", ".tif": "image/tiff", ".tiff": "image/tiff",
    }.get(path.suffix.lower(), "application/octet-stream")

