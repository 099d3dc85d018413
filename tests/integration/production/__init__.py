"""The production path: install, compression, several processes behind one database."""
