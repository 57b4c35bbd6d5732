"""outbox and unit nudge settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:04:36.769052
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('template', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('essential', sa.Boolean(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('due_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('quiet_hours', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('lease_owner', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('lease_expires_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['chat_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_scope'), ['scope'], unique=False)
        batch_op.create_index('ix_outbox_status_due', ['status', 'due_at'], unique=False)

    with op.batch_alter_table('unit', schema=None) as batch_op:
        # NULL: the unit keeps the shipped schedule.
        batch_op.add_column(sa.Column('nudge_settings', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('nudge_settings')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_status_due')
        batch_op.drop_index(batch_op.f('ix_outbox_scope'))
        batch_op.drop_index(batch_op.f('ix_outbox_account_id'))

    op.drop_table('outbox')
