"""Password validators whose messages Django's own Chinese catalogue misses.

Django 5.2 reworded the minimum-length message (``%d`` in place of ``%(min_length)d``) and its
zh_Hans catalogue still has only the old wording, so the stock validator answers in English.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return gettext("密码长度太短。密码必须包含至少 %(min_length)d 个字符。") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return gettext("密码必须包含至少 %(min_length)d 个字符。") % {"min_length": self.min_length}
