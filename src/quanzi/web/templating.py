"""The one Jinja2 environment of the pages: autoescaping on, the ``fen`` filter."""

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from quanzi.core.config import get_settings
from quanzi.core.money import format_fen

TEMPLATES_DIR = Path(__file__).parent / "templates"


def absolute_url(path: str) -> str:
    """``path`` on this site as a full URL (for Open Graph); full URLs pass unchanged."""
    if path.startswith(("http://", "https://")):
        return path
    return get_settings().base_url.rstrip("/") + "/" + path.lstrip("/")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["fen"] = format_fen
    env.filters["absolute_url"] = absolute_url
    return env


templates = Jinja2Templates(env=_environment())
