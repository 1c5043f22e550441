// SPDX-License-Identifier: MIT
// rotor._rotor: the engine for Python. Each function calls the library the `rotor` CLI calls
// (engine/run, engine/report) and hands back plain Python objects and numpy arrays; the frames
// are built in python/rotor/_results.py. The GIL is released while the engine works, and runs
// stop cleanly on Ctrl-C (the progress observer polls for signals).
#include "engine/core/error.hpp"
#include "engine/core/version.hpp"
#include "engine/report/results_reader.hpp"
#include "engine/run/calibrate.hpp"
#include "engine/run/commands.hpp"
#include "strategies/register_builtin.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {

using rotor::report::Grid;
using rotor::report::RecordTable;
using rotor::report::ResultsData;
using rotor::report::ScenarioData;

// HDF5 (a serial build) must not be entered from two threads at once: one engine call at a time
// per process. Taken with the GIL released, so a waiting thread never blocks Python.
std::mutex& engineMutex() {
    static std::mutex m;
    return m;
}

// ---- errors ----------------------------------------------------------------------------------

// The observer threw to stop the run; the Python exception it met is kept by the observer.
struct Stopped : std::exception {
    const char* what() const noexcept override { return "run stopped from Python"; }
};

[[noreturn]] void raise(const py::object& type, const py::object& instance) {
    PyErr_SetObject(type.ptr(), instance.ptr());
    throw py::error_already_set();
}

py::object errorClass(const char* name) { return py::module_::import("rotor._errors").attr(name); }

// A 1-based position, or None when unknown (0).
py::object position(long value) {
    return value > 0 ? py::object(py::int_(value)) : py::object(py::none());
}

// rotor::InputError (exit code 2) -> rotor.ScenarioError with its location; any other
// std::exception (exit code 1) -> rotor.RunError. `badInput` overrides the class for exit-2
// errors (rotor.open raises ValueError for files that are not rotor results).
[[noreturn]] void translate(const std::exception_ptr& failure,
                            const py::object& badInput = py::object()) {
    try {
        std::rethrow_exception(failure);
    } catch (const rotor::ConfigError& e) {
        const py::object cls = badInput ? badInput : errorClass("ScenarioError");
        raise(cls, cls(e.what(), py::arg("file") = e.file(), py::arg("line") = position(e.line()),
                       py::arg("column") = position(e.column()),
                       py::arg("key") = e.key().empty() ? py::object(py::none())
                                                        : py::object(py::str(e.key()))));
    } catch (const rotor::DataError& e) {
        const py::object cls = badInput ? badInput : errorClass("ScenarioError");
        raise(cls, cls(e.what(), py::arg("file") = e.file(), py::arg("line") = position(e.line())));
    } catch (const rotor::InputError& e) {
        const py::object cls = badInput ? badInput : errorClass("ScenarioError");
        raise(cls, cls(e.what()));
    } catch (const py::error_already_set&) {
        throw;
    } catch (const std::exception& e) {
        const py::object cls = errorClass("RunError");
        raise(cls, cls(e.what()));
    }
    throw std::logic_error("translate: every branch raises");  // unreachable
}

// Runs `work` with the GIL released and the engine lock held; any exception comes back as a
// Python exception once the GIL is held again.
template <class Work>
void withoutGil(Work work, const py::object& badInput = py::object()) {
    std::exception_ptr failure;
    {
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(engineMutex());
        try {
            work();
        } catch (...) {
            failure = std::current_exception();
        }
    }
    if (failure) translate(failure, badInput);
}

// ---- progress and Ctrl-C ---------------------------------------------------------------------

// Called by the engine (GIL released) at each progress point: at most every 0.1 s, plus each
// cell's start and end, it takes the GIL, lets Python handle pending signals (Ctrl-C raises
// KeyboardInterrupt there) and calls the Python progress callback. A Python exception stops the
// run and is raised again when the run has unwound.
class Observer {
public:
    explicit Observer(py::object callback) : callback_(std::move(callback)) {}

    void operator()(const rotor::RunProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (p.done != 0 && p.done != p.total && now - last_ < std::chrono::milliseconds(100))
            return;
        last_ = now;
        py::gil_scoped_acquire gil;
        try {
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (!callback_.is_none()) callback_(p.cell, p.unit, p.done, p.total);
        } catch (py::error_already_set& e) {
            error_.emplace(std::move(e));
            throw Stopped();
        }
    }

