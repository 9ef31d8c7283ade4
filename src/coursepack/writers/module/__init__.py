"""The HTML revision module shared by the SCORM and IMS packages: pages, self-check quiz, assets."""
