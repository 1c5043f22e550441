// SPDX-License-Identifier: MIT
// The pieces every rotor HTML page shares: the head with its style sheet and the
// Content-Security-Policy that forbids any fetch or script, escaped text, number cells,
// key-value tables, the provenance section, and the atomic write.
#pragma once

#include "engine/report/file_provenance.hpp"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace rotor::report::html {

// HTML-escaped text (names, descriptions and YAML from a file are never trusted).
std::string esc(const std::string& s);

// printf-style number, "-" for NaN.
std::string fmt(double v, const char* format);

// <!DOCTYPE ...><head> with the style sheet, <body>, the <h1> title and the note naming the
// rotor that wrote the file (rotor_version, git_commit, created_utc root attributes) and the
// file it ran (scenario_file).
void pageStart(std::ostringstream& h, const std::string& title, const FileProvenance& p);

// <table class="CLS"> of key / value rows.
void keyValueTable(std::ostringstream& h,
                   const std::vector<std::pair<std::string, std::string>>& kv, const char* cls);

// <section class="provenance" id="provenance">: every root attribute (except `seed` when
// `showSeed` is false: nothing was drawn), the data files with their SHA-256, the YAML as given
// and resolved.
void provenanceSection(std::ostringstream& h, const FileProvenance& p, bool showSeed);

// Writes the page atomically (temporary, then rename); an existing `path` is refused
// (InputError) unless `force`.
void writePage(const std::string& html, const std::string& path, bool force);

}  // namespace rotor::report::html
