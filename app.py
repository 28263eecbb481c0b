"""EconBrain · 经济调节大脑 — the app factory, the WSGI ``server`` for gunicorn, and the CLI.

``python app.py`` serves the dashboard; ``python app.py <command> --help`` for the rest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from settings import Settings

EXIT_REJECTED = 2


def create_app(settings: Settings | None = None):
    """Build the Dash app on the given settings (tests pass a temporary database)."""
    from layouts.shell import build_app

    return build_app(settings or Settings())


def _serving(app):
    """The app as a long-running server: what was built at start and stays for the process's life
    (catalogue, boundaries, templates, Dash's registry: ~200,000 objects) is moved out of the
    garbage collector's sight, so that a full collection scans only what requests made. Measured
    before: a 95 ms pause every few dozen callbacks, which was the slowest drill-down's extra."""
    import gc

    gc.collect()
    gc.freeze()
    return app


def _context(args=None):
    from services.context import open_context

    return open_context(Settings())


def cmd_serve(args) -> int:
    settings = Settings()
    app = _serving(create_app(settings))
    if settings.auto_refresh:
        _refresh_if_stale(settings)
    app.run(host=args.host or settings.host, port=args.port or settings.port, debug=settings.debug)
    return 0


def _refresh_if_stale(settings: Settings) -> None:
    """Analytics older than the data (first run, or new imports): refresh them in the background;
    pages show the progress and read the results as they land."""
    from pathlib import Path

    from services.context import open_context
    from services.refresh import start_in_background, status

    ctx = open_context(settings)
    if ctx.data_version == 0 or not status(ctx)["stale"]:
        return
    log = Path(settings.sqlite_path).parent / "refresh.log" if settings.sqlite_path else Path("refresh.log")
    pid = start_in_background(settings, log)
    if pid:
        print(f"分析结果后台更新中 / refreshing analytics in the background (pid {pid}, log {log})", file=sys.stderr)


def cmd_init_demo(args) -> int:
    from data.demo import build_demo

    settings = Settings()
    if args.if_missing:
        from services.context import open_context

        ctx = open_context(settings)
        if ctx.data_version > 0:
            print(f"演示数据库已存在 / demo database already present: {settings.database_url}")
            return 0
    summary = build_demo(settings, progress=not args.quiet)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_catalog(args) -> int:
    from services.catalog import MappingError, catalog_frame

    try:
        frame = catalog_frame(_context(), domain=args.domain)
    except MappingError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    _emit(frame, args.format)
    return 0


def cmd_regions(args) -> int:
    from services.catalog import regions_frame

    _emit(regions_frame(_context(), level=args.level), args.format)
    return 0


def cmd_ingest(args) -> int:
    from services.ingest import ingest_file

    ctx = _context()
    result = ingest_file(ctx, args.file, format=args.format, source_unit=args.source_unit,
                         submitted_by=args.user or ctx.settings.user)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
    else:
        print(f"批次 batch {result.batch_id}: {result.status} · 入库 loaded {result.rows_loaded} · "
              f"未变 unchanged {result.rows_unchanged} · 拒绝 rejected {result.rows_rejected}")
        for e in result.errors[:50]:
            print(f"  ✗ {e['message_zh']}\n    {e['message_en']}")
        for w in result.warnings:
            print(f"  ! {w['message_zh']}\n    {w['message_en']}")
    return 0 if result.ok else EXIT_REJECTED


def cmd_series(args) -> int:
    from services.series import SeriesRequestError, get_series

    ctx = _context()
    try:
        s = get_series(ctx, args.indicator, args.region, transform=args.transform, as_of=args.as_of,
                       start=args.start, end=args.end)
    except SeriesRequestError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(s.as_json(), ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(s.frame.to_csv(index=False))
    return 0


def cmd_mapping(args) -> int:
    from services.catalog import add_mapping, mappings_frame

    ctx = _context()
    if args.action == "add":
        if not (args.source and args.name and args.indicator):
            print("需要 --source、--name 和 --indicator / --source, --name and --indicator are required",
                  file=sys.stderr)
            return 1
        try:
            add_mapping(ctx, source=args.source, external_name=args.name, external_id=args.id,
                        indicator=args.indicator, region=args.region, unit=args.unit, scale=args.scale)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print("已添加映射 / mapping added")
        return 0
    _emit(mappings_frame(ctx, args.source), args.format)
    return 0


def cmd_batches(args) -> int:
    from storage import repository as repo

    ctx = _context()
    frame = repo.batches(ctx.engine, limit=args.limit)
    _emit(frame.drop(columns=["warnings"]), args.format)
    return 0


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=1, default=str))


