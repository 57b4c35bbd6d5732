"""group sessions catastro plan de redes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 19:38:19.640148
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catastro_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('contact_person', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('sector', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('phones', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('email_web', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('target_population', sa.Text(), nullable=True),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('dimensions', sa.JSON(), nullable=False),
    sa.Column('programs_services', sa.Text(), nullable=True),
    sa.Column('access_requirements', sa.Text(), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('catastro_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catastro_entry_unit_id'), ['unit_id'], unique=False)

    op.create_table('redes_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=True),
    sa.Column('resources', sa.Text(), nullable=True),
    sa.Column('on', sa.Date(), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('redes_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redes_activity_unit_id'), ['unit_id'], unique=False)

    op.create_table('group_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('track', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('starts_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('territory', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('products_done', sa.JSON(), nullable=False),
    sa.Column('products_total', sa.Integer(), nullable=False),
    sa.Column('agreements', sa.Text(), nullable=True),
    sa.Column('note_text', sa.Text(), nullable=True),
    sa.Column('note_voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('note_voice_duration', sa.Integer(), nullable=True),
    sa.Column('catalog_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_session_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_session_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_session_unit_id'), ['unit_id'], unique=False)

    op.create_table('group_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_session_id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('invited', sa.Boolean(), nullable=False),
    sa.Column('rsvp', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('rsvp_at', storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], ),
    sa.ForeignKeyConstraint(['group_session_id'], ['group_session.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_session_id', 'family_id', name='uq_group_invitation_family')
    )
    with op.batch_alter_table('group_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_invitation_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_invitation_group_session_id'), ['group_session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('group_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_invitation_group_session_id'))
        batch_op.drop_index(batch_op.f('ix_group_invitation_family_id'))

    op.drop_table('group_invitation')
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_session_unit_id'))
        batch_op.drop_index(batch_op.f('ix_group_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_group_session_created_by_id'))

    op.drop_table('group_session')
    with op.batch_alter_table('redes_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redes_activity_unit_id'))

    op.drop_table('redes_activity')
    with op.batch_alter_table('catastro_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catastro_entry_unit_id'))

    op.drop_table('catastro_entry')
