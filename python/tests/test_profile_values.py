"""Profiles as values (issue 14): status, export and import round-trip through the C API."""
import pytest

import diaggauss as dg


def test_profile_status_export_import():
    st = dg.profile_status()
    assert set(st) == {"path", "state", "reason"}
    assert st["state"] in ("loaded", "none", "ignored", "refused")
    with pytest.raises(dg.Error) as e:
        dg.profile_import('{"format": tru')
    assert "invalid JSON at line 1 column" in str(e.value)
    if st["state"] == "loaded":
        text = dg.profile_export()
        dg.profile_import(text)
        assert dg.profile_status()["path"] == "(imported)"
        assert dg.profile_export() == text
    else:
        with pytest.raises(dg.Error):
            dg.profile_export()


def test_profile_import_refuses_a_nul_byte():
    # C reads the text only up to a NUL: '<valid profile>\0junk' would install the prefix and ignore the rest.
    with pytest.raises(dg.Error) as e:
        dg.profile_import('{"format": 1}\x00 junk')
    assert str(e.value) == "profile_import: json contains a NUL byte"
