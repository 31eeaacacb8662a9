"""The main window, the application object and the database files it opens."""
