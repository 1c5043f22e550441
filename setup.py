# SPDX-License-Identifier: MIT
"""Builds rotor._rotor with CMake for `pip install .` (metadata in pyproject.toml).

The extension is the CMake target rotor_python, configured for the interpreter running pip,
without tests or benchmarks; ROTOR_BUILD_JOBS sets the build's parallelism (default: CPUs).
ROTOR_CMAKE_BUILD_DIR names an existing, configured rotor build tree to build the target in
instead of a fresh one (its interpreter must be the one running pip).
"""

import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(rotor VERSION ([0-9.]+)", f.read()).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.environ.get("ROTOR_CMAKE_BUILD_DIR")
        if not build:
            build = os.path.abspath(os.path.join(self.build_temp, "cmake"))
            os.makedirs(build, exist_ok=True)
            subprocess.check_call([
                "cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                "-DROTOR_BUILD_TESTS=OFF", "-DROTOR_BUILD_BENCH=OFF", "-DROTOR_BUILD_PYTHON=ON",
                f"-DPython3_EXECUTABLE={sys.executable}"])
        jobs = os.environ.get("ROTOR_BUILD_JOBS", str(os.cpu_count() or 1))
        subprocess.check_call(["cmake", "--build", build, "--target", "rotor_python",
                               "-j", jobs])
        built = os.path.join(build, "python", "rotor", os.path.basename(self.get_ext_filename(
            ext.name)))
        if not os.path.exists(built):
            sys.exit(f"setup.py: the CMake build did not produce {built} (is pybind11-dev "
                     "installed? see docs/python.md)")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built, target)


setup(version=version(), ext_modules=[Extension("rotor._rotor", sources=[])],
      cmdclass={"build_ext": CMakeBuild})
