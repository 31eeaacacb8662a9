"""`python -m crmdesk` runs the same command as `crmdesk`."""

from crmdesk.cli.main import main

raise SystemExit(main())
