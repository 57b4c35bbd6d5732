"""revocation and code ceiling: chat_account.revoked_at, code_attempt.unit_id and its time index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:45:00
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('chat_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', storage.types.UtcDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('code_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_code_attempt_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_code_attempt_at'), ['at'], unique=False)

    # A code redeemed in a group (possible before issue 10) made the group the account's chat: scheduled
    # messages go to the person's own private chat instead, whose id is their user id.
    op.execute(sa.text("UPDATE chat_account SET chat_id = telegram_user_id WHERE chat_id <> telegram_user_id"))
    op.execute(sa.text("UPDATE outbox SET status = 'cancelled', last_error = 'not_private' "
                       "WHERE status = 'pending' AND chat_id <= 0"))


def downgrade() -> None:
    with op.batch_alter_table('code_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_code_attempt_unit_id'))
        batch_op.drop_column('unit_id')

    with op.batch_alter_table('chat_account', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
