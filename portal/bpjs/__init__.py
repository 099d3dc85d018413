from flask import Blueprint

# cli_group=None: `flask membership-sweep` is a top-level command.
bp = Blueprint("bpjs", __name__, url_prefix="/bpjs", cli_group=None)

from . import routes  # noqa: E402,F401,I001  (one line per area keeps merges simple)
from . import batch_views, cli, contribution_views, head_views, queue_views  # noqa: E402,F401
from . import compliance_views, referral_views  # noqa: E402,F401
