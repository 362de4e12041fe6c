"""Site settings from data/site.yaml: each option declared once, with its default and meaning."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .i18n import site_languages


def base_url_problem(url: str) -> str:
    """What is wrong with `url` as the address a site is published at, or '' if nothing: it must
    be http(s)://host[:port]/path/ with a path ending in '/' (or none) and no ?query or #fragment.
    The one rule for a base URL, whether it comes from data/site.yaml or from --base-url."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not url.startswith(parts.scheme + "://"):
        return f"'{url}' is not a full address: start it with https:// (e.g. https://example.org/votepact/)"
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return f"'{url}' has a port that is not a number"
    if not parts.hostname or any(c.isspace() for c in url) or "@" in parts.netloc:
        return f"'{url}' has no host name: write it as https://example.org/votepact/"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return f"'{url}' has a ?query or #fragment: a site's address ends with its folder, e.g. {parts.scheme}://{parts.netloc}{parts.path}"
    if parts.path and not parts.path.endswith("/"):
        return f"'{url}' must end with '/': {url}/"
    return ""


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    line: int = field(default=0, compare=False, repr=False)
    """Where in data/site.yaml the item is written (not part of what pages show: moving it renders nothing again)."""


AS_WRITTEN = ("title", "description", "tagline", "author", "contact_email", "repository", "jurisdiction_path",
              "pdf", "previews")
"""The settings taken from data/site.yaml as they are written there, under the same name."""


@dataclass(frozen=True)
class Settings:
    title: str
    """The site's name, shown in every page title and on preview images."""
    base_url: str
    """Where the site is published, ending with '/'; may include a sub-path."""
    description: str
    """Used for pages that give no description of their own."""
    language: str = "en"
    """The language of these settings' words: the default language, or the one they were translated to."""
    languages: tuple = ()
    """Every language of the site (i18n.Language), the default first; one when the site lists none."""
    tagline: str = ""
    """One line shown under the name on the home page."""
    author: str = ""
    """Who publishes the site."""
    contact_email: str = ""
    """Where visitors send corrections."""
    repository: str = ""
    """Where the site's source files are kept."""
    social: dict = field(default_factory=dict)
    """The site's own social handles, by network."""
    hashtags: tuple = ()
    """Hashtags added to share posts (without '#')."""
    nav: tuple = ()
    """The main menu: NavItems in order."""
    jurisdiction_path: str = "states"
    """The URL segment of the jurisdictions' pages: /states/ lists them, /states/nv/ is one."""
    illustration_voters: int = 10
    """Voters each major candidate starts with in the home page's pact picture."""
    pdf: bool = True
    """Build PDFs of pages whose front matter asks for one."""
    previews: bool = True
    """Draw a link-preview image for every page (off only for benchmarks and quick experiments)."""
    published_url: str = ""
    """base_url as data/site.yaml gives it, even in a build for another address (--base-url, serve):
    the address a pact card names, so a card made on a preview names the real site."""

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/votepact/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @classmethod
    def from_yaml(cls, raw: dict, base_url: str | None = None, positions=None) -> "Settings":
        """Settings from site.yaml's checked value; `base_url` (checked by base_url_problem)
        overrides the file's. `positions` (yamlsource.Positions) give menu items their lines."""
        base = base_url or raw["base_url"]
        languages = site_languages(raw)
        return cls(
            **{name: raw[name] for name in AS_WRITTEN if name in raw},  # the others keep their defaults
            base_url=base if base.endswith("/") else base + "/",
            published_url=raw.get("base_url", base).rstrip("/") + "/",
            language=languages[0].code,
            languages=languages,
            social=dict(raw.get("social", {})),
            hashtags=tuple(raw.get("hashtags", ())),
            nav=tuple(NavItem(item["label"], item["path"], positions.at(("nav", i)).line if positions else 0)
                      for i, item in enumerate(raw.get("nav", ()))),
            illustration_voters=raw.get("illustration", {}).get("voters", cls.illustration_voters),
        )
