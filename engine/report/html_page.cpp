// SPDX-License-Identifier: MIT
// The page shell, style sheet and provenance section shared by every rotor HTML report.
#include "engine/report/html_page.hpp"

#include "engine/io/atomic_file.hpp"
#include "engine/report/svg_chart.hpp"

#include <cmath>
#include <cstdio>

namespace rotor::report::html {

namespace {

const char* kStyle = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;
max-width:960px;color:#222;padding:0 12px}
h1{font-size:22px}h2{font-size:19px;border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:40px}
h3{font-size:15px;margin:22px 0 6px}
table{border-collapse:collapse;margin:8px 0;font-size:12.5px}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f5f8}
tr.bm td{font-weight:600}tr.failed td{color:#a00}
pre{background:#f6f8fa;border:1px solid #ddd;padding:8px;overflow:auto;font-size:12px;max-height:420px}
svg.chart{display:block;margin:6px 0 14px;max-width:100%;height:auto;background:#fff}
svg .ct{font-size:13px;font-weight:600;fill:#222}svg .lg,svg .tk{font-size:11px;fill:#444}
svg .grid{stroke:#e5e5e5;stroke-width:1}svg .axis{stroke:#888;stroke-width:1}
.note{color:#666;font-size:12px}nav{display:flex;flex-wrap:wrap;gap:4px 12px}
nav a{overflow-wrap:anywhere}
div.scroll{max-width:100%;overflow-x:auto}
table.monthly td{text-align:right;font-variant-numeric:tabular-nums;min-width:3.2em}
table.heatmap td{text-align:right;font-variant-numeric:tabular-nums}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
details.sheet>summary{font-size:16px;margin:18px 0 4px}
.charts2{display:grid;grid-template-columns:1fr 1fr;gap:0 12px}
td.flag{color:#a00;font-weight:600}
)";

}  // namespace

std::string esc(const std::string& s) { return xmlEscape(s); }

std::string fmt(double v, const char* format) {
    if (std::isnan(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

void pageStart(std::ostringstream& h, const std::string& title, const FileProvenance& p) {
    h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<meta name=\"generator\" content=\"rotor " << esc(p.attribute("rotor_version"))
      << "\"><title>" << esc(title) << "</title><style>" << kStyle << "</style></head><body>"
      << "<h1>" << esc(title) << "</h1><p class=\"note\">Written by rotor "
      << esc(p.attribute("rotor_version")) << " (" << esc(p.attribute("git_commit"))
      << "), run created " << esc(p.attribute("created_utc"))
      << ". Scenario file: " << esc(p.attribute("scenario_file")) << ".</p>";
}

void keyValueTable(std::ostringstream& h,
                   const std::vector<std::pair<std::string, std::string>>& kv, const char* cls) {
    h << "<table class=\"" << cls << "\">";
    for (const auto& [k, v] : kv)
        h << "<tr><th>" << esc(k) << "</th><td>" << esc(v) << "</td></tr>";
    h << "</table>";
}

void provenanceSection(std::ostringstream& h, const FileProvenance& p, bool showSeed) {
    h << "<section class=\"provenance\" id=\"provenance\"><h2>Provenance</h2>";
    std::vector<std::pair<std::string, std::string>> attributes;
    for (const auto& a : p.attributes)
        if (showSeed || a.first != "seed") attributes.push_back(a);
    keyValueTable(h, attributes, "attributes");
    if (p.dataFiles.rows) {
        // 64-character hashes do not wrap: on a narrow page the table scrolls in its own box.
        h << "<h3>Data files</h3><div class=\"scroll\"><table class=\"data-files\"><tr>"
             "<th>path</th><th>sha256</th></tr>";
        for (std::size_t i = 0; i < p.dataFiles.rows; ++i)
            h << "<tr><td>" << esc(p.dataFiles.text("path", i)) << "</td><td><code>"
              << esc(p.dataFiles.text("sha256", i)) << "</code></td></tr>";
        h << "</table></div>";
    }
    if (!p.scenarioYaml.empty())
        h << "<h3>Scenario file (as given)</h3><pre class=\"yaml\">" << esc(p.scenarioYaml)
          << "</pre>";
    if (!p.resolvedYaml.empty())
        h << "<h3>Resolved configuration</h3><pre class=\"yaml\">" << esc(p.resolvedYaml)
          << "</pre>";
    h << "</section>";
}

void writePage(const std::string& html, const std::string& path, bool force) {
    AtomicOutput out(path, force);
    writeWholeFile(out.tempPath(), html, false);
    out.commit();
}

}  // namespace rotor::report::html
