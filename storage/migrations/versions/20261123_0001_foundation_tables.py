"""foundation tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 18:12:00.161468
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_unit_id'), ['unit_id'], unique=False)

    op.create_table('code_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('code_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_attempt_telegram_user_id'), ['telegram_user_id'], unique=False)

    op.create_table('fsm_record',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('data', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comuna', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('contact_address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('contact_hours', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_unit_id'), ['unit_id'], unique=False)

    op.create_table('family',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('family_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('sector', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('trajectory', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('afi_id', sa.Integer(), nullable=True),
    sa.Column('gestor_socio_id', sa.Integer(), nullable=True),
    sa.Column('gestor_familiar_id', sa.Integer(), nullable=True),
    sa.Column('intake_date', sa.Date(), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['afi_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['gestor_familiar_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['gestor_socio_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'code', name='uq_family_unit_code')
    )
    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_afi_id'), ['afi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_gestor_familiar_id'), ['gestor_familiar_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_gestor_socio_id'), ['gestor_socio_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_unit_id'), ['unit_id'], unique=False)

    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('given_names', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('surnames', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('run', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('is_representative', sa.Boolean(), nullable=False),
    sa.Column('is_bono_collector', sa.Boolean(), nullable=False),
    sa.Column('is_asl_participant', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_run'), ['run'], unique=True)

    op.create_table('chat_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('consent_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('nudges_opt_out', sa.Boolean(), nullable=False),
    sa.Column('blocked_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('chat_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_account_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_account_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_account_telegram_user_id'), ['telegram_user_id'], unique=True)

    op.create_table('invite_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('used_by_account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['used_by_account_id'], ['chat_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invite_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invite_code_code_hash'), ['code_hash'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('invite_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_code_code_hash'))

    op.drop_table('invite_code')
    with op.batch_alter_table('chat_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_account_telegram_user_id'))
        batch_op.drop_index(batch_op.f('ix_chat_account_staff_id'))
        batch_op.drop_index(batch_op.f('ix_chat_account_member_id'))

    op.drop_table('chat_account')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_run'))
        batch_op.drop_index(batch_op.f('ix_member_family_id'))

    op.drop_table('member')
    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_unit_id'))
        batch_op.drop_index(batch_op.f('ix_family_gestor_socio_id'))
        batch_op.drop_index(batch_op.f('ix_family_gestor_familiar_id'))
        batch_op.drop_index(batch_op.f('ix_family_afi_id'))

    op.drop_table('family')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_unit_id'))

    op.drop_table('staff')
    op.drop_table('unit')
    op.drop_table('fsm_record')
    with op.batch_alter_table('code_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_attempt_telegram_user_id'))

    op.drop_table('code_attempt')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_unit_id'))

    op.drop_table('audit_event')
