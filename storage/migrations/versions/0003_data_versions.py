"""Per-indicator data versions for cache invalidation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_versions',
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('version', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_data_versions'))
    )


def downgrade() -> None:
    op.drop_table('data_versions')
