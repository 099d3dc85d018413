"""continuing after a funded batch keeps its terms; consent photos can be purged; an index
for "has this person a running membership"

batch_continuations gets the terms the member chose (declared income, JHT) so BPJS can start
the self-paid membership from them when it enters the KPJ its system issued.
enrolment_requests gets consent_photo_purged_at and consent_photo_sha256: `flask
purge-uploads` removes an agent's consent photo once the request is decided and the retention
period has passed, and keeps the photo's digest.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:45:00

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('batch_continuations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monthly_amount', sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column('with_jht', sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table('enrolment_requests', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('consent_photo_purged_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('consent_photo_sha256', sa.String(length=64), nullable=True))

    # The digest of photos stored before digests were taken at upload.
    requests = sa.table(
        'enrolment_requests',
        sa.column('id', sa.Integer()),
        sa.column('consent_photo', sa.LargeBinary()),
        sa.column('consent_photo_sha256', sa.String()),
    )
    conn = op.get_bind()
    for request_id, photo in conn.execute(
        sa.select(requests.c.id, requests.c.consent_photo).where(
            requests.c.consent_photo.is_not(None)
        )
    ).all():
        conn.execute(
            requests.update()
            .where(requests.c.id == request_id)
            .values(consent_photo_sha256=hashlib.sha256(photo).hexdigest())
        )

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_worker_state', ['worker_id', 'state'], unique=False)


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_worker_state')

    with op.batch_alter_table('enrolment_requests', schema=None) as batch_op:
        batch_op.drop_column('consent_photo_sha256')
        batch_op.drop_column('consent_photo_purged_at')

    with op.batch_alter_table('batch_continuations', schema=None) as batch_op:
        batch_op.drop_column('with_jht')
        batch_op.drop_column('monthly_amount')
