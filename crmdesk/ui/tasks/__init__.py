"""Background work: the writer thread and operations with progress and Cancel."""
