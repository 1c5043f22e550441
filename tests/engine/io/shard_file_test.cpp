// SPDX-License-Identifier: MIT
// Shard files (rotor run --path-range): what writeShardFile stores reads back as written; a
// shard whose attributes or datasets were rewritten with other types, whose range is reversed
// or that is cut short is rotor::InputError naming the object.
#include "engine/io/shard_file.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace shard_file_test {

ShardContents sample() {
    ShardContents s;
    s.rotorVersion = "1.2.3";
    s.gitCommit = "abc";
    s.createdUtc = "2026-01-01T00:00:00Z";
    s.commandLine = "rotor run fwd.yaml --path-range 3:9";
    s.scenarioFile = "fwd.yaml";
    s.scenarioYaml = "name: fwd\n";
    s.pathsOverride = 50;
    s.seedOverride = -1;
    s.threadsOverride = 2;
    s.pathBegin = 3;
    s.pathEnd = 9;
    // Pieces given one at a time, as a run hands them over.
    auto pieces = std::make_shared<std::vector<std::vector<char>>>(
        std::vector<std::vector<char>>{{'p', '0'}, {}, {'p', '2', '\0'}});
    auto next = std::make_shared<std::size_t>(0);
    s.cells = {{"fwd", {'a', 'b', '\0', 'c'}, 3, [pieces, next] { return pieces->at((*next)++); }},
               {"other", {}, 0, nullptr}};
    return s;
}

std::string written(const std::string& name) {
    const std::string path = test::scratchDir("shard_file") + "/" + name + ".h5";
    writeShardFile(sample(), path, true);
    return path;
}

// Opens the shard for writing and lets `edit` change it through the HDF5 C API.
void rewrite(const std::string& path, const std::function<void(hid_t)>& edit) {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    edit(f);
    H5Fclose(f);
}

// Replaces root attribute `name` by a scalar of `type` holding `value`.
void replaceAttribute(hid_t f, const char* name, hid_t type, hid_t memType, const void* value) {
    H5Adelete(f, name);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, memType, value);
    H5Aclose(a);
    H5Sclose(space);
}

