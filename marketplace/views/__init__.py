"""Server-rendered pages, split by sub-domain. Views validate with a form, call a service or a
QuerySet method, and render; what a user may see comes only from ``visible_to``/``editable_by``."""
