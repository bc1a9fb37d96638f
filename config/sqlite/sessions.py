"""Sessions of the embedded set-up, in files under ``PORTAL_VAR_DIR/sessions``: every request
renews the session (the idle timeout), and on SQLite that write would wait for a running
import's transaction; in files it does not touch the database at all."""
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends import file


class SessionStore(file.SessionStore):
    @classmethod
    def _get_storage_path(cls):
        Path(settings.SESSION_FILE_PATH).mkdir(mode=0o700, parents=True, exist_ok=True)
        return super()._get_storage_path()
