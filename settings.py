"""One typed settings object read from ``ECONBRAIN_*`` environment variables.

Defaults give the embedded configuration (SQLite and a filesystem cache under ``instance/``);
production sets ``ECONBRAIN_DATABASE_URL=postgresql+psycopg://…`` and ``ECONBRAIN_CACHE_URL=redis://…``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ECONBRAIN_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'instance' / 'econbrain.sqlite'}",
        description="SQLAlchemy URL of the observation store",
    )
    cache_url: str = Field(
        default=f"filesystem://{ROOT / 'instance' / 'cache'}",
        description="filesystem://DIR, redis://HOST:PORT/DB or null://",
    )
    secret_key: str = Field(default="dev-only-change-me", description="Flask session signing key")
    host: str = Field(default="127.0.0.1", description="address the server binds to")
    port: int = Field(default=8050, description="port the server listens on")
    debug: bool = Field(default=False, description="Dash debug mode (dev tools, reloader)")
    language: str = Field(default="zh", description="default UI language: zh or en")
    catalog_dir: Path | None = Field(default=None, description="indicator catalog folder (default: the shipped one)")
    demo_start: str = Field(default="2015-01", description="first month of the demo data")
    demo_end: str = Field(default="2026-10", description="last month of the demo data")
    user: str = Field(default="local", description="who is recorded as submitting imports from this process")
    auto_refresh: bool = Field(default=True, description="serve starts a background analytics refresh when the stored results are older than the data")
    queue_url: str | None = Field(default=None, description="redis://HOST:PORT/DB: hand refresh tasks to RQ workers")
    reports_dir: Path = Field(default=ROOT / "instance" / "reports", description="where generated reports are archived")
    as_of: str | None = Field(default=None, description="the date analytics treat as today (YYYY-MM-DD; default: today, or the demo's date)")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        raw = self.database_url.split("///", 1)[-1]
        return Path(raw) if raw and raw != ":memory:" else None


def get_settings(**overrides) -> Settings:
    return Settings(**overrides)
