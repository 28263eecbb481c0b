"""Analytics results: targets, seasonally adjusted series, forecasts, signal lights, composite zones,
alerts with their state, nowcasts, index values, and the refresh task log (model_runs).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 07:09:34.601291
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('adjusted_series',
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('observed', sa.Float(), nullable=True),
    sa.Column('seasonally_adjusted', sa.Float(), nullable=True),
    sa.Column('trend', sa.Float(), nullable=True),
    sa.Column('seasonal', sa.Float(), nullable=True),
    sa.Column('irregular', sa.Float(), nullable=True),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('indicator', 'region', 'period', name=op.f('pk_adjusted_series')),
    sqlite_with_rowid=False
    )
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=True),
    sa.Column('message_zh', sa.Text(), nullable=False),
    sa.Column('message_en', sa.Text(), nullable=False),
    sa.Column('drivers', sa.JSON(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('kind', 'indicator', 'region', 'period', name='uq_alerts_subject')
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_state', ['state'], unique=False)

    op.create_table('composite_signals',
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('zone', sa.Integer(), nullable=False),
    sa.Column('n_indicators', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('region', 'period', name=op.f('pk_composite_signals')),
    sqlite_with_rowid=False
    )
    op.create_table('forecasts',
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('mean', sa.Float(), nullable=False),
    sa.Column('lower_80', sa.Float(), nullable=True),
    sa.Column('upper_80', sa.Float(), nullable=True),
    sa.Column('lower_95', sa.Float(), nullable=True),
    sa.Column('upper_95', sa.Float(), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.PrimaryKeyConstraint('indicator', 'region', 'period', name=op.f('pk_forecasts')),
    sqlite_with_rowid=False
    )
    op.create_table('index_values',
    sa.Column('index_name', sa.String(length=32), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('contributions', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('index_name', 'region', 'period', name=op.f('pk_index_values')),
    sqlite_with_rowid=False
    )
    op.create_table('model_runs',
    sa.Column('task', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('task', name=op.f('pk_model_runs'))
    )
    op.create_table('nowcasts',
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('as_of', sa.String(length=10), nullable=False),
    sa.Column('model', sa.String(length=16), nullable=False),
    sa.Column('point', sa.Float(), nullable=False),
    sa.Column('lower', sa.Float(), nullable=True),
    sa.Column('upper', sa.Float(), nullable=True),
    sa.Column('level', sa.Float(), nullable=True),
    sa.Column('news', sa.JSON(), nullable=True),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('region', 'target', 'period', 'as_of', 'model', name=op.f('pk_nowcasts'))
    )
    op.create_table('signals',
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('zone', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('indicator', 'region', 'period', name=op.f('pk_signals')),
    sqlite_with_rowid=False
    )
    op.create_table('targets',
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('basis', sa.String(length=8), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('aggregation', sa.String(length=4), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('origin', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('indicator', 'region', 'year', name=op.f('pk_targets'))
    )

    op.create_table('target_progress',
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('basis', sa.String(length=8), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('actual', sa.Float(), nullable=True),
    sa.Column('progress', sa.Float(), nullable=True),
    sa.Column('required', sa.Float(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('indicator', 'region', 'year', name=op.f('pk_target_progress'))
    )


def downgrade() -> None:
    op.drop_table('target_progress')
    op.drop_table('targets')
    op.drop_table('signals')
    op.drop_table('nowcasts')
    op.drop_table('model_runs')
    op.drop_table('index_values')
    op.drop_table('forecasts')
    op.drop_table('composite_signals')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_state')

    op.drop_table('alerts')
    op.drop_table('adjusted_series')
