# SPDX-License-Identifier: MIT
"""`cmake --install` puts a working package into the interpreter's site-packages: installed into
a staging root (DESTDIR), the package imports from there alone, outside the source and build
trees, and runs the history scenario. `pip install --no-build-isolation --no-index .` does the
same into a virtual environment, with nothing fetched."""

import os
import shutil
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


@pytest.mark.skipif(not BUILD, reason="ROTOR_BUILD_DIR not set (ctest sets it)")
def test_pip_install_from_the_source_tree_into_a_venv(tmp_path):
    # The packaging files and the package, copied so that pip's build/ and egg-info stay out of
    # the checkout; the extension is built in the existing build tree (ROTOR_CMAKE_BUILD_DIR,
    # up to date: nothing to compile) instead of a fresh CMake configure of the whole engine.
    source = os.environ["ROTOR_SOURCE_DIR"]
    src = tmp_path / "src"
    shutil.copytree(os.path.join(source, "python"), src / "python",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (src / "docs").mkdir()
    for name in ("pyproject.toml", "setup.py", "CMakeLists.txt", "docs/python.md"):
        shutil.copyfile(os.path.join(source, name), src / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, capture_output=True)
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation",
                          "--no-index", str(src)], env=dict(clean, ROTOR_CMAKE_BUILD_DIR=BUILD),
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    code = ("import rotor, sys; r = rotor.run(sys.argv[1], progress=False); "
            "print(rotor.__file__); print(len(r.metrics))")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code, HISTORY], env=clean,
                         cwd=tmp_path, check=True, capture_output=True, text=True).stdout.split()
    assert out[0].startswith(str(venv)) and out[0].endswith(os.path.join("rotor", "__init__.py"))
    assert out[1] == "7"
