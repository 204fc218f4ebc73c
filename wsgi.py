"""Entry point for gunicorn (`gunicorn wsgi:app`) and the CLI (`flask --app wsgi ...`)."""

from dotenv import load_dotenv

from app import create_app
from storage.settings import ConfigurationError

load_dotenv()
try:
    app = create_app()
except ConfigurationError as error:
    raise SystemExit(str(error)) from None
