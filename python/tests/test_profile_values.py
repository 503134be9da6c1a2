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
