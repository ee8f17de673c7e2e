"""An index for listing devices by latest activity (the auditor desk's order and keyset paging).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_devices_updated_at", "devices", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_devices_updated_at", table_name="devices")
