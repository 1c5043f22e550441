# SPDX-License-Identifier: MIT
"""`cmake --install` puts a working package into the interpreter's site-packages: installed into
a staging root (DESTDIR), the package imports from there alone, outside the source and build
trees, and runs the history scenario."""

import os
import subprocess
import sys
import sysconfig

import pytest

from conftest import HISTORY

BUILD = os.environ.get("ROTOR_BUILD_DIR")


@pytest.mark.skipif(not BUILD, reason="ROTOR_BUILD_DIR not set (ctest sets it)")
def test_cmake_install_gives_an_importable_package(tmp_path):
    stage = tmp_path / "stage"
    env = dict(os.environ, DESTDIR=str(stage))
    subprocess.run(["cmake", "--install", BUILD], env=env, check=True, capture_output=True)
    # The default destination is this interpreter's platlib, under the staging root.
    site = str(stage) + sysconfig.get_path("platlib")
    extension = "_rotor" + sysconfig.get_config_var("EXT_SUFFIX")
    assert sorted(os.listdir(os.path.join(site, "rotor"))) == [
        "__init__.py", "_errors.py", "_results.py", extension, "_scenario.py"]
    code = ("import rotor, sys; r = rotor.run(sys.argv[1], progress=False); "
            "print(rotor.__file__); print(len(r.metrics))")
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    clean["PYTHONPATH"] = site
    out = subprocess.run([sys.executable, "-c", code, HISTORY], env=clean, cwd=tmp_path,
                         check=True, capture_output=True, text=True).stdout.split()
    assert out == [os.path.join(site, "rotor", "__init__.py"), "7"]
