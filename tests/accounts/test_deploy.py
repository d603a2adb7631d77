"""Production settings: `check --deploy` is clean; CSP allows no inline script or style."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import podium
from tests.conftest import World

SRC = Path(podium.__file__).parent


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        PODIUM_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="podium.example.org",
        DJANGO_SETTINGS_MODULE="podium.config.settings",
        **extra,
    )
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


CHECK = (
    "import django; django.setup()\n"
    "from django.core.management import call_command\n"
    "call_command('check', deploy=True, fail_level='WARNING')\n"
)


@pytest.mark.parametrize("extra", [{}, {"PODIUM_PROXY_COUNT": "1"}], ids=["direct", "proxy"])
def test_check_deploy_gives_no_warnings(tmp_path: Path, extra: dict[str, str]) -> None:
    result = run_python(CHECK, production_env(tmp_path, **extra))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


SHOW = (
    "import django; django.setup()\n"
    "from django.conf import settings as s\n"
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)\n"
)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "True True 31536000"),
        ({"PODIUM_DEMO": "1"}, "False False 0"),  # the demo on http://127.0.0.1
        ({"PODIUM_HTTPS": "0"}, "False False 0"),
        ({"PODIUM_SECURE_COOKIES": "0"}, "False False 0"),  # the former name
    ],
)
def test_https_is_on_in_production_only(
    tmp_path: Path, extra: dict[str, str], expected: str
) -> None:
    result = run_python(SHOW, production_env(tmp_path, **extra))
    assert result.stdout.strip() == expected, result.stderr


def directives(header: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize(
    "path", ["/login/", "/programs/", "/account/tokens/", "/account/two-factor/", "/users/"]
)
def test_csp_header_allows_no_inline_code(world: World, path: str) -> None:
    client = Client()
    if path != "/login/":
        client.force_login(world.admin)
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE = [
    re.compile(r"<style\b", re.IGNORECASE),
    re.compile(r"\sstyle\s*=", re.IGNORECASE),
    re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),  # onclick=, onload=, ...
    re.compile(r"javascript:", re.IGNORECASE),
]


def test_templates_contain_no_inline_script_or_style() -> None:
    templates = sorted(SRC.rglob("templates/**/*.html"))
    assert len(templates) > 50
    offences = []
    for template in templates:
        text = template.read_text()
        for match in SCRIPT_TAG.finditer(text):
            attrs = match.group(1)
            # external files, or JSON data blocks (never executed)
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                offences.append(f"{template.relative_to(SRC)}: inline <script>")
        offences += [
            f"{template.relative_to(SRC)}: {pattern.pattern}"
            for pattern in INLINE
            if pattern.search(text)
        ]
    assert offences == []
