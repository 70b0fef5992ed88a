"""Test-only email backend for the notification worker tests: Django's file backend, able to fail.

The Celery worker that ``test_notifications_worker.py`` starts sends mail through this backend
(``tests/integration/notifications_worker_settings.py``). Each message is written, as Django's
file-based backend writes it, under ``EMAIL_FILE_PATH``, where the test reads it back. Markers in
the subject (or recipient) make a send fail the way an SMTP server would:

- ``[fail-once]`` in the subject: the first attempt for that message raises ``OSError`` (the
  retryable kind of SMTP trouble) and leaves a ``*.failed`` marker file; later attempts, in any
  process, find the marker and write the message;
- a recipient ``@refused.example``: every attempt raises ``SMTPRecipientsRefused``, a permanent
  error (a bad address);
- ``[slow]`` in the subject: the send takes ``SLOW_SECONDS``, so that two deliveries of the same
  notification overlap.
"""

from __future__ import annotations

import hashlib
import smtplib
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

FAIL_ONCE = "[fail-once]"
SLOW = "[slow]"
REFUSED_DOMAIN = "@refused.example"
SLOW_SECONDS = 3.0
MARKER_SUFFIX = ".failed"


def failure_marker(directory: Path, message: EmailMessage) -> Path:
    """The file that records that this message's first attempt failed."""
    identity = "\n".join([str(message.subject), *map(str, message.to)])
    return directory / f"{hashlib.sha256(identity.encode()).hexdigest()[:16]}{MARKER_SUFFIX}"


class EmailBackend(FileEmailBackend):
    file_path: str  # set by the file backend: EMAIL_FILE_PATH, made absolute

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            refused = [to for to in message.to if str(to).endswith(REFUSED_DOMAIN)]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {to: (550, b"5.1.1 mailbox unavailable") for to in refused}
                )
            subject = str(message.subject)
            if SLOW in subject:
                time.sleep(SLOW_SECONDS)
            if FAIL_ONCE in subject:
                try:
                    failure_marker(Path(self.file_path), message).touch(exist_ok=False)
                except FileExistsError:
                    pass  # failed once already: this attempt goes through
                else:
                    raise OSError("simulated SMTP outage (first attempt)")
        return super().send_messages(email_messages)
