"""cuaderno entries, bono problem reasons, commitments said by voice

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:24:18.393884
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cuaderno_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('file_unique_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('duration', sa.Integer(), nullable=True),
    sa.Column('resource_level', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('resource_kind', sqlmodel.sql.sqltypes.AutoString(length=15), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cuaderno_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cuaderno_entry_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cuaderno_entry_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_cuaderno_family_dimension_created', ['family_id', 'dimension', 'created_at'], unique=False)

    with op.batch_alter_table('bono_followup', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))

    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic_voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=True))
        batch_op.add_column(sa.Column('topic_voice_duration', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('action_voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=True))
        batch_op.add_column(sa.Column('action_voice_duration', sa.Integer(), nullable=True))

    with op.batch_alter_table('commitment_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voice_duration', sa.Integer(), nullable=True))

    with op.batch_alter_table('bono_followup_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('commitment_event', schema=None) as batch_op:
        batch_op.drop_column('voice_duration')

    with op.batch_alter_table('commitment', schema=None) as batch_op:
        for column in ('action_voice_duration', 'action_voice_file_id', 'topic_voice_duration', 'topic_voice_file_id'):
            batch_op.drop_column(column)

    with op.batch_alter_table('bono_followup_event', schema=None) as batch_op:
        batch_op.drop_column('voice_file_id')
        batch_op.drop_column('reason')

    with op.batch_alter_table('bono_followup', schema=None) as batch_op:
        batch_op.drop_column('reason')

    with op.batch_alter_table('cuaderno_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_cuaderno_family_dimension_created')
        batch_op.drop_index(batch_op.f('ix_cuaderno_entry_member_id'))
        batch_op.drop_index(batch_op.f('ix_cuaderno_entry_family_id'))

    op.drop_table('cuaderno_entry')
