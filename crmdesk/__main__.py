"""`python -m crmdesk` runs the same command as `crmdesk`."""

from crmdesk.cli import main

raise SystemExit(main())
