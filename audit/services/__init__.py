"""Use cases. Each one checks the actor's role, validates its input, writes in one transaction and appends an
audit event. The CLI and the GUI call these same functions; nothing else writes to the records.
"""

from audit.services._common import BOOTSTRAP_ACTOR
from audit.services.agent_bundles import (
    ImportResult,
    StationKeyView,
    import_agent_bundle,
    list_station_keys,
    record_agent_erasures,
    register_station_key,
)
from audit.services.devices import find_device, quarantine, register_device, release, set_colour
from audit.services.erasure import issue_certificate, record_erasure
from audit.services.grading import grade_device
from audit.services.inspections import (
    InspectionOutcome,
    finish_inspection,
    interrupt_inspection,
    record_reading,
    start_inspection,
)
from audit.services.listings import hand_off, listing_sku
from audit.services.lock_checks import record_lock_check
from audit.services.lots import DeclaredLine, receive_lot
from audit.services.photos import PhotoInfo, attach_photo, list_photos, photo_views
from audit.services.review import approve, reject, verify_chain
from audit.services.users import UserView, add_user, list_users

__all__ = [
    "BOOTSTRAP_ACTOR",
    "DeclaredLine",
    "ImportResult",
    "InspectionOutcome",
    "PhotoInfo",
    "StationKeyView",
    "UserView",
    "add_user",
    "approve",
    "attach_photo",
    "find_device",
    "finish_inspection",
    "grade_device",
    "hand_off",
    "import_agent_bundle",
    "interrupt_inspection",
    "issue_certificate",
    "list_photos",
    "list_station_keys",
    "list_users",
    "listing_sku",
    "photo_views",
    "quarantine",
    "receive_lot",
    "record_agent_erasures",
    "record_erasure",
    "record_lock_check",
    "record_reading",
    "register_device",
    "register_station_key",
    "reject",
    "release",
    "set_colour",
    "start_inspection",
    "verify_chain",
]
