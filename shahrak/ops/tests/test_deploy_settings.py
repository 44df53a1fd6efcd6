"""`check --deploy` with a production environment is clean; every security setting it asks for
comes from the environment with a strict parser; the OC4IDS placeholders fail it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7Vq2-a9Xw_TBm4rZp0LsYd8nJf3HcEeGu6oKi1Wl5RtNvQyMbSxAzUj",
    "ALLOWED_HOSTS": "shahrak.isipo.ir",
    "CSRF_TRUSTED_ORIGINS": "https://shahrak.isipo.ir",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "OC4IDS_PREFIX": "oc4ids-ab12cd-",
    "OC4IDS_PUBLISHER": "Iran Small Industries and Industrial Parks Organization",
    "OC4IDS_PUBLISHER_URI": "https://isipo.ir",
}


def shahrak(args, tmp_path, **environment):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and not k.startswith(("SECURE_", "OC4IDS_"))
    }
    env.pop("DATABASE_URL", None)
    env.update(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="shahrak.settings", SHAHRAK_VAR_DIR=str(tmp_path))
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "shahrak.manage", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_a_production_environment(tmp_path):
    result = shahrak(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_on_each_missing_security_setting_and_the_oc4ids_placeholders(tmp_path):
    missing = {k: "" for k in PRODUCTION if k.startswith(("SECURE_", "SESSION_", "CSRF_COOKIE", "OC4IDS_"))}
    result = shahrak(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **{**PRODUCTION, **missing})
    assert result.returncode == 1
    found = sorted(
        {
            word.strip("():")
            for word in result.stderr.split()
            if word.startswith("(security.") or word.startswith("(shahrak.")
        }
    )
    assert found == [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
        "shahrak.E001",
        "shahrak.E002",
    ]


def test_placeholder_publisher_hosts_fail_even_when_set(tmp_path):
    result = shahrak(
        ["check", "--deploy"],
        tmp_path,
        **{**PRODUCTION, "OC4IDS_PUBLISHER_URI": "https://data.example.org/x"},
    )
    assert result.returncode == 1
    assert "shahrak.E002" in result.stderr and "shahrak.E001" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS must be a whole number, not 'a year'"),
        ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS must not be negative, not '-1'"),
        ("SECURE_SSL_REDIRECT", "sure", "SECURE_SSL_REDIRECT must be true or false, not 'sure'"),
        ("SESSION_COOKIE_SECURE", "2", "SESSION_COOKIE_SECURE must be true or false, not '2'"),
        (
            "SECURE_PROXY_SSL_HEADER",
            "https",
            "SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', not 'https'",
        ),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, name, value, message):
    result = shahrak(["check"], tmp_path, **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_values_reach_the_settings(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_PROXY_SSL_HEADER, s.SHAHRAK['OC4IDS_PREFIX'])"
    )
    result = shahrak(["shell", "--no-imports", "-c", code], tmp_path, **PRODUCTION)
    assert result.stdout.strip() == (
        "31536000 True True True True True ('HTTP_X_FORWARDED_PROTO', 'https') oc4ids-ab12cd-"
    ), result.stderr


def test_the_https_redirect_spares_the_probes(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    response = client.get("/catalogue/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
