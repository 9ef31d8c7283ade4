"""Media: the images and files that Markdown texts embed or link, found, typed and checked."""
