"""Every number in the monthly report's text, checked against the CLI for the same data version.

The numbers are pulled out of the generated Chinese text (dates masked), matched one by one with
the report's facts, and each fact is recomputed from what ``python app.py series`` (and
``signals``, ``alerts``, ``nowcast``, ``targets``) print for the same database — the commands are
run through ``app.main``, the same entry point as the shell.
"""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

import app
from indicators.periods import parse_period
from indicators.regions import GUANGXI
from services.report import build_report, latest_month

LIUZHOU = "450200"
DATE_WORDS = re.compile(r"\d{4}年|\d{1,2}—\d{1,2}月|\d{1,2}月末?|\d{1,2}日|\(M2\)|（M2）")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class Cli:
    """Runs CLI commands on one database and remembers their JSON answers."""

    def __init__(self, url: str, monkeypatch):
        monkeypatch.setenv("ECONBRAIN_DATABASE_URL", url)
        self._cache: dict[tuple, object] = {}

    def __call__(self, *argv: str):
        if argv not in self._cache:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = app.main(list(argv))
            assert code == 0, f"app.py {' '.join(argv)} failed"
            self._cache[argv] = json.loads(out.getvalue())
        return self._cache[argv]

    def series(self, indicator: str, region: str, period: str, transform: str) -> float | None:
        data = self("series", indicator, region, "--transform", transform, "--format", "json")
        values = {o["period"]: o["value"] for o in data["observations"]}
        return values.get(period)


def resolve(cli: Cli, ctx, source: dict) -> float:
    kind = source["kind"]
    if kind == "series":
        value = cli.series(source["indicator"], source["region"], source["period"], source["transform"])
        assert value is not None, f"no value in `app.py series` for {source}"
        return value
    if kind == "diff":
        return resolve(cli, ctx, source["a"]) - resolve(cli, ctx, source["b"])
    if kind == "ratio":
        return resolve(cli, ctx, source["a"]) / resolve(cli, ctx, source["b"]) * source.get("scale", 1)
    if kind == "pull":
        return (resolve(cli, ctx, source["growth"]) * resolve(cli, ctx, source["part_prev"])
                / resolve(cli, ctx, source["total_prev"]))
    if kind in ("rank", "count"):
        return _rank_or_count(cli, ctx, source)
    if kind in ("composite", "zone_count"):
        data = cli("signals", "--period", source["period"], "--region", source["region"], "--json")
        if kind == "composite":
            return data["composite"]["score"]
        zone = source["zone"]
        return sum(1 for s in data["signals"] if zone is None or s["zone"] == zone)
    if kind == "alerts":
        rows = cli("alerts", "--region", source["region"], "--json")
        end = parse_period(source["until"], "M").end_date
        rows = [a for a in rows if a["state"] in ("new", "acknowledged") and parse_period(a["period"]).end_date <= end
                and source["state"] in (None, a["state"]) and source["severity"] in (None, a["severity"])]
        return len(rows)
    if kind == "nowcast":
        data = cli("nowcast", "--region", source["region"], "--json")
        assert (data["as_of"], data["period"]) == (source["as_of"], source["period"]), "not the latest nowcast"
        if source["field"] == "point":
            return data["point"]
        if source["field"] == "news":
            return sum(n["impact"] for n in data["news"]
                       if n["indicator"] == source["indicator"] and n.get("period") == source["news_period"])
        return data["interval"][source["field"]] * source.get("scale", 1)
    if kind == "target":
        data = cli("targets", "--region", source["region"], "--year", str(source["year"]), "--json")
        row = next(r for r in data["targets"] if r["indicator"] == source["indicator"])
        return row[source["field"]] * source.get("scale", 1)
    raise AssertionError(f"unknown source kind {kind}")


def _rank_or_count(cli: Cli, ctx, source: dict) -> float:
    region = source["region"]
    # the candidates come from the regions table, not from the report: the 14 cities, or the peers
    if region == GUANGXI:
        candidates = [GUANGXI, *[p.adcode for p in ctx.regions.peers() if p.adcode != GUANGXI]]
    else:
        candidates = [c.adcode for c in ctx.regions.cities()]
    values = {}
    for r in candidates:
        v = cli.series(source["indicator"], r, source["period"], source["transform"])
        if v is not None:
            values[r] = v
    if source["kind"] == "count":
        return len(values)
    lower = source["polarity"] == "lower_better"
    mine = values[region]
    return 1 + sum(1 for v in values.values() if (v < mine if lower else v > mine))


def shown(value: float, decimals: int, absolute: bool) -> str:
    text = f"{abs(value) if absolute else value:.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


@pytest.fixture(scope="module")
def reports(analytics_ctx):
    month = latest_month(analytics_ctx)
    return [build_report(analytics_ctx, month, GUANGXI), build_report(analytics_ctx, month, LIUZHOU),
            build_report(analytics_ctx, "2026-03", LIUZHOU)]


def test_the_text_states_the_facts_in_order(reports):
    for report in reports:
        assert len(report.facts()) > 60, "a report names its figures"
        for p in report.paragraphs():
            if p.kind == "quote":
                continue
            numbers = NUMBER.findall(DATE_WORDS.sub("", p.zh))
            assert numbers == [f.shown() for f in p.facts], p.zh
            for f in p.facts:
                assert f.shown() in p.en, (f.shown(), p.en)


def test_every_number_matches_the_cli(reports, analytics_ctx, analytics_database_url, monkeypatch):
    cli = Cli(analytics_database_url, monkeypatch)
    kinds = set()
    for report in reports:
        for f in report.facts():
            expected = resolve(cli, analytics_ctx, f.source)
            scale = 1
            assert shown(expected * scale, f.decimals, f.absolute) == f.shown(), (f.source, expected, f.shown())
            kinds.add(f.source["kind"])
    # the reports exercise every way a number is made
    assert {"series", "diff", "rank", "count", "pull", "composite", "zone_count", "alerts", "nowcast",
            "target"} <= kinds


def test_quoted_alerts_are_the_stored_messages(reports, analytics_database_url, monkeypatch):
    cli = Cli(analytics_database_url, monkeypatch)
    for report in reports:
        stored = {a["message_zh"] for a in cli("alerts", "--region", report.region, "--json")}
        quotes = [p for p in report.paragraphs() if p.kind == "quote"]
        assert all(q.zh in stored for q in quotes)
