"""Entry point for gunicorn (`gunicorn wsgi:app`) and the CLI (`flask --app wsgi ...`)."""

from dotenv import load_dotenv

from app import create_app

load_dotenv()
app = create_app()
