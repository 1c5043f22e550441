// SPDX-License-Identifier: MIT
// Tells a results file from a backtest-model file by its root attribute `format`.
#include "engine/report/report_kind.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/report/hdf5_reader.hpp"

namespace rotor::report {

ReportKind reportKindOf(const std::string& path) {
    h5::QuietErrors quiet;
    Hdf5Reader r(path, "rotor results file");
    r.open();
    const std::string format = r.attrText(r.root(), "format");
    if (format == kResultsFormat) return ReportKind::Results;
    if (format == kBacktestModelFormat) return ReportKind::BacktestModel;
    throw InputError(
        path + ": not a rotor results file, nor a backtest-model file (root attribute format is '" +
        format + "', expected '" + kResultsFormat + "' or '" + kBacktestModelFormat + "')");
}

}  // namespace rotor::report
