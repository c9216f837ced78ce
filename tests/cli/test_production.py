"""The command line with ``QUANZI_ENV=production``: no demo shop, no server without a
secret key that already exists, and no API docs unless asked for."""

import httpx

from tests.cli.home import TRACEBACK, free_port, stop, wait_for

PRODUCTION = {"QUANZI_ENV": "production"}


def test_demo_refuses_to_run_in_production_and_touches_nothing(fresh_home):
    result = fresh_home.quanzi("demo", env=PRODUCTION)

    assert result.returncode == 1
    assert "QUANZI_ENV=production" in result.stderr and TRACEBACK not in result.stderr
    assert result.stdout == ""
    assert not (fresh_home.folder / "data" / "secret_key").exists()
    assert not fresh_home.is_migrated()


def test_serve_in_production_without_a_secret_key_refuses_to_start(fresh_home):
    result = fresh_home.quanzi("serve", "--port", str(free_port()), env=PRODUCTION)

    key = fresh_home.folder / "data" / "secret_key"
    assert result.returncode == 1
    assert "no secret key" in result.stderr and str(key) in result.stderr
    assert TRACEBACK not in result.stderr + result.stdout
    assert not key.exists()  # never made up in production


def test_serve_in_production_uses_the_key_it_finds_and_hides_the_docs(fresh_home):
    key = fresh_home.folder / "data" / "secret_key"
    key.parent.mkdir()
    key.write_text("a-key-made-by-the-operator-beforehand-0123456789")
    base = f"http://127.0.0.1:{free_port()}"
    server = fresh_home.start("serve", "--port", base.rsplit(":", 1)[1], env=PRODUCTION)
    try:
        health = wait_for(f"{base}/healthz", server)
        docs, schema = httpx.get(f"{base}/docs"), httpx.get(f"{base}/openapi.json")
    finally:
        _status, output = stop(server)

    assert health.json() == {"status": "ok"}
    assert (docs.status_code, schema.status_code) == (404, 404)
    assert key.read_text() == "a-key-made-by-the-operator-beforehand-0123456789"
    assert "Application shutdown complete" in output and TRACEBACK not in output
    # no worker of its own: production runs quanzi worker beside the servers
    assert "background jobs: not run here (QUANZI_ENV=production)" in output
    assert "worker stopped" not in output
