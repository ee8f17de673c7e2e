"""photos: device photos (intake / RMA views and defects), stored by content hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import audit.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("view", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", audit.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_photos_device_id_devices")),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], name=op.f("fk_photos_inspection_id_inspections")
        ),
        sa.ForeignKeyConstraint(["taken_by_id"], ["users.id"], name=op.f("fk_photos_taken_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photos_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_inspection_id"), ["inspection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_sha256"))
        batch_op.drop_index(batch_op.f("ix_photos_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_photos_device_id"))
    op.drop_table("photos")
