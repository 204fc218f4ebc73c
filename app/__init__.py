"""The Flask application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, appcontext_pushed, g
from werkzeug.middleware.proxy_fix import ProxyFix

from app.admin import admin
from app.api import api
from app.audit import audit_pages
from app.auth import auth
from app.cli import register_commands
from app.context import RUNTIME, runtime_of
from app.health import health
from app.logs import configure_logging
from app.panel import panel
from app.public import public
from app.web import csrf, install_web
from channels import channels
from storage import Settings
from workers.runtime import bind, build_runtime, unbind

MAX_REQUEST_BYTES = 64 * 1024


def create_app(config: Mapping[str, str] | None = None, *, start_worker: bool = True) -> Flask:
    """Build the app from the environment, with `config` overriding it (tests pass theirs)."""
    app = Flask(__name__, instance_relative_config=True)
    environ = {**os.environ, **(config or {})}
    settings = Settings.from_env(environ, instance_path=Path(app.instance_path))
    configure_logging(environ.get("SAUTI_LOG_LEVEL", "INFO"))
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES)
    if settings.proxy_hops:
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.extensions[RUNTIME] = build_runtime(settings, background=start_worker)
    appcontext_pushed.connect(_bind_runtime, app)
    app.teardown_appcontext(_unbind_runtime)
    app.register_blueprint(health)
    app.register_blueprint(channels)
    install_web(app)
    for blueprint in (auth, panel, admin, api, audit_pages, public):
        app.register_blueprint(blueprint)
    csrf.exempt(channels)
    csrf.exempt(api)
    register_commands(app)
    return app


def _bind_runtime(app: Flask, **_: object) -> None:
    """Every request and command of the app runs under the app's own runtime."""
    g.sauti_runtime_token = bind(runtime_of(app))


def _unbind_runtime(_: BaseException | None) -> None:
    token = g.pop("sauti_runtime_token", None)
    if token is not None:
        unbind(token)
