"""listing outbox: what is offered and the sender's bookkeeping

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import audit.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("market", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("product_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("grade", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column("min_price", sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("quantity", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("warranty_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_attempt_at", audit.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("task_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("remote_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sent_at", audit.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", audit.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("listings", schema=None) as batch_op:
        for column in (
            "acknowledged_at",
            "sent_at",
            "remote_id",
            "task_id",
            "last_error",
            "next_attempt_at",
            "attempts",
            "warranty_months",
            "quantity",
            "currency",
            "min_price",
            "price",
            "grade",
            "product_id",
            "title",
            "market",
        ):
            batch_op.drop_column(column)
