"""Entry point for gunicorn (`gunicorn wsgi:app`) and the CLI (`flask --app wsgi ...`)."""

import sys

from dotenv import load_dotenv

from app import create_app
from storage.settings import ConfigurationError

# gunicorn's code for a worker that cannot boot: its master stops instead of starting another
# worker every second for ever, and the service manager sees the service fail.
WORKER_BOOT_ERROR = 3

load_dotenv()
try:
    app = create_app()
except ConfigurationError as error:
    print(error, file=sys.stderr)
    raise SystemExit(WORKER_BOOT_ERROR) from None
