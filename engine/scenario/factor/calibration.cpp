// SPDX-License-Identifier: MIT
#include "engine/scenario/factor/calibration.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/config/config_node.hpp"
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/data/data_files.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>

namespace rotor {

namespace {}  // namespace

CalibrationData loadCalibrationData(const CalibrationSpec& spec,
                                    const std::vector<std::string>& assets, DataStore& store) {
    ROTOR_REQUIRE(spec.factorColumns.size() == spec.factorNames.size(),
                  "factor columns and names differ in number");
    CalibrationData data;
    data.assets = assets;
    data.factorNames = spec.factorNames;

    AlignedPrices aligned;
    if (!spec.prices.table.empty()) {
        recordDataFile(data.files, spec.prices.table);
        PriceTableOptions opt;
        opt.columns = assets;
        aligned = alignPriceTable(store.priceTable(spec.prices.table, opt), spec.start, spec.end);
    } else {
        for (const auto& a : assets) recordDataFile(data.files, spec.prices.fileOf(a));
        aligned = alignPrices(readPrices(store, spec.prices, assets), spec.start, spec.end);
    }

    recordDataFile(data.files, spec.factorFile);
    const auto& factorSeries = store.columns(spec.factorFile, spec.factorColumns);
    const auto& fdates = factorSeries.front().dates;  // readColumns: one date column for all
    // A window outside the factor file would silently shorten the sample: refuse it.
    if (fdates.front() > aligned.dates.front() || fdates.back() < aligned.dates.back())
        throw DataError(spec.factorFile, 0,
                        "factor dates " + fdates.front().iso() + ".." + fdates.back().iso() +
                            " do not cover the calibration days " + aligned.dates.front().iso() +
                            ".." + aligned.dates.back().iso());

    // Keep the asset days that are also factor days.
    std::vector<Index> keep;
    for (Index t = 0; t < static_cast<Index>(aligned.dates.size()); ++t)
        if (std::binary_search(fdates.begin(), fdates.end(),
                               aligned.dates[static_cast<std::size_t>(t)]))
            keep.push_back(t);
    if (keep.size() < 2)
        throw InputError("calibration window " + spec.start.iso() + ".." + spec.end.iso() +
                         " has fewer than 2 days with both prices and factors");

    const Index n = static_cast<Index>(keep.size()) - 1;
    const Index nAssets = static_cast<Index>(assets.size());
    const Index k = static_cast<Index>(spec.factorColumns.size());
    data.assetReturns.resize(n, nAssets);
    data.factors.setZero(n, k);
    data.dates.resize(static_cast<std::size_t>(n));
    std::vector<Date> days(keep.size());
    for (std::size_t j = 0; j < keep.size(); ++j)
        days[j] = aligned.dates[static_cast<std::size_t>(keep[j])];

    for (Index j = 1; j <= n; ++j) {
        const Index prev = keep[static_cast<std::size_t>(j - 1)];
        const Index cur = keep[static_cast<std::size_t>(j)];
        for (Index i = 0; i < nAssets; ++i)
            data.assetReturns(j - 1,
                              i) = std::log(aligned.prices(cur, i) / aligned.prices(prev, i));
        data.dates[static_cast<std::size_t>(j - 1)] = days[static_cast<std::size_t>(j)];
        // Factor returns of every factor day in (prev, cur]: the asset return spans them all.
        const auto lo = std::upper_bound(fdates.begin(), fdates.end(),
                                         days[static_cast<std::size_t>(j - 1)]);
        const auto hi = std::upper_bound(fdates.begin(), fdates.end(),
                                         days[static_cast<std::size_t>(j)]);
        for (auto it = lo; it != hi; ++it) {
            const auto row = static_cast<std::size_t>(it - fdates.begin());
            for (Index c = 0; c < k; ++c)
                data.factors(j - 1, c) += spec.factorScale *
                                          factorSeries[static_cast<std::size_t>(c)].values[row];
        }
    }

    if (!spec.rateFile.empty()) {
        recordDataFile(data.files, spec.rateFile);
        const TimeSeries& rate = store.series(spec.rateFile, spec.rateColumn);
        const Vector level = forwardFill(rate, days);
        Vector change(n);
        for (Index j = 1; j <= n; ++j) change[j - 1] = level[j] - level[j - 1];
        data.rateChange = change;
    }
    return data;
}

CalibrationResult calibrate(const CalibrationData& data) {
    const Index n = data.assetReturns.rows();
    const Index nAssets = data.assetReturns.cols();
    const Index k = data.factors.cols();
    ROTOR_REQUIRE(data.factors.rows() == n, "factor rows " << data.factors.rows() << " != " << n);
    ROTOR_REQUIRE(static_cast<Index>(data.assets.size()) == nAssets, "asset names do not match");
    ROTOR_REQUIRE(static_cast<Index>(data.factorNames.size()) == k, "factor names do not match");
    const bool hasRate = data.rateChange.has_value();
    const Index p = 1 + k + (hasRate ? 1 : 0);
    if (n < p + 2)
        throw InputError("calibration has " + std::to_string(n) + " observations for " +
                         std::to_string(p) + " regressors");

    Matrix x(n, p);
    x.col(0).setOnes();
    x.middleCols(1, k) = data.factors;
    if (hasRate) x.col(p - 1) = *data.rateChange;

    const Eigen::ColPivHouseholderQR<Matrix> qr(x);
    if (qr.rank() < p) {
        // Name the culprit: a regressor with no variation is the usual cause.
        std::string which = "the regressors are collinear";
        for (Index c = 1; c < p; ++c) {
            const double mean = x.col(c).mean();
            if ((x.col(c).array() - mean).abs().maxCoeff() == 0.0)
                which = (c <= k
                             ? "factor '" + data.factorNames[static_cast<std::size_t>(c - 1)] + "'"
                             : std::string("the rate change")) +
                        " does not vary over the window";
        }
        throw InputError("calibration: " + which);
    }
    const Matrix xtxInv = (x.transpose() * x).ldlt().solve(Matrix::Identity(p, p));

    CalibrationResult out;
    out.first = data.dates.front();
    out.last = data.dates.back();
    out.observations = n;
    out.factorNames = data.factorNames;
    out.hasRate = hasRate;
    out.files = data.files;

    const double dn = static_cast<double>(n);
    const Vector fmean = data.factors.colwise().mean().transpose();
    const Matrix centred = data.factors.rowwise() - fmean.transpose();
    const Matrix cov = centred.transpose() * centred / (dn - 1.0);
    const Vector sd = cov.diagonal().array().sqrt();
    out.factorMean = fmean * 252.0;
    out.factorVol = sd * std::sqrt(252.0);
    out.correlation = cov.array() / (sd * sd.transpose()).array();
    for (Index c = 0; c < k; ++c) out.correlation(c, c) = 1.0;

    const double dof = dn - static_cast<double>(p);
    for (Index i = 0; i < nAssets; ++i) {
        const Vector y = data.assetReturns.col(i);
        const Vector b = qr.solve(y);
        const Vector resid = y - x * b;
        const double rss = resid.squaredNorm();
        const double tss = (y.array() - y.mean()).square().sum();
        const double s2 = rss / dof;
        const Vector se = (s2 * xtxInv.diagonal().array()).sqrt();

        AssetFit fit;
        fit.asset = data.assets[static_cast<std::size_t>(i)];
        fit.alpha = b[0] * 252.0;
        fit.alphaSe = se[0] * 252.0;
        fit.beta = b.segment(1, k);
        fit.betaSe = se.segment(1, k);
        if (hasRate) {
            fit.rateBeta = b[p - 1];
            fit.rateBetaSe = se[p - 1];
        }
        fit.idioVol = std::sqrt(s2 * 252.0);
        fit.r2 = tss > 0.0 ? 1.0 - rss / tss : 0.0;
        out.assets.push_back(std::move(fit));
    }
    return out;
}

}  // namespace rotor
