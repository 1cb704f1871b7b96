"""Failures of the database itself (not the user's fault); each says what happened."""

from __future__ import annotations


class StorageError(Exception):
    """The database failed; the message says what happened. Nothing of the write was kept."""

    key = "error.storage"


class StorageBusy(StorageError):
    """The database stayed locked by another writer past the busy timeout; try again."""

    key = "error.storage_busy"


class StorageFull(StorageError):
    """The disk (or the database size limit) is full; nothing was written."""

    key = "error.storage_full"


class StorageReadOnly(StorageError):
    """The database file or its folder cannot be written; nothing was written."""

    key = "error.storage_read_only"


class StorageVersionError(StorageError):
    """The database schema is newer than this code, or the migration files are unusable."""

    key = "error.storage_version"


class StorageGone(StorageError):
    """The database file vanished or was replaced while the bot ran; nothing more is written."""

    key = "error.storage_gone"


class StorageMissing(StorageError):
    """A database that existed before is gone: the bot will not start over with an empty one."""

    key = "error.storage_missing"
