#!/usr/bin/env python
import os
import sys

# Commands that only read the models and migrations: they neither serve nor sign anything, so
# they run without a SECRET_KEY (a fresh checkout, a CI step that checks for missing migrations).
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("SECRET_KEY", "unused-by-migration-commands-" + "x" * 32)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