    // Raises the Python exception that stopped the run, if any (GIL held).
    void reraise() {
        if (!error_) return;
        py::error_already_set e = std::move(*error_);
        error_.reset();
        throw e;
    }

private:
    py::object callback_;
    std::chrono::steady_clock::time_point last_{};
    std::optional<py::error_already_set> error_;
};

// ---- results to Python -----------------------------------------------------------------------

py::array_t<double> doubles(const std::vector<double>& v) {
    py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
    if (!v.empty()) std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(double));
    return a;
}

py::array_t<double> grid(const Grid& g) {
    py::array_t<double> a({static_cast<py::ssize_t>(g.rows), static_cast<py::ssize_t>(g.cols)});
    if (!g.data.empty())
        std::memcpy(a.mutable_data(), g.data.data(), g.data.size() * sizeof(double));
    return a;
}

// ISO dates ("YYYY-MM-DD"; "" for none) as datetime64[ns] (NaT for none).
py::array dates(const std::vector<std::string>& iso) {
    py::array_t<std::int64_t> a(static_cast<py::ssize_t>(iso.size()));
    std::int64_t* out = a.mutable_data();
    constexpr std::int64_t kNsPerDay = 86'400'000'000'000;
    for (std::size_t i = 0; i < iso.size(); ++i) {
        const auto d = rotor::Date::parseIso(iso[i]);
        out[i] = d ? std::int64_t{d->serial()} * kNsPerDay
                   : std::numeric_limits<std::int64_t>::min();
    }
    return a.attr("view")(py::dtype("datetime64[ns]"));
}

py::list strings(const std::vector<std::string>& v) {
    py::list out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = py::str(v[i]);
    return out;
}

bool isDateField(const std::string& field) {
    return field == "date" ||
           (field.size() > 5 && field.compare(field.size() - 5, 5, "_date") == 0);
}

// {"fields": [...], "columns": {field: float64 array | datetime64 array | list of str}}.
py::dict table(const RecordTable& t) {
    py::dict columns;
    for (const auto& f : t.fields) {
        if (const auto n = t.numbers.find(f); n != t.numbers.end())
            columns[py::str(f)] = doubles(n->second);
        else if (isDateField(f))
            columns[py::str(f)] = dates(t.strings.at(f));
        else
            columns[py::str(f)] = strings(t.strings.at(f));
    }
    py::dict out;
    out["rows"] = t.rows;
    out["fields"] = strings(t.fields);
    out["columns"] = columns;
    return out;
}

py::dict info(const rotor::report::StrategyInfo& s) {
    py::dict d;
    d["name"] = s.name;
    d["type"] = s.type;
    d["status"] = s.status;
    d["error"] = s.error;
    return d;
}

py::dict scenario(const ScenarioData& s) {
    py::dict d;
    d["name"] = s.name;
    d["description"] = s.description;
    d["mode"] = s.mode;
    d["benchmark"] = s.benchmark;
    d["initial_capital"] = s.initialCapital;
    d["dates"] = dates(s.dates);
    d["assets"] = strings(s.assets);
    py::list sweep;
    for (const auto& v : s.sweep) sweep.append(py::make_tuple(v.key, v.label, v.value));
    d["sweep"] = sweep;
    if (!s.monteCarlo()) {
        d["cash_rate"] = doubles(s.cashRate);
        py::list strategies;
        for (const auto& h : s.history) {
            py::dict st = info(h);
            if (h.ok()) {
                st["equity"] = doubles(h.equity);
                st["returns"] = doubles(h.returns);
                st["weights"] = grid(h.weights);
                st["trades"] = table(h.trades);
            }
            strategies.append(st);
        }
        d["strategies"] = strategies;
        return d;
    }
    d["paths"] = s.paths;
    d["seed"] = s.seed;
    d["checkpoint_day"] = s.checkpointDay;
    d["percentiles"] = doubles(s.percentiles);
    d["rate_bands"] = grid(s.rateBands);
    d["regime_names"] = strings(s.regimeNames);
    d["regime_of_path"] = doubles(s.regimeOfPath);
    d["model"] = s.model;
    py::list strategies;
    for (const auto& m : s.mc) {
        py::dict st = info(m);
        if (m.ok()) {
            st["equity_bands"] = grid(m.equityBands);
            py::dict paths;
            for (const auto& [name, values] : m.paths) paths[py::str(name)] = doubles(values);
            st["paths"] = paths;
        }
        strategies.append(st);
    }
    d["strategies"] = strategies;
    if (s.realised) {
        py::dict r;
        r["dates"] = dates(s.realised->dates);
        r["cash_rate"] = doubles(s.realised->cashRate);
        py::list rs;
        for (const auto& x : s.realised->strategies) {
            py::dict e;
            e["name"] = x.name;
            e["wealth"] = doubles(x.wealth);
            e["percentile_rank"] = x.percentileRank;
            rs.append(e);
        }
        r["strategies"] = rs;
        r["ended_by"] = s.realised->endedBy;
        py::list coverage;
        for (const auto& line : s.realised->coverage) coverage.append(line);
        r["coverage"] = coverage;
        d["realised"] = r;
    } else {
        d["realised"] = py::none();
    }
    return d;
}

