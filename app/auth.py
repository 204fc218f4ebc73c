"""Sign-in pages, the signed-in person (`current_user`) and `role_required`.

Sign-in is two steps: email and password, then a TOTP code (or, the first time, enrolment
of an authenticator from a QR code the app draws itself). Sessions end after
`PERMANENT_SESSION_LIFETIME`, after `SAUTI_IDLE_MINUTES` without a request, and everywhere at
once when the person signs out or an admin deactivates them or resets their authenticator."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

import segno
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from werkzeug.exceptions import HTTPException

from app.context import transaction
from app.forms import CodeForm, LanguageForm, NewPasswordForm, SignInForm, valid
from app.refusals import shown
from app.signin import (
    Attempt,
    StaffMember,
    check_code,
    check_password,
    choose_language,
    enrolment_uri,
    sign_out_everywhere,
    staff_member,
)
from storage.accounts import accept_invitation, user_for_invitation
from storage.passwords import MIN_PASSWORD_CHARS, PasswordError
from storage.typed_values import is_ascii_number

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])
PENDING_SECONDS = 300

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = None
auth = Blueprint("auth", __name__)

__all__ = ["auth", "current_user", "install_auth", "login_required", "refuse_unless", "role_required"]


def install_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load)
    login_manager.unauthorized_handler(sign_in_first)
    app.before_request(_end_idle_session)


def sign_in_first() -> ResponseReturnValue:
    """To sign in, and back to the page after. A form sent once the session had ended (signed
    out in another tab, idle too long) is not kept: the person is told so and, once signed in,
    comes back to the page the form was on rather than to the address it was sent to."""
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    flash(_("Your session had ended, so what you sent was not saved. Sign in and send it again."), "error")
    return redirect(url_for("auth.sign_in", next=_page_of_form()), 303)


def _page_of_form() -> str | None:
    """The nearest page above the address a form was sent to, with the list filters the form
    carried back (`back`), if it had any."""
    adapter = current_app.url_map.bind("localhost")
    path = request.path
    while path.count("/") > 1:
        path = path.rsplit("/", 1)[0]
        for page in (path, f"{path}/"):
            try:
                adapter.match(page, method="GET")
            except HTTPException:
                continue
            back = request.form.get("back", "")
            return f"{page}?{back}" if back else page
    return None


def _load(session_id: str) -> StaffMember | None:
    """The person a session cookie names, if that session has not been ended since."""
    user_id, _, epoch = session_id.partition(":")
    if not (is_ascii_number(user_id) and is_ascii_number(epoch)):
        return None
    return staff_member(int(user_id), int(epoch))


def role_required(*roles: str) -> Callable[[F], F]:
    """Let only signed-in people with one of `roles` through; others get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: object, **kwargs: object) -> ResponseReturnValue:
            return refuse_unless(*roles) or view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def refuse_unless(*roles: str) -> ResponseReturnValue | None:
    """A redirect to sign in, or 403, unless the person is signed in with one of `roles`."""
    if not current_user.is_authenticated:
        unauthorized: ResponseReturnValue = login_manager.unauthorized()
        return unauthorized
    if current_user.role not in roles:
        abort(403)
    return None


@auth.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("auth/sign_in.html", next=_safe_next())
    form = valid(SignInForm())
    email = form.email.data
    attempt = check_password(email, form.password.data, _address())
    if not attempt.ok:
        return _refused("auth/sign_in.html", attempt, email=email, next=_safe_next())
    session["pending_sign_in"] = {
        "user": attempt.user_id,
        "epoch": attempt.session_epoch,
        "at": time.time(),
        "next": _safe_next(),
    }
    return redirect(url_for("auth.enrol" if attempt.needs_enrolment else "auth.code"))


