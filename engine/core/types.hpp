// SPDX-License-Identifier: MIT
// Shared numeric vocabulary: Eigen types used across every pipeline stage.
#pragma once

#include <Eigen/Core>

namespace rotor {

using Index = Eigen::Index;
// T x N, one row per day, so a day's prices for all assets are contiguous for the day loop.
using PriceMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;
// Column-major daily matrix, T x N (one column per asset): a column is an asset's history.
using Matrix = Eigen::MatrixXd;

}  // namespace rotor
