"""The secret key kept in the data folder (``data_dir/secret_key``) when
``QUANZI_SECRET_KEY`` is not set.

Contract:

* the file is made readable by its owner only (0600) from its first byte: the key is
  written to a temporary file that ``mkstemp`` opens with mode 0600 in the same folder,
  then published under its name in one step;
* publishing is ``os.link``, which fails when the name exists, rather than
  ``os.replace``, which would overwrite it: when two processes start together, the
  second one's link fails and both read the first one's key, so exactly one key is ever
  in use (with ``os.replace`` the loser would already be running with its own key);
* it is never created where ``create=False`` (production): a missing or empty key is a
  :class:`MissingSecretKey` naming the file, never a silent new key that would sign
  every session and callback differently from the other servers.

Example::

    key = load_or_create(Path("/srv/quanzi/data/secret_key"), create=True)
"""

import logging
import os
import secrets
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

KEY_BYTES = 48


class MissingSecretKey(RuntimeError):
    """No secret key where one must already exist (production), or an empty key file."""


def load_or_create(path: Path, *, create: bool) -> str:
    """The key stored at ``path``; made first (0600, atomically) when missing and ``create``."""
    if not path.exists():
        if not create:
            raise MissingSecretKey(
                f"no secret key: set QUANZI_SECRET_KEY or put a key in {path} "
                "(readable by the server's user only); in production it is never generated")
        _create(path)
    key = path.read_text().strip()
    if not key:
        raise MissingSecretKey(f"the secret key file {path} is empty")
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(secrets.token_urlsafe(KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return  # another process published its key first: that one is the key
        log.warning("created a new secret key in %s", path)
    finally:
        os.unlink(temporary)
