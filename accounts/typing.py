"""Request types for views that only signed-in users reach.

``login_required`` (and the decorators in ``marketplace.common.views`` built on it) guarantee a
signed-in user at run time, but the type checker cannot see through a decorator, so a view
behind one annotates its request with :class:`AuthenticatedHttpRequest`, the pattern the
django-stubs documentation recommends. Views that anonymous visitors can reach keep
``HttpRequest`` and narrow ``request.user`` themselves.
"""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
