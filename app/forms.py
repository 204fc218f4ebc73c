"""The input policy of the staff pages and the API, in one place: every form declares its
fields' lengths (from their columns) and choices once, and every request's path values,
query values, form values and JSON strings keep `storage.inputs`'s rules. What breaks them is
a 400 naming the field, before a view runs or anything is stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.form import Form
from wtforms.validators import ValidationError

from app.refusals import refuse
from storage.casework.actions import MAX_REPLY_CHARS
from storage.inputs import FORM_BODY, InputError, check_percent_escapes, checked_text, column_chars
from storage.models import ROLES, Panel, ReplyTemplate, Report, User
from storage.wording import N_, Wording, Words, word

LANGUAGES = ("en", "sw")
PASSWORD_CHARS = 256
CODE_CHARS = 16
RULES_CHARS = 64 * 1024
LINK_CHARS = 512
# Query and path values the views read; any other is held to the general limit.
QUERY_CHARS = {"ward": column_chars(Report.ward), "panel": column_chars(Panel.key)}
PATH_CHARS = {"ref": column_chars(Report.ref), "key": column_chars(Panel.key)}
OTHER_VALUE_CHARS = 512
# The fields a form sends once for each thing chosen: the cases ticked in the queue, the panels
# ticked for a person.
MANY_VALUES = ("refs", "panels")
QUERY_NAME = word("phrase", N_("a query parameter name"))
FORM_FIELD_NAME = word("phrase", N_("a form field name"))


class Text:
    """A WTForms validator applying the input policy to a field, or to each of its values."""

    def __init__(self, max_chars: int, *, multiline: bool = False) -> None:
        self.max_chars, self.multiline = max_chars, multiline

    def __call__(self, form: Form, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data or ""]
        for value in values:
            try:
                checked_text(value, field.name, self.max_chars, multiline=self.multiline)
            except InputError as error:
                # The error itself, not its text: `valid` shows it in the reader's language.
                raise ValidationError(error) from error


class Choice(SelectField):  # type: ignore[misc]
    """One of a fixed list of values; another is refused naming the field and the values it may
    have, as every unknown choice is."""

    def pre_validate(self, form: Form) -> None:
        if self.data not in self.choices:
            raise ValidationError(
                InputError(
                    N_("%(field)s must be one of %(choices)s"),
                    field=word("field", self.name),
                    choices=Words("key", tuple(self.choices)),
                )
            )


class InputForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        # CSRFProtect has checked the token of every form before the view runs.
        csrf = False


class SignInForm(InputForm):
    email = StringField(default="", validators=[Text(column_chars(User.email))])
    password = PasswordField(default="", validators=[Text(PASSWORD_CHARS)])
    next = StringField(default="", validators=[Text(LINK_CHARS)])


class CodeForm(InputForm):
    code = StringField(default="", validators=[Text(CODE_CHARS)])


class NewPasswordForm(InputForm):
    password = PasswordField(default="", validators=[Text(PASSWORD_CHARS)])
    confirm = PasswordField(default="", validators=[Text(PASSWORD_CHARS)])


class LanguageForm(InputForm):
    language = Choice(choices=LANGUAGES)
    next = StringField(default="", validators=[Text(LINK_CHARS)])


class InviteForm(InputForm):
    email = StringField(default="", validators=[Text(column_chars(User.email))])
    role = Choice(choices=ROLES)
    # Checked against the panels there are by `app.admin.staff.invite`.
    panels = SelectMultipleField(validate_choice=False, validators=[Text(column_chars(Panel.key))])
    method = Choice(choices=("link", "password"), default="link")
    language = Choice(choices=LANGUAGES, default="en")


class PanelForm(InputForm):
    key = StringField(default="", validators=[Text(column_chars(Panel.key))])
    name = StringField(default="", validators=[Text(column_chars(Panel.name))])
    name_sw = StringField(default="", validators=[Text(column_chars(Panel.name_sw))])


class MembershipForm(InputForm):
    email = StringField(default="", validators=[Text(column_chars(User.email))])
    change = Choice(choices=("add", "remove"), default="add")


class ReplyTemplateForm(InputForm):
    id = StringField(default="", validators=[Text(12)])
    panel = StringField(default="", validators=[Text(column_chars(Panel.key))])
    title = StringField(default="", validators=[Text(column_chars(ReplyTemplate.title))])
    text_en = StringField(default="", validators=[Text(MAX_REPLY_CHARS, multiline=True)])
    text_sw = StringField(default="", validators=[Text(MAX_REPLY_CHARS, multiline=True)])


class RulesForm(InputForm):
    text = StringField(default="", validators=[Text(RULES_CHARS, multiline=True)])


FormT = TypeVar("FormT", bound=InputForm)


def valid(form: FormT) -> FormT:
    """The form, if every field keeps its rules; otherwise a 400 naming the first that does not."""
    if form.validate():
        return form
    name, messages = next(iter(form.errors.items()))
    problem = messages[0]
    if isinstance(problem, InputError):
        refuse(problem)
    # One of WTForms' own messages: no field here should give one.
    refuse(Wording(N_("%(field)s: %(problem)s"), {"field": word("field", name), "problem": str(problem)}))


def check_request_values() -> None:
    """Before any view: path, query and form values and JSON strings keep the input policy."""
    try:
        check_percent_escapes(request.query_string, QUERY_NAME)
        if request.mimetype == FORM_BODY:
            # Read before the form is parsed: parsing keeps the raw body for it.
            check_percent_escapes(request.get_data(cache=True, parse_form_data=False), FORM_FIELD_NAME)
        for name, value in (request.view_args or {}).items():
            if isinstance(value, str):
                checked_text(value, name, PATH_CHARS.get(name, OTHER_VALUE_CHARS))
        _check_one_value_each(request.args)
        _check_one_value_each(request.form)
        for name, value in request.args.items(multi=True):
            checked_text(name, QUERY_NAME, OTHER_VALUE_CHARS)
            checked_text(value, name, QUERY_CHARS.get(name, OTHER_VALUE_CHARS))
        for name, value in request.form.items(multi=True):
            checked_text(name, FORM_FIELD_NAME, OTHER_VALUE_CHARS)
            checked_text(value, name, RULES_CHARS, multiline=True)
        if request.is_json:
            for name, value in _json_body_strings():
                checked_text(value, name, RULES_CHARS, multiline=True)
    except InputError as error:
        refuse(error)


def _check_one_value_each(values: MultiDict[str, str]) -> None:
    """A field given twice is a tampered or broken form or link: which value was meant cannot be
    told, so it is refused rather than the first taken."""
    for name, given in values.lists():
        if len(given) > 1 and name not in MANY_VALUES:
            raise InputError(N_("%(field)s is given more than once"), field=word("field", name))


def _json_body_strings() -> list[tuple[str, str]]:
    """The strings of the JSON body. Reading a document nested deeper than Python's recursion
    limit raises RecursionError, which `get_json(silent=True)` does not catch."""
    try:
        return list(_json_strings(request.get_json(silent=True), "body"))
    except RecursionError:
        raise InputError(N_("the JSON body is nested too deeply")) from None


def _json_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string of a JSON document, keys included, with where it was found."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, key
            yield from _json_strings(item, str(key)[:40])
