"""EconBrain · 经济调节大脑 — the app factory, the WSGI ``server`` for gunicorn, and the CLI.

``python app.py`` serves the dashboard; ``python app.py <command> --help`` for the rest.
"""

from __future__ import annotations

import argparse
import json
import sys

from settings import Settings

EXIT_REJECTED = 2


def create_app(settings: Settings | None = None):
    """Build the Dash app on the given settings (tests pass a temporary database)."""
    from layouts.shell import build_app

    return build_app(settings or Settings())


def _context(args=None):
    from services.context import open_context

    return open_context(Settings())


def cmd_serve(args) -> int:
    settings = Settings()
    app = create_app(settings)
    app.run(host=args.host or settings.host, port=args.port or settings.port, debug=settings.debug)
    return 0


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
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        args = parser().parse_args(["serve", *(argv or [])])
    return args.func(args)


def __getattr__(name):
    # gunicorn "app:server": build the app lazily so importing app.py for the CLI stays cheap
    if name == "server":
        return create_app().server
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