def cmd_refresh(args) -> int:
    from services.refresh import refresh

    ctx = _context()
    report = refresh(ctx, jobs=args.jobs, force=args.force, progress=not args.quiet,
                     kinds=tuple(args.kind) if args.kind else None,
                     regions=tuple(args.region) if args.region else None,
                     indicators=tuple(args.indicator) if args.indicator else None, queue_url=args.queue)
    if args.json:
        _print_json(report.as_json())
    else:
        print(f"任务 tasks: {report.planned} 计划 planned · {report.skipped} 未变 unchanged · {report.ran} 完成 done · "
              f"{report.failed} 失败 failed · {report.seconds:.0f} s · {report.jobs} 进程 jobs ({report.executor})")
        for f in report.failures[:10]:
            print(f"  ! {f['task']}: {f['error']}")
    return 0 if report.failed == 0 else 1


def cmd_worker(args) -> int:
    from services.refresh import work

    url = args.queue or Settings().queue_url
    if not url:
        print("需要 --queue 或 ECONBRAIN_QUEUE_URL / --queue or ECONBRAIN_QUEUE_URL is required", file=sys.stderr)
        return 1
    work(url, burst=args.burst)
    return 0


def cmd_nowcast(args) -> int:
    from services.outlook import NowcastRequestError, nowcast

    try:
        result = nowcast(_context(), region=args.region, as_of=args.as_of)
    except (NowcastRequestError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        _print_json(result)
    else:
        iv = result["interval"]
        print(f"{result['region']} {result['target']} {result['period']} (as of {result['as_of']}, {result['model']}): "
              f"{result['point']:.2f}  [{iv['lower']:.2f}, {iv['upper']:.2f}] {iv['level']:.0%}")
    return 0


def cmd_backtest(args) -> int:
    from services.nowcast import NowcastRequestError, backtest

    try:
        result = backtest(_context(), args.region, args.target, args.start, args.end)
    except (NowcastRequestError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        _print_json(result)
    else:
        for m in result["models"]:
            print(f"{m['model']:<11} RMSE {m['rmse']:.3f}  MAE {m['mae']:.3f}  n={m['n']}")
    return 0


def cmd_signals(args) -> int:
    from services.early_warning import signals
    from services.series import SeriesRequestError

    try:
        result = signals(_context(), args.period, region=args.region)
    except SeriesRequestError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        _print_json(result)
    else:
        c = result["composite"]
        if c:
            print(f"综合 composite: {c['score']:.1f} {c['zone_zh']} / {c['zone_en']} ({c['n_indicators']} 项 indicators)")
        for s in result["signals"]:
            print(f"  {s['zone']} {s['zone_zh']:<3} {s['indicator']:<32} {s['value']}")
    return 0


def cmd_alerts(args) -> int:
    from services.early_warning import alerts, set_alert_state
    from services.series import SeriesRequestError

    ctx = _context()
    try:
        if args.set_state:
            if args.id is None:
                print("需要预警编号 / an alert id is required", file=sys.stderr)
                return 1
            result = set_alert_state(ctx, args.id, args.set_state)
        else:
            result = alerts(ctx, state=args.state, region=args.region, limit=args.limit)
    except SeriesRequestError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json or args.set_state:
        _print_json(result)
    else:
        for a in result:
            print(f"#{a['id']:<5} {a['state']:<12} {a['severity']:<6} {a['message_zh']}")
    return 0


def cmd_index(args) -> int:
    from services.indices import IndexRequestError, index_values

    try:
        result = index_values(_context(), args.name, region=args.region)
    except IndexRequestError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        _print_json(result)
    else:
        for v in result["values"][-12:]:
            print(f"{v['period']}  {v['value']:.2f}" + (f"  #{v['rank']}" if v.get("rank") else ""))
    return 0


def cmd_targets(args) -> int:
    from services.targets import targets

    result = targets(_context(), region=args.region, year=args.year)
    if args.json:
        _print_json(result)
    else:
        for r in result["targets"]:
            print(f"{r['indicator']:<28} {r['year']} target {r['target']} actual {r.get('actual')} "
                  f"needed {r.get('required')} p={r.get('probability')}")
    return 0


def cmd_report(args) -> int:
    from services.report import ReportRequestError
    from services import report_centre as centre

    from dataclasses import replace

    ctx = _context()
    ctx.viewer = replace(ctx.viewer, user=args.user or ctx.settings.user)
    bar = _progress_bar(args.quiet)
    try:
        if args.monthly:
            formats = centre.FORMATS if args.format in (None, "all") else [args.format]
            ids = centre.schedule_monthly(ctx, month=args.month, regions=args.region and [args.region],
                                          formats=formats, lang=args.lang,
                                          queue_url=args.queue or ctx.settings.queue_url, progress=bar)
            rows = [r for rid in ids for r in centre.jobs(ctx, rid)]
        else:
            if not args.month or not args.format:
                print("需要 --month 和 --format（或 --monthly） / --month and --format are required (or --monthly)",
                      file=sys.stderr)
                return 1
            formats = centre.FORMATS if args.format == "all" else [args.format]
            rows = centre.generate(ctx, args.month, args.region or "450000", formats, args.lang,
                                   progress=bar, out=args.out if len(formats) == 1 else None,
                                   out_dir=args.out if len(formats) > 1 and args.out else None)
    except ReportRequestError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        bar(None, None)
    if args.json:
        _print_json([{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows])
    else:
        for r in rows:
            print(f"{r['status']:<7} {r['region']} {r['month']} {r['format']:<5} {r.get('seconds') or 0:6.2f} s  "
                  f"sha256 {str(r.get('sha256'))[:12]}  {r.get('path') or r.get('message') or ''}")
    return 0 if all(r["status"] in ("done", "queued") for r in rows) else 1


def _progress_bar(quiet: bool):
    """A tqdm bar driven by (fraction, message) callbacks; ``bar(None, None)`` closes it."""
    if quiet:
        return lambda fraction, message: None
    from tqdm import tqdm

    bar = tqdm(total=100, desc="报告 report", unit="%", file=sys.stderr, leave=False)

    def update(fraction, message):
        if fraction is None:
            bar.close()
            return
        bar.n = round(fraction * 100)
        bar.set_postfix_str(message or "")
        bar.refresh()

    return update


def _emit(frame, fmt: str) -> None:
    if fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, indent=1, date_format="iso"))
    else:
        sys.stdout.write(frame.to_csv(index=False))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python app.py", description="EconBrain · 经济调节大脑")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("serve", help="serve the dashboard (default) / 启动服务")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("init-demo", help="build the embedded demo database / 生成演示数据库")
    s.add_argument("--if-missing", action="store_true", help="do nothing when data is already loaded")
    s.add_argument("--quiet", action="store_true")
    s.set_defaults(func=cmd_init_demo)

    s = sub.add_parser("catalog", help="list the indicator catalog / 指标目录")
    s.add_argument("--domain")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=cmd_catalog)

    s = sub.add_parser("regions", help="list regions / 地区")
    s.add_argument("--level", choices=["national", "province", "city", "county"])
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=cmd_regions)

    s = sub.add_parser("ingest", help="import a data file / 导入数据文件")
    s.add_argument("file")
    s.add_argument("--format", choices=["auto", "template", "nbs", "wind"], default="auto")
    s.add_argument("--source-unit")
    s.add_argument("--user", help="who submits the file (default ECONBRAIN_USER)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("series", help="read a series / 查询序列")
    s.add_argument("indicator")
    s.add_argument("region")
    s.add_argument("--transform", choices=["level", "monthly", "ytd", "yoy", "mom"], default="level")
    s.add_argument("--as-of", help="YYYY-MM-DD: the vintage known on that day")
    s.add_argument("--start")
    s.add_argument("--end")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=cmd_series)

    s = sub.add_parser("mapping", help="external-series mapping (Wind, NBS) / 外部序列映射")
    s.add_argument("action", choices=["list", "add"])
    s.add_argument("--source", choices=["wind", "nbs"])
    s.add_argument("--name", help="Wind name without region prefix, or NBS indicator name")
    s.add_argument("--id", help="Wind 指标ID")
    s.add_argument("--indicator")
    s.add_argument("--region")
    s.add_argument("--unit")
    s.add_argument("--scale", type=float, default=1.0)
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=cmd_mapping)

    s = sub.add_parser("batches", help="import batches / 导入批次")
    s.add_argument("--limit", type=int, default=50)
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=cmd_batches)

    s = sub.add_parser("refresh", help="compute and store every analytics result / 批量计算分析结果")
    s.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
    s.add_argument("--force", action="store_true", help="recompute even what has not changed")
    s.add_argument("--kind", action="append", choices=["series", "region", "nowcast", "backtest", "cycle", "index"],
                   help="only these task kinds (repeatable)")
    s.add_argument("--region", action="append", help="only these regions (repeatable)")
    s.add_argument("--indicator", action="append", help="only these indicators (repeatable)")
    s.add_argument("--queue", help="redis://… : hand tasks to RQ workers (default ECONBRAIN_QUEUE_URL)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_refresh)

    s = sub.add_parser("report", help="monthly report and meeting pack / 月度报告与会议材料")
    s.add_argument("--month", help="YYYY-MM (with --monthly: default the newest month analysed)")
    s.add_argument("--region", help="450000 (default) or a city: adcode or name")
    s.add_argument("--format", choices=["docx", "pdf", "xlsx", "pptx", "all"])
    s.add_argument("--out", type=Path, help="the file to write (a folder with --format all)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--monthly", action="store_true",
                   help="scheduled run for cron: every region's report in every format, skipping those already archived")
    s.add_argument("--queue", help="redis://… : with --monthly, enqueue for RQ workers (default ECONBRAIN_QUEUE_URL)")
    s.add_argument("--user", help="who is recorded as generating the report (default ECONBRAIN_USER)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("worker", help="serve refresh tasks and scheduled reports from the RQ queues / 计算节点")
    s.add_argument("--queue", help="redis://… (default ECONBRAIN_QUEUE_URL)")
    s.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    s.set_defaults(func=cmd_worker)

    s = sub.add_parser("nowcast", help="GDP growth nowcast / GDP增速即时预测")
    s.add_argument("--region", default="450000")
    s.add_argument("--as-of", help="YYYY-MM-DD: use only data released by then (computed live)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_nowcast)

    s = sub.add_parser("backtest", help="pseudo-real-time back-test / 伪实时回测")
    s.add_argument("what", choices=["nowcast"])
    s.add_argument("--region", default="450000")
    s.add_argument("--target", default="gdp_q_growth")
    s.add_argument("--start", required=True, help="first quarter, e.g. 2018Q1")
    s.add_argument("--end", required=True, help="last quarter, e.g. 2025Q4")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_backtest)

    s = sub.add_parser("signals", help="signal lights of a month / 景气信号灯")
    s.add_argument("--period", required=True, help="YYYY-MM")
    s.add_argument("--region", default="450000")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_signals)

    s = sub.add_parser("alerts", help="anomaly alerts / 异常预警")
    s.add_argument("id", nargs="?", type=int, help="alert id (with --set-state)")
    s.add_argument("--state", choices=["new", "acknowledged", "closed"], help="list only alerts in this state")
    s.add_argument("--set-state", choices=["new", "acknowledged", "closed"], help="change the state of alert ID")
    s.add_argument("--region")
    s.add_argument("--limit", type=int)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_alerts)

    s = sub.add_parser("index", help="development and composite indices / 经济发展指数")
    s.add_argument("name")
    s.add_argument("--region", default="450000")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("targets", help="annual targets and progress / 年度目标进度")
    s.add_argument("--region", default="450000")
    s.add_argument("--year", type=int)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_targets)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        args = parser().parse_args(["serve", *(argv or [])])
    return args.func(args)


def __getattr__(name):
    # gunicorn "app:server": build the app lazily so importing app.py for the CLI stays cheap
    if name == "server":
        return _serving(create_app()).server
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
