"""Informal workers' own door (issue 14): roles worker and field_agent, occupations, the
enrolment channel, agents' kelurahan and cash collections, a person's own account.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-05 03:22:26.113058

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None


OLD_ROLES = (
    "'business_owner', 'bpjs_officer', 'bpjs_head', 'trade_officer', 'trade_head', "
    "'labour_officer', 'labour_head', 'admin'"
)
NEW_ROLES = OLD_ROLES + ", 'worker', 'field_agent'"
CHANNELS = "'employer', 'self', 'field_agent', 'funded_batch'"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_known'), f"role IN ({NEW_ROLES})")
    op.create_table('occupations',
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name_id', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('asks_text', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_occupations'))
    )
    op.create_table('agent_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('kelurahan_code', sa.String(length=13), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_agent_areas_agent_id_users')),
    sa.ForeignKeyConstraint(['kelurahan_code'], ['regions.code'], name=op.f('fk_agent_areas_kelurahan_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_areas')),
    sa.UniqueConstraint('agent_id', 'kelurahan_code', name=op.f('uq_agent_areas_agent_id_kelurahan_code'))
    )
    with op.batch_alter_table('agent_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_areas_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agent_areas_kelurahan_code'), ['kelurahan_code'], unique=False)

    op.create_table('cash_collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('receipt_no', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('first_period', sa.String(length=7), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('collected_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('recorded', 'confirmed', 'refused')", name=op.f('ck_cash_collections_state_known')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_cash_collections_amount_positive')),
    sa.CheckConstraint('months > 0 AND months <= 12', name=op.f('ck_cash_collections_months_range')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_cash_collections_agent_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_cash_collections_decided_by_id_users')),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_cash_collections_membership_id_memberships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_collections')),
    sa.UniqueConstraint('receipt_no', name='uq_cash_collections_receipt')
    )
    with op.batch_alter_table('cash_collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cash_collections_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cash_collections_collected_on'), ['collected_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cash_collections_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cash_collections_state'), ['state'], unique=False)

    op.create_table('batch_continuations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.Column('new_membership_id', sa.Integer(), nullable=True),
    sa.Column('chosen_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("choice IN ('continue', 'stop')", name=op.f('ck_batch_continuations_choice_known')),
    sa.ForeignKeyConstraint(['chosen_by_id'], ['users.id'], name=op.f('fk_batch_continuations_chosen_by_id_users')),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_batch_continuations_membership_id_memberships')),
    sa.ForeignKeyConstraint(['new_membership_id'], ['memberships.id'], name=op.f('fk_batch_continuations_new_membership_id_memberships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_continuations')),
    sa.UniqueConstraint('membership_id', name=op.f('uq_batch_continuations_membership_id'))
    )

    op.create_table('member_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('dedupe_key', sa.String(length=100), nullable=False),
    sa.Column('channels', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_member_notices_membership_id_memberships')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_member_notices_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_notices')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_member_notices_dedupe_key'))
    )
    with op.batch_alter_table('member_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_notices_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_notices_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_notices_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_notices_worker_id'), ['worker_id'], unique=False)

    with op.batch_alter_table('enrolment_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=15), server_default='employer', nullable=False))
        batch_op.add_column(sa.Column('registered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consent_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('consent_photo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('consent_photo_type', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_enrolment_requests_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_requests_registered_by_id'), ['registered_by_id'], unique=False)
        batch_op.create_index('uq_enrolment_requests_open_own', ['worker_id'], unique=True, sqlite_where=sa.text("employment_id IS NULL AND state IN ('draft', 'submitted', 'in_review', 'returned')"), postgresql_where=sa.text("employment_id IS NULL AND state IN ('draft', 'submitted', 'in_review', 'returned')"))
        batch_op.create_foreign_key(batch_op.f('fk_enrolment_requests_registered_by_id_users'), 'users', ['registered_by_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_enrolment_requests_channel_known'), f"channel IN ({CHANNELS})")

    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_workers_account_id'), ['account_id'])
        batch_op.create_foreign_key(batch_op.f('fk_workers_account_id_users'), 'users', ['account_id'], ['id'])

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_workers_account_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_workers_account_id'), type_='unique')
        batch_op.drop_column('account_id')

    with op.batch_alter_table('enrolment_requests', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_enrolment_requests_channel_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_enrolment_requests_registered_by_id_users'), type_='foreignkey')
        batch_op.drop_index('uq_enrolment_requests_open_own', sqlite_where=sa.text("employment_id IS NULL AND state IN ('draft', 'submitted', 'in_review', 'returned')"), postgresql_where=sa.text("employment_id IS NULL AND state IN ('draft', 'submitted', 'in_review', 'returned')"))
        batch_op.drop_index(batch_op.f('ix_enrolment_requests_registered_by_id'))
        batch_op.drop_index(batch_op.f('ix_enrolment_requests_channel'))
        batch_op.drop_column('consent_photo_type')
        batch_op.drop_column('consent_photo')
        batch_op.drop_column('consent_name')
        batch_op.drop_column('registered_by_id')
        batch_op.drop_column('channel')

    with op.batch_alter_table('cash_collections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cash_collections_state'))
        batch_op.drop_index(batch_op.f('ix_cash_collections_membership_id'))
        batch_op.drop_index(batch_op.f('ix_cash_collections_collected_on'))
        batch_op.drop_index(batch_op.f('ix_cash_collections_agent_id'))

    with op.batch_alter_table('member_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_notices_created_at'))
        batch_op.drop_index(batch_op.f('ix_member_notices_kind'))
        batch_op.drop_index(batch_op.f('ix_member_notices_membership_id'))
        batch_op.drop_index(batch_op.f('ix_member_notices_worker_id'))

    op.drop_table('member_notices')
    op.drop_table('batch_continuations')
    op.drop_table('cash_collections')
    with op.batch_alter_table('agent_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_areas_kelurahan_code'))
        batch_op.drop_index(batch_op.f('ix_agent_areas_agent_id'))

    op.drop_table('agent_areas')
    op.drop_table('occupations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_known'), f"role IN ({OLD_ROLES})")
