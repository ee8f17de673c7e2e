"""agent bundles: trusted station keys, imported laptop-agent bundles and the erasures they became

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import audit.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", audit.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_station_keys_registered_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_keys")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_station_keys_fingerprint")),
    )
    op.create_table(
        "agent_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.String(length=64), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=256), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("erasure_count", sa.Integer(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", audit.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_agent_bundles_device_id_devices")),
        sa.ForeignKeyConstraint(["imported_by_id"], ["users.id"], name=op.f("fk_agent_bundles_imported_by_id_users")),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], name=op.f("fk_agent_bundles_inspection_id_inspections")
        ),
        sa.ForeignKeyConstraint(
            ["key_fingerprint"],
            ["station_keys.fingerprint"],
            name=op.f("fk_agent_bundles_key_fingerprint_station_keys"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_bundles")),
        sa.UniqueConstraint("bundle_id", name=op.f("uq_agent_bundles_bundle_id")),
    )
    with op.batch_alter_table("agent_bundles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_bundles_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agent_bundles_inspection_id"), ["inspection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agent_bundles_key_fingerprint"), ["key_fingerprint"], unique=False)
    op.create_table(
        "agent_bundle_erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("erasure_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", audit.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"], ["agent_bundles.id"], name=op.f("fk_agent_bundle_erasures_bundle_id_agent_bundles")
        ),
        sa.ForeignKeyConstraint(
            ["erasure_id"], ["erasures.id"], name=op.f("fk_agent_bundle_erasures_erasure_id_erasures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_bundle_erasures")),
        sa.UniqueConstraint("bundle_id", "position", name=op.f("uq_agent_bundle_erasures_bundle_id")),
        sa.UniqueConstraint("erasure_id", name=op.f("uq_agent_bundle_erasures_erasure_id")),
    )


def downgrade() -> None:
    op.drop_table("agent_bundle_erasures")
    with op.batch_alter_table("agent_bundles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_bundles_key_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_agent_bundles_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_agent_bundles_device_id"))
    op.drop_table("agent_bundles")
    op.drop_table("station_keys")
