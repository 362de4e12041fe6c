"""Reading data/: site settings, the election, states and sources, each checked by its schema."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import i18n, schema
from .config import Settings, base_url_problem
from .content import read_text
from .election import Election, build_election
from .errors import Location, Report, SiteError
from .yamlsource import load_yaml

DATA_FILES = {  # file -> (schema, what it holds)
    "site.yaml": ("site", "the site's settings (title, base_url, language, description)"),
    "sources.yaml": ("sources", "the sources every fact cites"),
    "states.yaml": ("states", "the states and their write-in rules"),
    "candidates.yaml": ("candidates", "the election and its candidates"),
}


@dataclass
class SiteData:
    settings: Settings
    election: Election
    translations: dict = field(default_factory=dict)  # language code -> SiteData with that language's words

    def language(self, code: str) -> "SiteData":
        """The data in one of the site's languages (itself for the default language)."""
        return self.translations.get(code, self)


def _read(site_dir: Path, name: str, report: Report):
    """(value, positions) of one data file, or (None, None) after reporting why not."""
    path = site_dir / "data" / name
    rel = f"data/{name}"
    schema_name, holds = DATA_FILES[name]
    if not path.is_file():
        report.error(Location(rel), "file is missing", f"create it: it holds {holds}")
        return None, None
    try:
        value, positions = load_yaml(read_text(path, rel), rel)
    except SiteError as err:
        report.add(err)
        return None, None
    if value is None or value == {}:
        report.error(Location(rel, 1, 1), "file is empty", f"it must hold {holds}")
        return None, None
    for warning in positions.warnings:
        report.warn(warning.where, warning.message, warning.hint)
    if not schema.check(schema_name, value, positions, report):
        return None, None
    return _dates(value), positions


def _dates(value):
    """Dates written in quotes come back as dates too."""
    if isinstance(value, dict):
        return {k: _dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _base_url(site: dict, positions, report: Report) -> str | None:
    problem = base_url_problem(site["base_url"])
    if problem:
        report.error(positions.at(("base_url",)), problem)
        return None
    return site["base_url"] if site["base_url"].endswith("/") else site["base_url"] + "/"


def published_base_url(site_dir: Path, report: Report) -> str | None:
    """base_url of data/site.yaml, checked; None after reporting why there is none."""
    site, positions = _read(site_dir, "site.yaml", report)
    return None if site is None else _base_url(site, positions, report)


def load_data(site_dir: Path, report: Report, base_url: str | None = None) -> SiteData | None:
    loaded = {name: _read(site_dir, name, report) for name in DATA_FILES}
    if any(value is None for value, _ in loaded.values()):
        return None
    site, site_positions = loaded["site.yaml"]
    if _base_url(site, site_positions, report) is None:
        return None
    i18n.check_languages(site, site_positions.at, report)
    settings = Settings.from_yaml(site, base_url, site_positions)
    election = build_election(*loaded["candidates.yaml"], *loaded["states.yaml"], *loaded["sources.yaml"], report)
    if election is not None and "jurisdiction_path" not in site:
        settings = replace(settings, jurisdiction_path=election.race.path)
    data = SiteData(settings, election)
    for lang in settings.languages[1:]:
        data.translations[lang.code] = _in_language(site_dir, lang, loaded, base_url, data, report)
    return data


def _in_language(site_dir: Path, lang, loaded: dict, base_url: str | None, default: SiteData,
                 report: Report) -> SiteData:
    """The same data with the words of data/<lang folder>/ put in (i18n.read_translation): the
    facts are the default language's, already checked, so the election's own mistakes are told
    once, for the default language."""
    values = {name: i18n.read_translation(site_dir, lang, name, value, report) for name, (value, _) in loaded.items()}
    positions = {name: p for name, (_, p) in loaded.items()}
    settings = replace(Settings.from_yaml(values["site.yaml"], base_url, positions["site.yaml"]), language=lang.code,
                       languages=default.settings.languages, jurisdiction_path=default.settings.jurisdiction_path)
    told = Report()
    election = build_election(values["candidates.yaml"], positions["candidates.yaml"], values["states.yaml"],
                              positions["states.yaml"], values["sources.yaml"], positions["sources.yaml"], told)
    return SiteData(settings, election)