std::string refusal(const std::string& path) {
    try {
        (void)readShardFile(path);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return "";
}

TEST(ShardFile, ReadsBackWhatWasWritten) {
    const ShardContents s = readShardFile(written("valid"));
    EXPECT_EQ(s.commandLine, "rotor run fwd.yaml --path-range 3:9");
    EXPECT_EQ(s.scenarioYaml, "name: fwd\n");
    EXPECT_EQ(s.pathsOverride, 50);
    EXPECT_EQ(s.seedOverride, -1);
    EXPECT_EQ(s.threadsOverride, 2);
    EXPECT_EQ(s.pathBegin, 3u);
    EXPECT_EQ(s.pathEnd, 9u);
    ASSERT_EQ(s.cells.size(), 2u);
    EXPECT_EQ(s.cells[0].name, "fwd");
    EXPECT_EQ(s.cells[0].share, (std::vector<char>{'a', 'b', '\0', 'c'}));
    EXPECT_TRUE(s.cells[1].share.empty());
    // The pieces are counted, and read one at a time.
    EXPECT_EQ(s.cells[0].pieceCount, 3u);
    EXPECT_EQ(s.cells[1].pieceCount, 0u);
    EXPECT_FALSE(s.cells[0].nextPiece);
    const std::string path = written("valid");
    EXPECT_EQ(readShardPiece(path, 0, 0), (std::vector<char>{'p', '0'}));
    EXPECT_TRUE(readShardPiece(path, 0, 1).empty());
    EXPECT_EQ(readShardPiece(path, 0, 2), (std::vector<char>{'p', '2', '\0'}));
    EXPECT_THROW((void)readShardPiece(path, 0, 3), InputError);
    EXPECT_THROW((void)readShardPiece(path, 1, 0), InputError);
}

TEST(ShardFile, MorePiecesThanPathsOrAPieceMissingIsBadInput) {
    std::string path = written("many_pieces");
    rewrite(path, [](hid_t f) {
        const std::uint64_t v = 7;  // the range 3:9 has 6 paths
        const hid_t g = H5Oopen(f, "cells/0000", H5P_DEFAULT);
        H5Adelete(g, "pieces");
        const hid_t space = H5Screate(H5S_SCALAR);
        const hid_t a = H5Acreate2(g, "pieces", H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, H5T_NATIVE_UINT64, &v);
        H5Aclose(a);
        H5Sclose(space);
        H5Oclose(g);
    });
    std::string what = refusal(path);
    EXPECT_NE(what.find("cell fwd claims 7 pieces"), std::string::npos) << what;
    path = written("piece_missing");
    rewrite(path, [](hid_t f) { H5Ldelete(f, "cells/0000/paths/000001", H5P_DEFAULT); });
    what = refusal(path);
    EXPECT_NE(what.find("no dataset /cells/0000/paths/000001"), std::string::npos) << what;
}

TEST(ShardFile, ANumberOfAnotherTypeIsBadInput) {
    const std::string path = written("float_begin");
    rewrite(path, [](hid_t f) {
        const double v = 3.0;  // float64 where rotor writes uint64
        replaceAttribute(f, "path_begin", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
    });
    const std::string what = refusal(path);
    EXPECT_NE(what.find("not a valid rotor shard: attribute path_begin is not one number"),
              std::string::npos)
        << what;
}

TEST(ShardFile, AFixedLengthStringWhereRotorWritesAVariableOneIsBadInput) {
    const std::string path = written("fixed_version");
    rewrite(path, [](hid_t f) {
        const hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, 5);
        replaceAttribute(f, "rotor_version", t, t, "1.2.3");
        H5Tclose(t);
    });
    const std::string what = refusal(path);
    EXPECT_NE(what.find("attribute rotor_version is not one string"), std::string::npos) << what;
}

TEST(ShardFile, AShareThatIsNotBytesIsBadInput) {
    const std::string path = written("float_share");
    rewrite(path, [](hid_t f) {
        H5Ldelete(f, "cells/0000/share", H5P_DEFAULT);
        const hsize_t n = 4;
        const hid_t space = H5Screate_simple(1, &n, nullptr);
        const hid_t d = H5Dcreate2(f, "cells/0000/share", H5T_IEEE_F32LE, space, H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT);
        const float v[4] = {1, 2, 3, 4};
        H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
        H5Dclose(d);
        H5Sclose(space);
    });
    const std::string what = refusal(path);
    EXPECT_NE(what.find("dataset share is not an array of bytes"), std::string::npos) << what;
}

TEST(ShardFile, LayoutsRotorDoesNotWriteAreBadInputNamingTheObject) {
    // The share rewritten as a compact dataset of the same bytes (its values inside its header).
    std::string path = written("compact_share");
    rewrite(path, [](hid_t f) {
        H5Ldelete(f, "cells/0000/share", H5P_DEFAULT);
        const hsize_t n = 4;
        const hid_t space = H5Screate_simple(1, &n, nullptr);
        const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_layout(dcpl, H5D_COMPACT);
        const hid_t d = H5Dcreate2(f, "cells/0000/share", H5T_STD_U8LE, space, H5P_DEFAULT, dcpl,
                                   H5P_DEFAULT);
        const unsigned char v[4] = {'a', 'b', 0, 'c'};
        H5Dwrite(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
        H5Dclose(d);
        H5Pclose(dcpl);
        H5Sclose(space);
    });
    EXPECT_EQ(refusal(path), path +
                                 ": not a valid rotor shard: dataset share: a compact dataset, "
                                 "which rotor does not write");
    // The second cell's group made anew with libhdf5's latest format: a version 2 header.
    path = written("latest_cell");
    rewrite(path, [](hid_t f) {
        H5Fset_libver_bounds(f, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
        H5Ldelete(f, "cells/0001", H5P_DEFAULT);
        H5Gclose(H5Gcreate2(f, "cells/0001", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    });
    EXPECT_EQ(refusal(path), path +
                                 ": not a valid rotor shard: group /cells/0001: an object "
                                 "header of version 2, which rotor does not write");
}

TEST(ShardFile, AReversedRangeIsBadInput) {
    const std::string path = written("reversed");
    rewrite(path, [](hid_t f) {
        const std::uint64_t v = 10;  // past path_end 9
        replaceAttribute(f, "path_begin", H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
    });
    const std::string what = refusal(path);
    EXPECT_NE(what.find("path range 10:9 is reversed"), std::string::npos) << what;
}

TEST(ShardFile, ACellCountPastTheCellsIsBadInput) {
    const std::string path = written("cells");
    rewrite(path, [](hid_t f) {
        const std::uint64_t v = 3;
        replaceAttribute(f, "cells", H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
    });
    const std::string what = refusal(path);
    EXPECT_NE(what.find("no group /cells/0002"), std::string::npos) << what;
}

TEST(ShardFile, CutShortAnywhereIsBadInput) {
    const std::string path = written("whole");
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> whole{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    const std::string cut = test::scratchDir("shard_file") + "/cut.h5";
    for (std::size_t k = 0; k < 16; ++k) {
        const std::size_t n = whole.size() * k / 16;
        std::ofstream(cut, std::ios::binary | std::ios::trunc)
            .write(whole.data(), static_cast<std::streamsize>(n));
        EXPECT_THROW((void)readShardFile(cut), InputError) << n << " bytes";
    }
}

}  // namespace shard_file_test
}  // namespace
}  // namespace rotor
