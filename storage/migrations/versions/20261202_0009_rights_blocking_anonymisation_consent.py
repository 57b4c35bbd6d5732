"""rights: blocking, anonymisation, consent events

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:33:38.293826
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('family_block_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('family_block_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_block_event_family_id'), ['family_id'], unique=False)

    op.create_table('consent_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('notice_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['chat_account.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consent_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_event_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_event_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('chat_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))

    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_at', storage.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('blocked_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('blocked_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', storage.types.UtcDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', storage.types.UtcDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')

    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('blocked_by')
        batch_op.drop_column('blocked_reason')
        batch_op.drop_column('blocked_at')

    with op.batch_alter_table('chat_account', schema=None) as batch_op:
        batch_op.drop_column('consent_version')

    with op.batch_alter_table('consent_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_event_member_id'))
        batch_op.drop_index(batch_op.f('ix_consent_event_account_id'))

    op.drop_table('consent_event')
    with op.batch_alter_table('family_block_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_block_event_family_id'))

    op.drop_table('family_block_event')
