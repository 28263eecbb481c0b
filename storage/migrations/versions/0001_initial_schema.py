"""Initial schema: regions, indicators, series, vintaged observations, batches, rejected rows,
external-series mappings, audit log.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 04:15:06.209075
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target', sa.String(length=255), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('source_unit', sa.String(length=64), nullable=True),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('vintage', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_loaded', sa.Integer(), nullable=False),
    sa.Column('rows_unchanged', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_sha256'), ['sha256'], unique=False)

    op.create_table('indicators',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_zh', sa.String(length=128), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('domain', sa.String(length=32), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('frequency', sa.String(length=1), nullable=False),
    sa.Column('publication', sa.String(length=12), nullable=False),
    sa.Column('measure', sa.String(length=8), nullable=False),
    sa.Column('source_unit', sa.String(length=64), nullable=False),
    sa.Column('release_lag_days', sa.Integer(), nullable=False),
    sa.Column('decimals', sa.Integer(), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_domain'), ['domain'], unique=False)

    op.create_table('regions',
    sa.Column('adcode', sa.String(length=6), nullable=False),
    sa.Column('name_zh', sa.String(length=64), nullable=False),
    sa.Column('short_zh', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=96), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent', sa.String(length=6), nullable=True),
    sa.Column('peer', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('adcode', name=op.f('pk_regions'))
    )
    op.create_table('store_meta',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_store_meta'))
    )
    op.create_table('rejected_rows',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=True),
    sa.Column('column_name', sa.String(length=64), nullable=True),
    sa.Column('found', sa.Text(), nullable=True),
    sa.Column('message_zh', sa.Text(), nullable=False),
    sa.Column('message_en', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_rejected_rows_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_rows'))
    )
    with op.batch_alter_table('rejected_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejected_rows_batch_id'), ['batch_id'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['indicator'], ['indicators.code'], name=op.f('fk_series_indicator_indicators')),
    sa.ForeignKeyConstraint(['region'], ['regions.adcode'], name=op.f('fk_series_region_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
    sa.UniqueConstraint('indicator', 'region', name='uq_series_indicator_region')
    )
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.create_index('ix_series_region', ['region'], unique=False)

    op.create_table('series_mappings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('external_id', sa.String(length=32), nullable=True),
    sa.Column('external_name', sa.String(length=255), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('scale', sa.Float(), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['indicator'], ['indicators.code'], name=op.f('fk_series_mappings_indicator_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_mappings')),
    sa.UniqueConstraint('source', 'external_name', 'external_id', name='uq_series_mappings_key')
    )
    op.create_table('observations',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('realtime_start', sa.DateTime(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.PrimaryKeyConstraint('series_id', 'period', 'realtime_start', name=op.f('pk_observations')),
    sqlite_with_rowid=False
    )


def downgrade() -> None:
    op.drop_table('observations')
    op.drop_table('series_mappings')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_index('ix_series_region')

    op.drop_table('series')
    with op.batch_alter_table('rejected_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejected_rows_batch_id'))

    op.drop_table('rejected_rows')
    op.drop_table('store_meta')
    op.drop_table('regions')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_domain'))

    op.drop_table('indicators')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_sha256'))

    op.drop_table('import_batches')
    op.drop_table('audit_log')
