"""Confirm and take back letters and cover-ending steps (issue 12): withdrawn referrals,
compliance cases and reprimands, the last compliance step and its author, the state a
rejected enrolment request came from, when a reprimand was withdrawn.

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-05 21:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0010'
branch_labels = None
depends_on = None


COMPLIANCE_OLD = "'warning_1', 'warning_2', 'fined', 'services_withheld', 'cleared'"
COMPLIANCE_NEW = COMPLIANCE_OLD + ", 'withdrawn'"
REFERRAL_OLD = "'open', 'contacted', 'registered', 'declined'"
REFERRAL_NEW = REFERRAL_OLD + ", 'withdrawn'"
REPRIMAND_OLD = "'draft', 'issued', 'acknowledged', 'responded', 'closed', 'escalated'"
REPRIMAND_NEW = REPRIMAND_OLD + ", 'withdrawn'"
OPEN_CASE_OLD = "state <> 'cleared'"
OPEN_CASE_NEW = "state NOT IN ('cleared', 'withdrawn')"


def _open_case_index(batch_op, where: str) -> None:
    batch_op.create_index(
        'uq_compliance_cases_open_business',
        ['business_id'],
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade():
    with op.batch_alter_table('compliance_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_step', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('last_step_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_step_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_compliance_cases_last_step_by_id_users'), 'users', ['last_step_by_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_compliance_cases_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_compliance_cases_state_known'), f"state IN ({COMPLIANCE_NEW})")
        batch_op.drop_index('uq_compliance_cases_open_business')
        _open_case_index(batch_op, OPEN_CASE_NEW)

    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_referrals_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_referrals_state_known'), f"state IN ({REFERRAL_NEW})")

    with op.batch_alter_table('reprimands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_reprimands_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_reprimands_state_known'), f"state IN ({REPRIMAND_NEW})")

    with op.batch_alter_table('enrolment_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_before_decision', sa.String(length=10), nullable=True))


def downgrade():
    # A withdrawn record has no state before this revision: it reads as closed for good.
    op.execute("UPDATE compliance_cases SET state = 'cleared' WHERE state = 'withdrawn'")
    op.execute("UPDATE referrals SET state = 'declined' WHERE state = 'withdrawn'")
    op.execute("UPDATE reprimands SET state = 'closed' WHERE state = 'withdrawn'")
    with op.batch_alter_table('enrolment_requests', schema=None) as batch_op:
        batch_op.drop_column('state_before_decision')

    with op.batch_alter_table('reprimands', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reprimands_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_reprimands_state_known'), f"state IN ({REPRIMAND_OLD})")
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_referrals_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_referrals_state_known'), f"state IN ({REFERRAL_OLD})")

    with op.batch_alter_table('compliance_cases', schema=None) as batch_op:
        batch_op.drop_index('uq_compliance_cases_open_business')
        _open_case_index(batch_op, OPEN_CASE_OLD)
        batch_op.drop_constraint(op.f('ck_compliance_cases_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_compliance_cases_state_known'), f"state IN ({COMPLIANCE_OLD})")
        batch_op.drop_constraint(batch_op.f('fk_compliance_cases_last_step_by_id_users'), type_='foreignkey')
        batch_op.drop_column('last_step_by_id')
        batch_op.drop_column('last_step_at')
        batch_op.drop_column('last_step')
