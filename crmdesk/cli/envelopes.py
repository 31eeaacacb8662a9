"""`crmdesk envelopes`: the labels command's choices, one envelope a page, with
the return address from --sender or the one saved in the file (cli/labels.py)."""

from __future__ import annotations

from crmdesk.cli.common import Subparsers
from crmdesk.cli.labels import add_common, run
from crmdesk.core.i18n import _


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "envelopes", help=_("print envelopes as a PDF"),
        description=_("Write one envelope a page for the contacts a lookup or group finds "
                      "as a PDF, the recipient placed by the envelope's size and your "
                      "return address in the corner."))
    add_common(p, envelopes=True)
    p.set_defaults(run=run, envelopes=True)
