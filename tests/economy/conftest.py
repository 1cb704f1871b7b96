"""The economy tests' shared fixture: the shipped gift catalog, loaded once per module."""

from __future__ import annotations

import pytest

from economy.catalog import Catalog, default_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()
