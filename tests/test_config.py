"""builder/config.py: the release kind is an option of the build, checked and in its hash."""

from __future__ import annotations

import pytest

from builder.config import BuildConfig
from builder.errors import ConfigError


@pytest.mark.parametrize("options", [{"release": "partial"}, {"release": "public", "include_restricted_texts": True}])
def test_a_release_kind_or_flag_that_does_not_fit_is_refused(options):
    with pytest.raises(ConfigError, match=r"E301 .*release '\w+' must be one of full, public; include_restricted_texts "
                                          r"only with 'full'"):
        BuildConfig(**options)


def test_the_release_changes_the_hash_and_full_is_the_default():
    assert BuildConfig().release == "full"
    hashes = {BuildConfig().hash(), BuildConfig(release="public").hash(), BuildConfig(include_restricted_texts=True).hash()}
    assert len(hashes) == 3
