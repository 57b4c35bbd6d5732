"""session records, commitments, matriz states, indicators, visits, bono follow-up

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:04:15.922856
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'code', name='uq_indicator_unit_code')
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_unit_id'), ['unit_id'], unique=False)

    op.create_table('session_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('track', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('catalog_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('carta_aviso_left', sa.Boolean(), nullable=False),
    sa.Column('rescheduled_to', sa.Date(), nullable=True),
    sa.Column('participant_member_id', sa.Integer(), nullable=True),
    sa.Column('products_done', sa.JSON(), nullable=False),
    sa.Column('products_total', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('note_text', sa.Text(), nullable=True),
    sa.Column('note_voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('note_voice_duration', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['participant_member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_record_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_record_participant_member_id'), ['participant_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_record_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_record_unit_id'), ['unit_id'], unique=False)

    op.create_table('bono_followup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('family_id', 'month', name='uq_bono_followup_family_month')
    )
    with op.batch_alter_table('bono_followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bono_followup_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bono_followup_record_id'), ['record_id'], unique=False)

    op.create_table('commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('plan', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('resources', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('responsible', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('responsible_member_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('source_record_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['responsible_member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['source_record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_responsible_member_id'), ['responsible_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_source_record_id'), ['source_record_id'], unique=False)

    op.create_table('matriz_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('moment', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('family_id', 'indicator_code', 'moment', name='uq_matriz_state')
    )
    with op.batch_alter_table('matriz_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matriz_state_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matriz_state_record_id'), ['record_id'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('source_record_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['source_record_id'], ['session_record.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_source_record_id'), ['source_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_staff_id'), ['staff_id'], unique=False)

    op.create_table('bono_followup_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('followup_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['followup_id'], ['bono_followup.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bono_followup_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bono_followup_event_followup_id'), ['followup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bono_followup_event_record_id'), ['record_id'], unique=False)

    op.create_table('commitment_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('note_text', sa.Text(), nullable=True),
    sa.Column('voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('commitment_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_event_commitment_id'), ['commitment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('commitment_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_event_commitment_id'))

    op.drop_table('commitment_event')
    with op.batch_alter_table('bono_followup_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bono_followup_event_record_id'))
        batch_op.drop_index(batch_op.f('ix_bono_followup_event_followup_id'))

    op.drop_table('bono_followup_event')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_staff_id'))
        batch_op.drop_index(batch_op.f('ix_visit_source_record_id'))
        batch_op.drop_index(batch_op.f('ix_visit_family_id'))
        batch_op.drop_index(batch_op.f('ix_visit_at'))

    op.drop_table('visit')
    with op.batch_alter_table('matriz_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matriz_state_record_id'))
        batch_op.drop_index(batch_op.f('ix_matriz_state_family_id'))

    op.drop_table('matriz_state')
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_source_record_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_responsible_member_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_member_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_family_id'))

    op.drop_table('commitment')
    with op.batch_alter_table('bono_followup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bono_followup_record_id'))
        batch_op.drop_index(batch_op.f('ix_bono_followup_family_id'))

    op.drop_table('bono_followup')
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_record_unit_id'))
        batch_op.drop_index(batch_op.f('ix_session_record_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_session_record_participant_member_id'))
        batch_op.drop_index(batch_op.f('ix_session_record_family_id'))

    op.drop_table('session_record')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_unit_id'))

    op.drop_table('indicator')
