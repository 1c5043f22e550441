// SPDX-License-Identifier: MIT
#include "engine/data/price_source.hpp"

namespace rotor {

std::string expandAssetPattern(const std::string& pattern, const std::string& asset) {
    std::string out = pattern;
    const std::string key = "{asset}";
    for (auto pos = out.find(key); pos != std::string::npos;
         pos = out.find(key, pos + asset.size()))
        out.replace(pos, key.size(), asset);
    return out;
}

std::string PriceSource::fileOf(const std::string& asset) const {
    return table.empty() ? expandAssetPattern(pattern, asset) : table;
}

std::vector<TimeSeries> readPrices(DataStore& data, const PriceSource& source,
                                   const std::vector<std::string>& assets) {
    std::vector<TimeSeries> out;
    out.reserve(assets.size());
    if (source.table.empty()) {
        for (const auto& a : assets)
            out.push_back(data.priceSeries(expandAssetPattern(source.pattern, a), a, source.column,
                                           ReadWindow{{}, false, source.missing}));
        return out;
    }
    PriceTableOptions opt;
    opt.columns = assets;
    opt.window.missing = source.missing;
    const PriceTable& t = data.priceTable(source.table, opt);
    for (std::size_t j = 0; j < t.assets.size(); ++j) {
        TimeSeries s;
        s.name = t.assets[j];
        s.file = source.table;
        s.dates = t.dates;
        s.values.resize(t.dates.size());
        for (std::size_t i = 0; i < t.dates.size(); ++i)
            s.values[i] = t.prices(static_cast<Index>(i), static_cast<Index>(j));
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace rotor
