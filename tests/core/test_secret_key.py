"""The secret key kept in the data folder: made once, atomically, readable by its owner
only; never made in production; found through an absolute ``QUANZI_DATA_DIR``."""

import secrets
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quanzi.core.config import Settings
from quanzi.core.secret_key import MissingSecretKey


def _settings(data_dir: Path | str, env: str = "development") -> Settings:
    return Settings(data_dir=data_dir, env=env, secret_key="")


RACER = """
import sys, time
from quanzi.core.config import Settings
settings = Settings(data_dir=sys.argv[1], env="development", secret_key="")
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
print(settings.resolved_secret_key())
"""


def test_processes_starting_together_end_with_one_key_readable_by_its_owner_only(tmp_path):
    data, racers = tmp_path / "data", 8
    go = str(time.time() + 3)  # all of them imported by then, all asking at once
    processes = [subprocess.Popen([sys.executable, "-c", RACER, str(data), go],
                                  stdout=subprocess.PIPE, text=True) for _ in range(racers)]
    keys = [process.communicate(timeout=60)[0].strip() for process in processes]

    kept = (data / "secret_key").read_text()
    assert len(kept) >= 64 and keys == [kept] * racers
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600
    assert [p.name for p in data.iterdir()] == ["secret_key"]  # no temporary file left


def test_a_key_published_meanwhile_by_another_process_is_kept_and_used(tmp_path, monkeypatch):
    """The other process checked, found no key and wrote its own while this one was making
    one: this one must not overwrite it (the other is already running with it)."""
    path, draw = tmp_path / "secret_key", secrets.token_urlsafe

    def draw_while_another_publishes(nbytes: int) -> str:
        if not path.exists():
            path.write_text("the-other-process-key")
        return draw(nbytes)

    monkeypatch.setattr(secrets, "token_urlsafe", draw_while_another_publishes)

    assert _settings(tmp_path).resolved_secret_key() == "the-other-process-key"
    assert path.read_text() == "the-other-process-key"


def test_production_never_makes_a_key_and_says_where_it_looked(tmp_path):
    settings = _settings(tmp_path / "data", env="production")

    with pytest.raises(MissingSecretKey, match="QUANZI_SECRET_KEY") as refused:
        settings.resolved_secret_key()

    assert str(tmp_path / "data" / "secret_key") in str(refused.value)
    assert not (tmp_path / "data").exists()


def test_production_uses_the_key_file_or_the_variable(tmp_path):
    (tmp_path / "secret_key").write_text("made-by-the-operator\n")
    assert _settings(tmp_path, env="production").resolved_secret_key() == "made-by-the-operator"
    given = Settings(data_dir=tmp_path / "elsewhere", env="production", secret_key="from-env")
    assert given.resolved_secret_key() == "from-env"


def test_an_empty_key_file_is_refused_not_used(tmp_path):
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(MissingSecretKey, match="empty"):
        _settings(tmp_path).resolved_secret_key()


def test_a_relative_data_dir_is_made_absolute_once(tmp_path, monkeypatch):
    """Read in one folder, used after moving to another: still the first folder's key."""
    (tmp_path / "start").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "start")
    settings = _settings("data")
    monkeypatch.chdir(tmp_path / "elsewhere")

    key = settings.resolved_secret_key()

    assert settings.data_dir == tmp_path / "start" / "data"
    assert (tmp_path / "start" / "data" / "secret_key").read_text() == key
    assert not (tmp_path / "elsewhere" / "data").exists()
