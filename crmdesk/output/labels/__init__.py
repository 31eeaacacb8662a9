"""Mailing labels and envelopes: the template catalogue (catalogue.py,
templates.json), gLabels files (glabels.py), sheets measured by hand
(geometry.custom_sheet), who gets a label (recipients.py), the address by the
destination's rules (addresses.py), the plan of every label (layout.py) and
the PDF (pdf.py). ``make_plan`` puts them together for the CLI and the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from crmdesk.output.labels.geometry import Template
from crmdesk.output.labels.layout import LabelOptions, LabelPlan, label_texts, plan_labels
from crmdesk.output.labels.recipients import read_recipients


def make_plan(session: Session, ids: Iterable[int], template: Template,
              options: LabelOptions, *,
              progress: Callable[[int, int], None] | None = None) -> LabelPlan:
    """The labels (or envelopes) for the contacts ``ids``, in their order, read
    in ``session``; contacts without a deliverable address are in ``skipped``."""
    recipients = read_recipients(session, ids, address=options.address, title=options.title,
                                 progress=progress)
    texts, skipped = label_texts(recipients, options)
    return plan_labels(template, texts, options, skipped=skipped)
