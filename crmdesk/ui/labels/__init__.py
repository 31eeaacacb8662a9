"""File > Print Labels… and Print Envelopes…: the dialog (dialog.py), the sheet
picture and paper painted from the same plan as the PDF (painting.py)."""
