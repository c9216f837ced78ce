"""``QUANZI_DOCS`` switches Swagger UI (``/docs``) and ``/openapi.json`` on or off; unset,
they are on in development and off in production. A production app without a secret
key does not start."""

import pytest
from fastapi.testclient import TestClient

from quanzi.app import create_app
from quanzi.core.secret_key import MissingSecretKey

DOCS = ("/docs", "/openapi.json", "/static/docs/swagger-ui.css")


def _statuses() -> list[int]:
    with TestClient(create_app()) as client:
        return [client.get(path).status_code for path in DOCS]


@pytest.mark.parametrize(("env", "docs", "expected"), [
    ("development", None, 200),
    ("development", False, 404),
    ("production", None, 404),
    ("production", True, 200),
])
def test_the_docs_follow_the_setting(settings, monkeypatch, env, docs, expected):
    monkeypatch.setattr(settings, "env", env)
    monkeypatch.setattr(settings, "docs", docs)

    assert _statuses() == [expected] * len(DOCS)


def test_the_docs_setting_reads_on_and_off(monkeypatch):
    from quanzi.core.config import Settings

    monkeypatch.setenv("QUANZI_DOCS", "off")
    assert Settings().docs_enabled is False
    monkeypatch.setenv("QUANZI_DOCS", "on")
    monkeypatch.setenv("QUANZI_ENV", "production")
    assert Settings().docs_enabled is True


def test_a_production_app_without_a_secret_key_does_not_start(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "env", "production")
    monkeypatch.setattr(settings, "secret_key", "")
    monkeypatch.setattr(settings, "data_dir", tmp_path)

    with pytest.raises(MissingSecretKey):
        create_app()
    assert not (tmp_path / "secret_key").exists()