@auth.route("/sign-in/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    user_id = _pending_user()
    if user_id is None:
        return redirect(url_for("auth.sign_in"))
    if request.method == "GET":
        return render_template("auth/code.html")
    return _finish(user_id, "auth/code.html")


@auth.route("/sign-in/enrol", methods=["GET", "POST"])
def enrol() -> ResponseReturnValue:
    user_id = _pending_user()
    if user_id is None:
        return redirect(url_for("auth.sign_in"))
    uri = enrolment_uri(user_id)
    if uri is None:
        # Already enrolled (a bookmark, the back button): the code step is the one to take.
        return redirect(url_for("auth.code"), 303)
    qr = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title=_("QR code"))
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    if request.method == "GET":
        return render_template("auth/enrol.html", qr=qr, secret=secret)
    return _finish(user_id, "auth/enrol.html", qr=qr, secret=secret)


@auth.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """Ends this session and every other one of the same person: a copied cookie dies too."""
    sign_out_everywhere(current_user.id)
    logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in"))


@auth.post("/language")
def language() -> ResponseReturnValue:
    choose_language(current_user.id, valid(LanguageForm()).language.data)
    return redirect(_safe_next() or url_for("home"), 303)


@auth.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> ResponseReturnValue:
    error = None
    if request.method == "POST":
        form = valid(NewPasswordForm())
        if form.password.data != form.confirm.data:
            error = _("The two passwords differ.")
        else:
            try:
                if _accept(token, form.password.data):
                    return redirect(url_for("auth.sign_in"))
            except PasswordError as refusal:
                error = shown(refusal)
    with transaction() as db:
        if user_for_invitation(db, token) is None:
            abort(404)
    page = render_template("auth/invitation.html", error=error, min_chars=MIN_PASSWORD_CHARS)
    return page, 400 if error else 200


def _accept(token: str, password: str) -> bool:
    """Whether there was an invitation to accept; PasswordError if the password will not do."""
    with transaction() as db:
        user = user_for_invitation(db, token)
        if user is None:
            return False
        accept_invitation(user, password)
        return True


def _finish(user_id: int, template: str, **context: object) -> ResponseReturnValue:
    epoch = int(session["pending_sign_in"].get("epoch", -1))
    result = check_code(user_id, epoch, valid(CodeForm()).code.data, _address())
    if isinstance(result, Attempt) and result.user_id is None and not result.throttled:
        # The account was closed or its credentials reset since the password step.
        session.pop("pending_sign_in", None)
        return redirect(url_for("auth.sign_in"))
    if isinstance(result, Attempt):
        return _refused(template, result, wrong=_("That code is not right. Try the newest one."), **context)
    pending = session.pop("pending_sign_in", {})
    session.clear()
    session.permanent = True
    login_user(result)
    session["signed_in"] = session["seen"] = time.time()
    return redirect(pending.get("next") or url_for("home"))


def _refused(
    template: str, attempt: Attempt, wrong: str | None = None, **context: object
) -> ResponseReturnValue:
    if attempt.throttled:
        message = _(
            "Too many failed attempts. Try again in %(seconds)d seconds.", seconds=attempt.wait_seconds
        )
        page = render_template(template, error=message, **context)
        return page, 429, {"Retry-After": str(attempt.wait_seconds)}
    message = wrong or _("Wrong email or password.")
    return render_template(template, error=message, **context), 401


def _pending_user() -> int | None:
    pending = session.get("pending_sign_in")
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        session.pop("pending_sign_in", None)
        return None
    return int(pending["user"])


def _end_idle_session() -> None:
    """Ends a session idle too long, or signed in longer ago than the session lifetime: the
    cookie's own expiry slides with every request, so it cannot hold the absolute limit."""
    if request.blueprint in ("channels", "api", "health") or not current_user.is_authenticated:
        return
    now = time.time()
    idle_limit = current_app.config["SAUTI_IDLE_MINUTES"] * 60
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if now - session.get("seen", 0) > idle_limit or now - session.get("signed_in", 0) > lifetime:
        logout_user()
        session.clear()
        return
    session["seen"] = now


def _safe_next() -> str | None:
    target = request.values.get("next") or ""
    parts = urlsplit(target)
    return target if target.startswith("/") and not parts.netloc and not target.startswith("//") else None


def _address() -> str:
    return request.remote_addr or "unknown"
