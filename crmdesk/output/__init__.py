"""PDF output: labels, envelopes, reports. No Qt here."""
