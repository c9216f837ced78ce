"""nginx as deployed (``deploy/nginx/quanzi.conf``), run by a test without root: the site
file with its ``# test:`` lines pointed at this test's ports and cache folder, inside a
main configuration whose pid file, logs and temporary folders are in a folder of its own.
"""

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests import backends

NGINX = Path("/usr/sbin/nginx")
SITE = Path(__file__).parents[2] / "deploy" / "nginx" / "quanzi.conf"
_MAIN = """{user}worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


def require_nginx() -> Path:
    """Debian's nginx (``scripts/ensure_nginx.sh``); missing: a skip, a failure under CI."""
    if not NGINX.exists():
        backends.unavailable("nginx", f"{NGINX} missing: run scripts/ensure_nginx.sh")
    return NGINX


def site(folder: Path, port: int, upstreams: list[str]) -> str:
    """The deployed site file with this test's listen port, upstreams and cache folder."""
    lines = []
    for line in SITE.read_text().splitlines():
        if line.rstrip().endswith("# test: servers"):
            if upstreams:  # the upstream's servers, in place of the first
                lines += [f"    server {address} max_fails=0;" for address in upstreams]
                upstreams = []
            continue
        if line.rstrip().endswith("# test: listen"):
            if port:
                lines.append(f"    listen 127.0.0.1:{port};")
                port = 0
            continue
        if line.rstrip().endswith("# test: cache"):
            line = re.sub(r"proxy_cache_path \S+", f"proxy_cache_path {folder}/cache", line)
        lines.append(line)
    return "\n".join(lines) + "\n"


@dataclass
class Nginx:
    process: subprocess.Popen[bytes]
    folder: Path
    base: str

    def errors(self) -> str:
        log = self.folder / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(folder: Path, port: int, upstreams: list[str]) -> Nginx:
    """nginx in the foreground on 127.0.0.1:``port`` in front of ``upstreams``."""
    binary = require_nginx()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(site(folder, port, upstreams))
    # as root nginx's workers would run as nobody, who cannot enter pytest's folders
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(_MAIN.format(folder=folder, user=user))
    command = [str(binary), "-p", str(folder), "-c", str(folder / "nginx.conf"),
               "-e", str(folder / "error.log"), "-g", "daemon off;"]
    checked = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    server = Nginx(process, folder, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(f"{server.base}/healthz", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.stop()
    raise AssertionError(f"nginx did not start: {server.errors()}")


def remove(server: Nginx) -> None:
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)
