"""The `crmdesk` command: one module per subcommand; no Qt."""
