// SPDX-License-Identifier: MIT
// The datatypes rotor writes, checked before a read converts from them. libhdf5 converts a
// dataset or attribute from its type in the file to the type asked for, trusting every field of
// the file's type message; Debian's libhdf5 1.10 crashes on damaged ones (in H5T__bit_get_d,
// H5T__conv_struct_opt, ...). A type that is not exactly one rotor (or h5py, by default) writes
// is refused before any conversion runs. Internal to the files that call the HDF5 C API.
#pragma once

#include "engine/io/hdf5_file.hpp"

#include <hdf5.h>

#include <string>

namespace rotor::h5 {

// One of HDF5's standard little-endian numbers, equal in every property (precision, offset,
// padding, sign, bit fields): IEEE float32/float64, or an integer of 8 to 64 bits.
bool isStoredNumber(hid_t type);
// Exactly the standard type `expected` (e.g. H5T_STD_U8LE).
bool isType(hid_t type, hid_t expected);
// A string type: variable-length (null-terminated) or fixed-length of 1 byte to 1 MiB
// (null-terminated, null- or space-padded), ASCII or UTF-8, and nothing else changed.
bool isStoredString(hid_t type);
// Variable-length strings only (how rotor stores text attributes and scalar text datasets).
bool isStoredVariableString(hid_t type);
// A compound of 1 to 4096 uniquely named members, each a stored number or string, lying inside
// the record without overlapping one another. Otherwise false, with the reason in `why`.
bool isStoredTable(hid_t type, std::string& why);

// An attribute opened for reading, with its stored type and dataspace: the start of every
// attribute read, before the type is checked. All three are invalid when it cannot be opened.
struct StoredAttribute {
    Handle attribute, type, space;
    // Its number of values (negative when its dataspace cannot be read).
    hssize_t values() const;
};
StoredAttribute openAttribute(hid_t loc, const char* name);

}  // namespace rotor::h5
