"""What accounts tells the rest of the site about an organisation's data rights being used.

The marketplace records both in its audit log (marketplace/audit_receivers.py); accounts does
not import the marketplace.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by data_rights.organization_export once the archive is built.
# Arguments: organization, actor (the user who asked for it), filename.
organization_exported = Signal()

# Sent by data_rights.account_delete inside its transaction, before anything is deleted.
# Arguments: user, organization (or None), organization_deleted (whether it goes too).
account_deleted = Signal()
