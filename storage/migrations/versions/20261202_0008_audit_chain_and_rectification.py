"""audit hash chain and its head row, the CLI's operating-system user, member corrections and correction requests

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:45:00

The events already stored are chained here in id order (the only time audit rows are written to after
insertion), so `audit-verify` covers the whole trail from the first event.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types
from program.audit_chain import GENESIS, HASHED_FIELDS, link_hash


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _chain_existing_events() -> tuple[str, int]:
    connection = op.get_bind()
    audit = sa.table('audit_event', sa.column('id'), sa.column('prev_hash'), sa.column('hash'),
                     *(sa.column(name, storage.types.UtcDateTime() if name == 'at' else None)
                       for name in HASHED_FIELDS))
    prev = GENESIS
    rows = connection.execute(sa.select(audit).order_by(audit.c.id)).mappings().all()
    for row in rows:
        digest = link_hash(prev, row)
        connection.execute(audit.update().where(audit.c.id == row['id']).values(prev_hash=prev, hash=digest))
        prev = digest
    return prev, len(rows)


def upgrade() -> None:
    op.create_table('correction_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('voice_duration', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('done_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['done_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_correction_request_family_id'), 'correction_request', ['family_id'], unique=False)
    op.create_index(op.f('ix_correction_request_member_id'), 'correction_request', ['member_id'], unique=False)
    op.create_table('member_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('old_value', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('new_value', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['correction_request.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_member_change_family_id'), 'member_change', ['family_id'], unique=False)
    op.create_index(op.f('ix_member_change_member_id'), 'member_change', ['member_id'], unique=False)
    with op.batch_alter_table('audit_event') as batch:
        batch.add_column(sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    head, count = _chain_existing_events()
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(sa.table('audit_chain_head', sa.column('id'), sa.column('hash'), sa.column('count')),
                   [{'id': 1, 'hash': head, 'count': count}])
    with op.batch_alter_table('audit_event') as batch:
        batch.alter_column('prev_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch.alter_column('hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)


def downgrade() -> None:
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_column('hash')
        batch.drop_column('prev_hash')
        batch.drop_column('actor_name')
    op.drop_index(op.f('ix_member_change_member_id'), table_name='member_change')
    op.drop_index(op.f('ix_member_change_family_id'), table_name='member_change')
    op.drop_table('member_change')
    op.drop_index(op.f('ix_correction_request_member_id'), table_name='correction_request')
    op.drop_index(op.f('ix_correction_request_family_id'), table_name='correction_request')
    op.drop_table('correction_request')
