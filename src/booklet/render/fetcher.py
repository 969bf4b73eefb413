"""A URL fetcher that serves only the project's files and the package's defaults."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

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
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(parts.path)).resolve()  # resolves symlinks and ".."
            if any(path == r or r in path.parents for r in self.roots):
                if not path.is_file():
                    return self._refuse(url, "the file does not exist", "check the path",
                                        verb="cannot load")
                return URLFetcherResponse(url, body=path.read_bytes(),
                                          headers={"Content-Type": _mime(path)})
            return self._refuse(url, "it is outside the project folder",
                                "copy the file into the project (e.g. seeds/images/)")
        if scheme in ("http", "https"):
            if self.allow_remote:
                return super().fetch(url, headers)
            return self._refuse(url, "network access is off",
                                "download the file into the project, or set "
                                "`allow_remote: true` in booklet.yaml")
        return self._refuse(url, f"the {scheme or 'missing'} scheme is not allowed",
                            "use a path inside the project")

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
        ".woff2": "font/woff2", ".otf": "font/otf", ".ttf": "font/ttf",
    }.get(path.suffix.lower(), "application/octet-stream")

