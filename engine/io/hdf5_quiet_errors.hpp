// SPDX-License-Identifier: MIT
// HDF5's automatic error printing turned off for a scope. Internal to the files that call the
// HDF5 C API (engine/io, engine/report): they report errors through exceptions instead.
#pragma once

#include <hdf5.h>

namespace rotor::h5 {

// Restores the caller's setting when the scope ends.
class QuietErrors {
public:
    QuietErrors() {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
    QuietErrors(const QuietErrors&) = delete;
    QuietErrors& operator=(const QuietErrors&) = delete;

private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

}  // namespace rotor::h5
