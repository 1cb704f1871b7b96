"""Helpers the tests share: the people they play, how replies are read."""
