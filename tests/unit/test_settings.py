from settings import Settings


def test_defaults_are_the_embedded_configuration(monkeypatch):
    for key in ("ECONBRAIN_DATABASE_URL", "ECONBRAIN_CACHE_URL", "ECONBRAIN_PORT", "ECONBRAIN_HOST"):
        monkeypatch.delenv(key, raising=False)
    s = Settings()
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("instance/econbrain.sqlite")
    assert s.cache_url.startswith("filesystem://") and "instance" in s.cache_url
    assert (s.host, s.port) == ("127.0.0.1", 8050)


def test_environment_overrides_with_the_prefix(monkeypatch):
    monkeypatch.setenv("ECONBRAIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("ECONBRAIN_CACHE_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("ECONBRAIN_PORT", "9000")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///ignored.sqlite")  # unprefixed variables are not read
    s = Settings()
    assert s.database_url.startswith("postgresql+psycopg://") and not s.is_sqlite
    assert s.cache_url == "redis://127.0.0.1:6379/0" and s.port == 9000