py::dict results(const ResultsData& r) {
    py::dict d;
    d["path"] = r.path;
    py::dict attributes;
    for (const auto& [k, v] : r.attributes) attributes[py::str(k)] = v;
    d["attributes"] = attributes;
    d["scenario_yaml"] = r.scenarioYaml;
    d["resolved_yaml"] = r.resolvedYaml;
    d["data_files"] = table(r.dataFiles);
    d["metrics"] = r.metrics ? py::object(table(*r.metrics)) : py::none();
    d["mc_summary"] = r.mcSummary ? py::object(table(*r.mcSummary)) : py::none();
    py::list scenarios;
    for (const auto& s : r.scenarios) scenarios.append(scenario(s));
    d["scenarios"] = scenarios;
    py::list walkForward;
    for (const auto& w : r.walkForward) {
        py::dict x;
        x["name"] = w.name;
        x["strategy"] = w.strategy;
        x["metric"] = w.metric;
        x["goal"] = w.goal;
        x["in_sample"] = w.inSample;
        x["out_of_sample"] = w.outOfSample;
        x["step"] = w.step;
        x["window"] = w.window;
        x["stitched_metric"] = w.stitchedMetric;
        x["best_cell"] = w.bestCell;
        x["best_full_period_metric"] = w.bestFullPeriodMetric;
        x["best_on_stitched_days_metric"] = w.bestOnStitchedDaysMetric;
        x["dates"] = dates(w.dates);
        x["equity"] = doubles(w.equity);
        x["steps"] = table(w.steps);
        x["cells"] = table(w.cells);
        walkForward.append(x);
    }
    d["walk_forward"] = walkForward;
    return d;
}

// ---- the functions ---------------------------------------------------------------------------

rotor::ScenarioInput source(const std::string& file, const std::optional<std::string>& text) {
    return {file, text};
}

// Runs one scenario source; returns {"results", "image" (bytes or None), "exit_code",
// "warnings", "output"}.
py::dict run(const std::string& file, const std::optional<std::string>& text,
             std::optional<long long> paths, std::optional<long long> seed,
             std::optional<long long> threads, const std::optional<std::string>& output, bool force,
             const std::string& commandLine, py::object progress) {
    rotor::RunCommand cmd;
    cmd.scenarios.push_back(source(file, text));
    cmd.quiet = true;
    cmd.inMemory = !output;
    if (output) cmd.output = *output;
    cmd.force = force;
    cmd.commandLine = commandLine;
    cmd.overrides.paths = paths;
    cmd.overrides.seed = seed;
    cmd.overrides.threads = threads;
    Observer observer(std::move(progress));
    cmd.observer = [&observer](const rotor::RunProgress& p) { observer(p); };

    rotor::RunOutcome outcome;
    ResultsData data;
    std::exception_ptr failure;
    {
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(engineMutex());
        try {
            std::ostringstream out, err;  // warnings come back in the outcome
            outcome = rotor::executeRun(cmd, rotor::strategies::builtinRegistry(), out, err);
            data = output ? rotor::report::readResults(outcome.outputs.front())
                          : rotor::report::readResultsImage(outcome.images.front(),
                                                            outcome.outputs.front());
        } catch (const Stopped&) {
            // the observer holds the Python exception
        } catch (...) {
            failure = std::current_exception();
        }
    }
    observer.reraise();
    if (failure) translate(failure);

    py::dict d;
    py::dict r = results(data);
    if (output) {
        d["image"] = py::none();
    } else {
        const auto& image = outcome.images.front();
        d["image"] = py::bytes(image.data(), image.size());
        r["path"] = py::none();  // nothing on disk
    }
    d["results"] = r;
    d["exit_code"] = outcome.exitCode;
    d["warnings"] = strings(outcome.warnings);
    return d;
}

