"""The law as it stands in 2026 (issue 12, rules 1, 2, 5, 8, 10).

- programme_requirements: required programmes per business scale, dated, with source
  (Perpres 109/2013 art. 6); rows are seeded by `flask seed-reference`.
- businesses.risk_class (+ BPJS review): the JKK risk class belongs to the business
  (PP 44/2015 annex I). Existing data: a business takes the highest class an owner chose
  for one of its employees *other than* the old silent default (sangat rendah); a business
  whose employees all carry the default gets none and its owner chooses it (no guess).
  Running PU memberships without a class take their employment's class first.
- employments.risk_class is dropped (no per-employee class any more).
- memberships.kpj_is_demo: made-up demo KPJs (the demo seeds' numbers) are marked.

Employer-paid memberships that were "lapsed" for the employer's arrears become active again
through `flask membership-sweep` (audited), not here.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RISK_CLASSES = ("sangat_rendah", "rendah", "sedang", "tinggi", "sangat_tinggi")
RISK_ORDER = (
    "CASE e.risk_class "
    + " ".join(f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(RISK_CLASSES))
    + " END"
)
# The demo seeds' made-up KPJs (portal/demo/bpjs.py, and `88` + 9 digits of seed-scale).
DEMO_KPJS = ("26000001001", "26000001002", "26000001003") + tuple(
    f"2600000200{i}" for i in range(1, 5)
)


def _risk_check() -> str:
    return "risk_class IN ({})".format(", ".join(f"'{r}'" for r in RISK_CLASSES))


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to alter it (batch mode): with rows referencing it, dropping
    the old copy fails while foreign keys are enforced. Alembic's recipe: switch them off for
    the rebuild (before any statement opens a transaction), back on at the end."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _sqlite_foreign_keys(False)
    op.create_table(
        "programme_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scale", sa.String(length=10), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("programmes", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_requirements")),
        sa.UniqueConstraint(
            "scale",
            "effective_from",
            name=op.f("uq_programme_requirements_scale_effective_from"),
        ),
    )
    with op.batch_alter_table("programme_requirements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_requirements_scale"), ["scale"], unique=False
        )

    with op.batch_alter_table("businesses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk_class", sa.String(length=15), nullable=True))
        batch_op.add_column(
            sa.Column("risk_class_reviewed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("risk_class_reviewed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_businesses_risk_class_reviewed_by_id_users"),
            "users",
            ["risk_class_reviewed_by_id"],
            ["id"],
        )
        batch_op.create_check_constraint("risk_class_known", _risk_check())

    # The business's class from what its owner chose explicitly (never the old default).
    op.execute(
        f"""
        UPDATE businesses SET risk_class = (
            SELECT e.risk_class FROM employments e
            WHERE e.business_id = businesses.id AND e.risk_class <> 'sangat_rendah'
            ORDER BY {RISK_ORDER} DESC LIMIT 1
        )
        """
    )
    # A running PU membership always owes at some class: the one its job had.
    op.execute(
        """
        UPDATE memberships SET risk_class = (
            SELECT e.risk_class FROM employments e WHERE e.id = memberships.employment_id
        )
        WHERE risk_class IS NULL AND category = 'PU' AND employment_id IS NOT NULL
        """
    )

    with op.batch_alter_table("employments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_employments_risk_class_known"), type_="check")
        batch_op.drop_column("risk_class")

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kpj_is_demo", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    demo = ", ".join(f"'{k}'" for k in DEMO_KPJS)
    op.execute(
        f"""
        UPDATE memberships SET kpj_is_demo = TRUE
        WHERE kpj IN ({demo}) OR (kpj LIKE '88%' AND length(kpj) = 11)
        """
    )
    _sqlite_foreign_keys(True)


def downgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("kpj_is_demo")

    with op.batch_alter_table("employments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "risk_class",
                sa.String(length=15),
                server_default="sangat_rendah",
                nullable=False,
            )
        )
    with op.batch_alter_table("employments", schema=None) as batch_op:
        batch_op.create_check_constraint("risk_class_known", _risk_check())
    op.execute(
        """
        UPDATE employments SET risk_class = COALESCE(
            (SELECT b.risk_class FROM businesses b WHERE b.id = employments.business_id),
            'sangat_rendah'
        )
        """
    )

    with op.batch_alter_table("businesses", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_businesses_risk_class_known"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_businesses_risk_class_reviewed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("risk_class_reviewed_by_id")
        batch_op.drop_column("risk_class_reviewed_at")
        batch_op.drop_column("risk_class")

    with op.batch_alter_table("programme_requirements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_requirements_scale"))
    op.drop_table("programme_requirements")
    _sqlite_foreign_keys(True)
