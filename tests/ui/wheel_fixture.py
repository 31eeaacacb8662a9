"""The app's wheel guard, on the test QApplication as `configure_application` puts it
on the real one: window tests see the wheel behave as users do."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def wheel_guard(qapp):  # noqa: ANN001, ANN201 - pytest-qt's QApplication
    from crmdesk.ui.common import wheel_guard as guard

    return guard.install(qapp)


@pytest.fixture(autouse=True, scope="session")
def plain_text_guard(qapp):  # noqa: ANN001, ANN201 - pytest-qt's QApplication
    """User text shown as text in every label, as configure_application sets it up."""
    from crmdesk.ui.common import plain_text

    return plain_text.install(qapp)
