"""``uvicorn quanzi.asgi:app``."""

from quanzi.app import create_app

app = create_app()
