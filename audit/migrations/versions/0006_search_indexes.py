"""Indexes for the auditor desk at a million devices: a state filter in page order, and a technician filter covered.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_devices_state_updated_at", "devices", ["state", "updated_at", "id"])
    op.create_index("ix_inspections_technician_device", "inspections", ["technician_id", "device_id"])


def downgrade() -> None:
    op.drop_index("ix_inspections_technician_device", table_name="inspections")
    op.drop_index("ix_devices_state_updated_at", table_name="devices")
