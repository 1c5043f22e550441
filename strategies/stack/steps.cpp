// SPDX-License-Identifier: MIT
// The built-in stack steps: one add() per building block, each naming its phase and parameters
// (the parameters are also the keys the stack parser accepts for the step).
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/select.hpp"
#include "engine/strategy/algos/valuation.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "strategies/common/params.hpp"
#include "strategies/stack/stack.hpp"

#include <algorithm>
#include <sstream>

namespace rotor::strategies {

namespace {

// Parameter readers: a bare step name (a scalar) has only defaults.
long optInt(const ConfigNode& step, const char* key, long dflt, long lo, long hi) {
    return step.isMap() && step.has(key) ? step.at(key).asIntIn(lo, hi) : dflt;
}
double optDouble(const ConfigNode& step, const char* key, double dflt, double lo, double hi) {
    return step.isMap() && step.has(key) ? step.at(key).asDoubleIn(lo, hi) : dflt;
}
bool optBool(const ConfigNode& step, const char* key, bool dflt) {
    return step.isMap() && step.has(key) ? step.at(key).asBool() : dflt;
}
// A number in the open-closed interval (0, hi], located at the key when it is 0.
double positive(const ConfigNode& step, const char* key, double dflt, double hi) {
    const double v = optDouble(step, key, dflt, 0.0, hi);
    if (v <= 0.0) {
        std::ostringstream os;
        os << "expected a number in (0, " << hi << "], found " << v;
        step.at(key).fail(os.str());
    }
    return v;
}

ConfigNode nameOf(const ConfigNode& step) { return step.isMap() ? step.at("step") : step; }

void setPeriod(const ConfigNode& step, StackDraft& d, Period p) {
    if (d.period || d.everyDays > 0)
        nameOf(step).fail(
            "the stack already has a calendar schedule (one of never ... yearly, "
            "every_days)");
    d.period = p;
}

// Ranking and filter steps work on the assets listed by an earlier select step.
void needAssets(const ConfigNode& step, const StackDraft& d) {
    if (d.select.empty())
        nameOf(step).fail("step '" + nameOf(step).asString() +
                          "' narrows the selection: list assets first (select_all or "
                          "select_assets)");
}
// A filter may swap any slot for the safe asset: one more distinct asset at most.
void fallbackMayAdd(StackDraft& d) {
    if (d.safeAsset != kCash) d.maxHeld = std::min(d.maxHeld + 1, d.universe->size());
}
void needNoWeigh(const ConfigNode& step, const StackDraft& d) {
    if (d.weigh)
        nameOf(step).fail(
            "the stack already has a weigh step; only target_volatility may "
            "follow one");
}

StrategyParameter lookbackParam(const char* dflt, const char* rule) {
    return {"lookback", "integer", dflt[0] == '\0', dflt, rule};
}

// `base` followed by `more`: a step's own keys after those it shares with others.
std::vector<StrategyParameter> withParams(std::vector<StrategyParameter> base,
                                          std::vector<StrategyParameter> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
}

// The two asset sets of a rate condition (rate_regime, rate_falling): easing_assets, and
// other_assets (none: the safe asset, or cash). Both conditions hold one set at a time.
std::vector<StrategyParameter> rateSetParams() {
    return {{"easing_assets", "asset list", true, "", "held while the rate falls"},
            {"other_assets", "asset list", false, "",
             "held otherwise (none: the safe asset, or cash)"},
            {"lookback", "integer", true, "", "[1, 100000] trading days"}};
}
struct RateSets {
    std::vector<Index> easing, other;
};
RateSets rateSets(const ConfigNode& step, StackDraft& d) {
    RateSets sets{parseAssetList(step.at("easing_assets"), *d.universe), {}};
    if (step.has("other_assets")) sets.other = parseAssetList(step.at("other_assets"), *d.universe);
    d.maxHeld = static_cast<Index>(
        std::max<std::size_t>(sets.easing.size(), std::max<std::size_t>(sets.other.size(), 1)));
    return sets;
}
StrategyParameter skipParam() {
    return {"skip", "integer", false, "0", "[0, 100000] most recent trading days left out"};
}

void addPeriod(StackStepRegistry& r, const char* name, Period p, const char* summary) {
    r.add({name, StepPhase::Schedule, summary, {}, [p](const ConfigNode& step, StackDraft& d) {
               setPeriod(step, d, p);
           }});
}

RankScore parseRankScore(const ConfigNode& step) {
    if (!step.isMap() || !step.has("score")) return RankScore::Return;
    const ConfigNode node = step.at("score");
    const std::string v = node.asString();
    for (RankScore s : {RankScore::Return, RankScore::RiskAdjusted})
        if (v == rankScoreName(s)) return s;
    node.fail("unknown score '" + v + "' (known: return, risk_adjusted)");
}

void addMomentumRank(StackStepRegistry& r, const char* name, bool top) {
    r.add({name,
           StepPhase::Select,
           top ? "keep the k highest scores (lookback return) of the selection (min(k, N) of N)"
               : "keep the k lowest scores (lookback return) of the selection (min(k, N) of N)",
           {lookbackParam("", "[1, 100000] trading days ([2, 100000] when risk_adjusted)"),
            skipParam(),
            {"k", "integer", false, "1", "[1, 100000] assets kept; more than selected keeps all"},
            {"score", "string", false, "return",
             "return (lookback return) or risk_adjusted (return / annualised volatility)"}},
           [top](const ConfigNode& step, StackDraft& d) {
               needAssets(step, d);
               const RankScore score = parseRankScore(step);
               const long lookback =
                   step.at("lookback").asIntIn(score == RankScore::RiskAdjusted ? 2 : 1, 100000);
               const long skip = optInt(step, "skip", 0, 0, 100000);
               const long k = optInt(step, "k", 1, 1, 100000);
               if (top)
                   d.select.push_back(
                       std::make_shared<SelectTopMomentum>(lookback, skip, k, d.safeAsset, score));
               else
                   d.select.push_back(std::make_shared<SelectBottomMomentum>(lookback, skip, k,
                                                                             d.safeAsset, score));
               d.maxHeld = std::min<Index>(d.maxHeld, k);
               d.ranked = true;
               fallbackMayAdd(d);
           }});
}

void addRiskWeigh(StackStepRegistry& r, const char* name, RiskWeights::Rule rule,
                  const char* summary) {
    r.add({name,
           StepPhase::Weigh,
           summary,
           {lookbackParam("63", "[2, 100000] daily returns in the covariance")},
           [rule](const ConfigNode& step, StackDraft& d) {
               needNoWeigh(step, d);
               d.weigh = std::make_shared<RiskWeights>(rule,
                                                       optInt(step, "lookback", 63, 2, 100000));
           }});
}

}  // namespace

void registerBuiltinSteps(StackStepRegistry& r) {
    // ---- schedule
    addPeriod(r, "never", Period::Never, "trade on day 0 only");
    addPeriod(r, "daily", Period::Daily, "trade every day (but the last)");
    addPeriod(r, "weekly", Period::Weekly, "trade on the last trading day of each week");
    addPeriod(r, "monthly", Period::Monthly, "trade on the last trading day of each month");
    addPeriod(r, "quarterly", Period::Quarterly, "trade on the last trading day of each quarter");
    addPeriod(r, "yearly", Period::Yearly, "trade on the last trading day of each year");
    r.add({"every_days",
           StepPhase::Schedule,
           "trade on days 0, n, 2n, ...",
           {{"days", "integer", true, "", "[1, 1000000] trading days"}},
           [](const ConfigNode& step, StackDraft& d) {
               if (d.period || d.everyDays > 0)
                   nameOf(step).fail("the stack already has a calendar schedule");
               d.everyDays = step.at("days").asIntIn(1, 1000000);
           }});
    r.add(
        {"drift_band",
         StepPhase::Schedule,
         "also trade when a weight drifts more than band from its last target",
         {{"band", "number", true, "", "(0, 1]"}},
         [](const ConfigNode& step, StackDraft& d) { d.band = positive(step, "band", 0.0, 1.0); }});
    r.add({"on_signal_change",
           StepPhase::Schedule,
           "on a due day (daily without another schedule) trade only if the selection changed",
           {},
           [](const ConfigNode&, StackDraft& d) { d.onSignalChange = true; }});

    // ---- select
    r.add({"select_all",
           StepPhase::Select,
           "select every universe column, in universe order",
           {},
           [](const ConfigNode&, StackDraft& d) {
               std::vector<Index> all;
               for (Index i = 0; i < d.universe->size(); ++i) all.push_back(i);
               d.select.push_back(std::make_shared<SelectAssets>(all));
               d.maxHeld = d.universe->size();
           }});
    r.add({"select_assets",
           StepPhase::Select,
           "select a fixed list of assets, in list order",
           {{"assets", "asset list", true, "", "distinct names, or all (every universe column)"}},
           [](const ConfigNode& step, StackDraft& d) {
               const auto assets = parseAssetList(step.at("assets"), *d.universe);
               d.select.push_back(std::make_shared<SelectAssets>(assets));
               d.maxHeld = static_cast<Index>(assets.size());
           }});
    addMomentumRank(r, "top_momentum", true);
    addMomentumRank(r, "bottom_momentum", false);
    r.add({"absolute_momentum",
           StepPhase::Select,
           "send each selected asset whose lookback return trails cash to safe_asset",
           {lookbackParam("", "[1, 100000] trading days"), skipParam()},
           [](const ConfigNode& step, StackDraft& d) {
               needAssets(step, d);
               d.select.push_back(std::make_shared<FilterAbsoluteMomentum>(
                   step.at("lookback").asIntIn(1, 100000), optInt(step, "skip", 0, 0, 100000),
                   d.safeAsset));
               fallbackMayAdd(d);
           }});
    r.add({"trend_filter",
           StepPhase::Select,
           "keep a selected asset while its close is above its moving average, else safe_asset",
           {{"window", "integer", true, "", "[2, 100000] closes in the moving average"}},
           [](const ConfigNode& step, StackDraft& d) {
               needAssets(step, d);
               d.select.push_back(std::make_shared<FilterTrend>(
                   step.at("window").asIntIn(2, 100000), d.safeAsset));
               fallbackMayAdd(d);
           }});

    r.add({"rate_regime", StepPhase::Select,
           "select easing_assets while the policy rate has fallen by enter_bp over the lookback "
           "(until the fall is below exit_bp), else other_assets",
           withParams(rateSetParams(),
                      {{"enter_bp", "number", true, "",
                        "(0, 10000] fall that starts easing, basis points"},
                       {"exit_bp", "number", false, "",
                        "[0, enter_bp] fall below which easing ends (none: enter_bp, no "
                        "hysteresis)"}}),
           [](const ConfigNode& step, StackDraft& d) {
               const RateSets sets = rateSets(step, d);
               const long lookback = step.at("lookback").asIntIn(1, 100000);
               const double enter = positive(step, "enter_bp", 0.0, 10000.0);
               const double exit = optDouble(step, "exit_bp", enter, 0.0, enter);
               d.select.push_back(std::make_shared<SelectRateRegimeBand>(
                   sets.easing, sets.other, lookback, enter, exit, d.safeAsset, d.memorySize));
               d.memorySize += 2;
           }});

    r.add({"valuation_spread",
           StepPhase::Select,
           "select `small` while its valuation discount to `large` has a z-score >= enter_z "
           "over the window (until it is below exit_z), else `large`",
           {{"small", "asset", true, "", "held while its discount is wide; needs a valuation"},
            {"large", "asset", true, "", "held otherwise; needs a valuation"},
            {"window", "integer", false, "756", "[2, 100000] trading days of the z-score"},
            {"enter_z", "number", false, "1", "[-10, 10] z-score that moves to `small`"},
            {"exit_z", "number", false, "0",
             "[-10, enter_z] z-score below which it moves back to `large` (default 0, or enter_z "
             "when lower)"}},
           [](const ConfigNode& step, StackDraft& d) {
               Index side[2] = {kCash, kCash};
               const char* keys[2] = {"small", "large"};
               for (int i = 0; i < 2; ++i) {
                   const ConfigNode node = step.at(keys[i]);
                   side[i] = parseAsset(node, *d.universe);
                   const std::string& name = d.universe->assets[static_cast<std::size_t>(side[i])];
                   if (!d.universe->hasValuation(name))
                       node.fail("no valuation series for '" + name +
                                 "' in this scenario (universe.valuation, docs/data.md)");
               }
               if (side[0] == side[1])
                   step.at("large").fail("expected an asset other than `small`");
               const long window = optInt(step, "window", 756, 2, 100000);
               const double enter = optDouble(step, "enter_z", 1.0, -10.0, 10.0);
               const double exit = optDouble(step, "exit_z", std::min(enter, 0.0), -10.0, enter);
               d.select.push_back(std::make_shared<SelectValuationSpread>(
                   side[0], side[1], window, enter, exit, d.safeAsset, d.memorySize));
               d.memorySize += 2;
               d.maxHeld = 1;
           }});
    r.add({"rate_falling", StepPhase::Select,
           "select easing_assets on a day the policy rate is more than threshold_bp below its "
           "level lookback days earlier, else other_assets (no memory: the rate_regime preset)",
           withParams(rateSetParams(),
                      {{"threshold_bp", "number", false, "0", "[0, 10000] basis points of fall"}}),
           [](const ConfigNode& step, StackDraft& d) {
               const RateSets sets = rateSets(step, d);
               const long lookback = step.at("lookback").asIntIn(1, 100000);
               const double threshold = optDouble(step, "threshold_bp", 0.0, 0.0, 10000.0);
               d.select.push_back(std::make_shared<SelectRateRegime>(
                   sets.easing, sets.other, lookback, threshold, d.safeAsset));
           }});

    // ---- weigh
    r.add({"weigh_equal",
           StepPhase::Weigh,
           "1 / (number of slots) each; cash slots stay cash",
           {},
           [](const ConfigNode& step, StackDraft& d) {
               needNoWeigh(step, d);
               d.weigh = std::make_shared<EqualWeight>();
           }});
    r.add({"weigh_fixed",
           StepPhase::Weigh,
           "each selected asset gets its fixed weight",
           {{"weights", "weights", true, "", "map {asset: weight}; each >= 0, sum <= 3"}},
           [](const ConfigNode& step, StackDraft& d) {
               needNoWeigh(step, d);
               const Vector w = parseWeights(step.at("weights"), *d.universe);
               d.weigh = std::make_shared<FixedWeights>(w);
               d.maxGross = std::max(d.maxGross, w.sum());
           }});
    r.add({"score_proportional",
           StepPhase::Weigh,
           "weights proportional to the positive scores of the last ranking step",
           {},
           [](const ConfigNode& step, StackDraft& d) {
               needNoWeigh(step, d);
               if (!d.ranked)
                   nameOf(step).fail(
                       "score_proportional weighs by ranking scores: put top_momentum or "
                       "bottom_momentum before it");
               d.weigh = std::make_shared<ScoreProportional>(d.safeAsset);
               fallbackMayAdd(d);
           }});
    addRiskWeigh(r, "inverse_volatility", RiskWeights::Rule::InverseVolatility,
                 "weights proportional to 1 / volatility of daily returns");
    addRiskWeigh(r, "risk_parity", RiskWeights::Rule::RiskParity,
                 "equal risk contribution weights from the return covariance");
    addRiskWeigh(r, "min_variance", RiskWeights::Rule::MinimumVariance,
                 "long-only minimum variance weights from the return covariance");
    r.add({"target_volatility",
           StepPhase::Weigh,
           "scale the weights to an annualised volatility target, capped at max_leverage",
           {{"target", "number", true, "", "(0, 10] annualised volatility, e.g. 0.10"},
            lookbackParam("63", "[2, 100000] daily returns in the covariance"),
            {"max_leverage", "number", false, "1", "(0, 3] largest sum of weights"}},
           [](const ConfigNode& step, StackDraft& d) {
               if (!d.weigh)
                   nameOf(step).fail(
                       "target_volatility scales weights: put a weigh step "
                       "before it");
               const double target = positive(step, "target", 0.0, 10.0);
               const double cap = positive(step, "max_leverage", 1.0, kMaxGrossWeight);
               d.constrain.push_back(std::make_shared<TargetVolatility>(
                   target, optInt(step, "lookback", 63, 2, 100000), cap));
               d.maxGross = std::max(d.maxGross, cap);
           }});

    // ---- constrain
    r.add({"max_weight",
           StepPhase::Constrain,
           "cap each weight; the excess goes pro rata to the assets below the cap",
           {{"limit", "number", true, "", "(0, 1]"},
            {"allow_cash", "boolean", false, "false",
             "accept a cap that leaves equity in cash (selection size x limit < 1)"}},
           [](const ConfigNode& step, StackDraft& d) {
               const double limit = positive(step, "limit", 0.0, 1.0);
               const double reach = static_cast<double>(d.maxHeld) * limit;
               if (reach < 1.0 - 1e-12 && !optBool(step, "allow_cash", false)) {
                   std::ostringstream os;
                   os << "impossible: the selection holds at most " << d.maxHeld << " assets and "
                      << d.maxHeld << " x " << limit << " = " << reach
                      << " < 1; raise the limit or set allow_cash: true";
                   step.at("limit").fail(os.str());
               }
               d.constrain.push_back(std::make_shared<MaxWeight>(limit));
           }});
    r.add({"max_turnover",
           StepPhase::Constrain,
           "move only part of the way to the target so that one-way turnover is at most limit",
           {{"limit", "number", true, "", "(0, 3] largest one-way turnover per rebalance"}},
           [](const ConfigNode& step, StackDraft& d) {
               d.constrain.push_back(
                   std::make_shared<MaxTurnover>(positive(step, "limit", 0.0, kMaxGrossWeight)));
           }});
    r.add({"min_weight",
           StepPhase::Constrain,
           "drop weights below the limit, smallest first, scaling the rest up",
           {{"limit", "number", true, "", "(0, 1]"}},
           [](const ConfigNode& step, StackDraft& d) {
               d.constrain.push_back(
                   std::make_shared<MinWeight>(positive(step, "limit", 0.0, 1.0)));
           }});
    r.add({"leverage_limit",
           StepPhase::Constrain,
           "scale the weights down to a largest sum",
           {{"max", "number", true, "", "(0, 3] largest sum of weights"}},
           [](const ConfigNode& step, StackDraft& d) {
               d.constrain.push_back(
                   std::make_shared<GrossLimit>(positive(step, "max", 0.0, kMaxGrossWeight)));
           }});
    r.add({"cash_buffer",
           StepPhase::Constrain,
           "keep at least this fraction of equity in cash (scale the weights down)",
           {{"fraction", "number", true, "", "[0, 1)"}},
           [](const ConfigNode& step, StackDraft& d) {
               const double f = step.at("fraction").asDoubleIn(0.0, 1.0);
               if (f >= 1.0) step.at("fraction").fail("expected a number in [0, 1), found 1");
               d.constrain.push_back(std::make_shared<GrossLimit>(1.0 - f));
           }});
}

}  // namespace rotor::strategies
