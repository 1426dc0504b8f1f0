"""The review site (`newsstance review`) and the files of draft adjudication (`newsstance adjudicate`)."""
