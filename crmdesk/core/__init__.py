"""The domain and its storage. No Qt here: everything the GUI does can be done headless."""
