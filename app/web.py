"""What every staff page shares: sign-in required unless public, the input policy, CSRF
protection, the interface language, strict security headers (HSTS over https), session
cookies (SameSite=Lax, Secure over https) and lifetime, error pages, and the home page that
sends each role to its own desk. A request no page can be built for (a Host header no link can
name, a query string that is not UTF-8) is refused before any of that, in plain text."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask, Response, current_app, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask.typing import ResponseReturnValue
from flask_babel import Babel, format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import BadHost, BadRequest, SecurityError, UnsupportedMediaType

from app.access import install_access
from app.api.problems import install_problems, is_api_request, problem_for
from app.auth import install_auth, login_required
from app.context import runtime_of
from app.errors import install_errors
from app.forms import check_request_values
from app.labels import (
    actor_name,
    dimension_label,
    event_label,
    label,
    language_name,
    localised,
    redaction_tags,
)
from storage.models import utcnow

LANGUAGES = ("en", "sw")
csrf = CSRFProtect()
babel = Babel()

HSTS = "max-age=31536000; includeSubDomains"
# Where a JSON body is read: the API, and the gateways' routes, which check their own.
JSON_BLUEPRINTS = ("api", "channels")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def install_web(app: Flask, session_hours: int = 8, idle_minutes: int = 30) -> None:
    # A path names a route as it is written: "/api/v1/cases//actions" is no case's actions,
    # not "/api/v1/cases/actions" read again with its slashes merged.
    app.url_map.merge_slashes = False
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=session_hours)
    app.config.setdefault("SAUTI_IDLE_MINUTES", idle_minutes)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    public_url = runtime_of(app).settings.public_base_url or ""
    app.config["SAUTI_PUBLIC_HTTPS"] = public_url.startswith("https://")
    app.config["SESSION_COOKIE_SECURE"] = app.config["SAUTI_PUBLIC_HTTPS"]
    app.session_interface = SessionCookies()
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", session_hours * 3600)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Africa/Nairobi")
    # In this order: an unreadable request is refused before anything reads it, an ended
    # session is gone before access is decided, and an anonymous visitor is sent to sign in
    # before their input or CSRF token is looked at.
    app.before_request(_refuse_unreadable_request)
    app.register_error_handler(UnreadableRequestError, _unreadable)
    install_auth(app)
    install_access(app)
    app.before_request(_check_inputs)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=interface_language)
    app.after_request(_security_headers)
    install_problems(app)
    install_errors(app)
    app.add_url_rule("/", "home", login_required(home))
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    app.add_template_global(get_locale)
    for text_filter in (label, language_name, event_label, actor_name, redaction_tags, dimension_label):
        app.add_template_filter(text_filter)
    app.add_template_global(localised)
    app.add_template_filter(time_left)
    app.add_template_filter(when)
    app.add_template_filter(month_name)


def interface_language() -> str:
    """A signed-in person's chosen language; a visitor's from the page's switch (`?lang=`),
    else from what their browser asks for."""
    if current_user and current_user.is_authenticated:
        return str(current_user.language) if current_user.language in LANGUAGES else "en"
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def home() -> ResponseReturnValue:
    if current_user.role in ("panel_member", "panel_lead"):
        return redirect(url_for("panel.queue"))
    if current_user.role == "admin":
        return redirect(url_for("admin.users"))
    return redirect(url_for("audit.dashboard"))


def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


def month_name(moment: date) -> str:
    """The month as the reader names it: "November 2026" or "Novemba 2026"."""
    return str(format_date(moment, "LLLL yyyy"))


def when(moment: datetime | None) -> str:
    return format_datetime(moment, "d MMM yyyy, HH:mm") if moment else ""


def time_left(due: datetime | None) -> str:
    """How long the SLA clock has left, or by how much it ran over."""
    if due is None:
        return str(_("clock stopped"))
    seconds = int((due - utcnow()).total_seconds())
    span = _duration(abs(seconds))
    return str(_("%(span)s left", span=span) if seconds >= 0 else _("overdue by %(span)s", span=span))


def _duration(seconds: int) -> str:
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        return str(_("%(days)d d %(hours)d h", days=days, hours=hours))
    return str(_("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes))


class SessionCookies(SecureCookieSessionInterface):
    """Session cookies marked Secure whenever the request came over https: directly, or through
    a proxy trusted by SAUTI_PROXY_HOPS that says so in X-Forwarded-Proto."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


class UnreadableRequestError(BadRequest):
    """A request whose Host or query string cannot be read: the error page would fail on it
    too, as its links, its language and the input policy read them again."""


def _refuse_unreadable_request() -> None:
    # Werkzeug could not bind URLs to this host (an empty label, one over 63 characters; or a
    # host not in TRUSTED_HOSTS, were it set), so Flask has no URL adapter and every url_for,
    # the error page's included, would fail.
    if isinstance(request.routing_exception, (BadHost, SecurityError)) or not _readable_host(request.host):
        raise UnreadableRequestError("the Host header is not a host name this site answers to")
    try:
        request.query_string.decode()
    except UnicodeDecodeError:
        raise UnreadableRequestError("the query string is not UTF-8: percent-encode its bytes") from None


def _readable_host(host: str) -> bool:
    """An "xn--" label must decode as IDNA: every link to the request's own URL decodes it."""
    if "xn--" not in host.lower():
        return True
    try:
        host.encode("ascii").decode("idna")
    except UnicodeError:
        return False
    return True


def _unreadable(error: UnreadableRequestError) -> ResponseReturnValue:
    if is_api_request():
        return problem_for(error)
    return Response(f"{error.description}\n", error.code, mimetype="text/plain")


def _check_inputs() -> None:
    # Gateways' requests are checked by their own routes, after their signature.
    if request.blueprint != "channels":
        check_request_values()
    if _is_page() and request.is_json and request.method != "GET":
        # A page's form read from JSON could hold numbers, lists or objects where text belongs.
        raise UnsupportedMediaType("pages take form posts; send JSON to /api/v1")


def _is_page() -> bool:
    """Whether the request is for a page. One for no route at all is answered by routing (a
    404 or 405, as problem details under /api/), whatever its body."""
    return request.url_rule is not None and request.blueprint not in JSON_BLUEPRINTS


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.is_secure or current_app.config["SAUTI_PUBLIC_HTTPS"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    # Pages, CSV exports and API answers carry case data: no cache may keep a copy.
    if response.mimetype in ("text/html", "text/csv") or is_api_request():
        response.headers.setdefault("Cache-Control", "no-store")
    return response