py::dict open(const std::string& path) {
    ResultsData data;
    withoutGil([&] { data = rotor::report::readResults(path); },
               py::module_::import("builtins").attr("ValueError"));
    return results(data);
}

py::dict openImage(const py::bytes& image, const std::string& name) {
    const std::string_view bytes = image;
    const std::vector<char> copy(bytes.begin(), bytes.end());
    ResultsData data;
    withoutGil([&] { data = rotor::report::readResultsImage(copy, name); },
               py::module_::import("builtins").attr("ValueError"));
    return results(data);
}

py::list validate(const std::string& file, const std::optional<std::string>& text) {
    std::vector<rotor::CellSummary> cells;
    withoutGil([&] {
        cells = rotor::validateScenarios({source(file, text)},
                                         rotor::strategies::builtinRegistry());
    });
    py::list out;
    for (const auto& c : cells) {
        py::dict d;
        d["file"] = c.file;
        d["scenario"] = c.name;
        d["mode"] = c.mode;
        d["assets"] = c.assets;
        d["strategies"] = c.strategies;
        py::list sweep;
        for (const auto& v : c.sweep) sweep.append(py::make_tuple(v.key, v.label, v.value));
        d["sweep"] = sweep;
        out.append(d);
    }
    return out;
}

std::string calibrate(const std::string& file, const std::optional<std::string>& text) {
    std::string report;
    withoutGil([&] {
        report = rotor::calibrationReport(source(file, text), rotor::strategies::builtinRegistry());
    });
    return report;
}

// Wall seconds of each of `repeats` in-memory runs of `file` inside the engine alone (the
// executeRun call run() makes, without reading the results back): the engine time that
// bench/python_bench.py compares rotor.run with.
std::vector<double> timeEngine(const std::string& file, int repeats) {
    std::vector<double> seconds;
    withoutGil([&] {
        rotor::RunCommand cmd;
        cmd.scenarios.push_back(source(file, std::nullopt));
        cmd.quiet = true;
        cmd.inMemory = true;
        for (int i = 0; i < repeats; ++i) {
            std::ostringstream out, err;
            const auto start = std::chrono::steady_clock::now();
            const rotor::RunOutcome outcome = rotor::executeRun(
                cmd, rotor::strategies::builtinRegistry(), out, err);
            seconds.push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
    });
    return seconds;
}

py::list strategies() {
    const rotor::StrategyRegistry& registry = rotor::strategies::builtinRegistry();
    py::list out;
    for (const auto& type : registry.types()) {
        py::list parameters;
        for (const auto& p : registry.parameters(type)) {
            py::dict d;
            d["parameter"] = p.key;
            d["kind"] = p.kind;
            d["required"] = p.required;
            d["default"] = p.defaultValue.empty() ? py::object(py::none())
                                                  : py::object(py::str(p.defaultValue));
            d["rule"] = p.rule;
            parameters.append(d);
        }
        py::dict d;
        d["type"] = type;
        d["summary"] = registry.summary(type);
        d["parameters"] = parameters;
        out.append(d);
    }
    return out;
}

}  // namespace

PYBIND11_MODULE(_rotor, m) {
    m.doc() = "rotor engine bindings (use the `rotor` package, not this module)";
    m.attr("version") = rotor::version();
    m.attr("git_commit") = rotor::gitCommit();
    m.def("run", &run, py::arg("file"), py::arg("text"), py::arg("paths"), py::arg("seed"),
          py::arg("threads"), py::arg("output"), py::arg("force"), py::arg("command_line"),
          py::arg("progress"));
    m.def("open", &open, py::arg("path"));
    m.def("open_image", &openImage, py::arg("image"), py::arg("name"));
    m.def("validate", &validate, py::arg("file"), py::arg("text"));
    m.def("calibrate", &calibrate, py::arg("file"), py::arg("text"));
    m.def("strategies", &strategies);
    m.def("_time_engine", &timeEngine, py::arg("file"), py::arg("repeats"));
}
