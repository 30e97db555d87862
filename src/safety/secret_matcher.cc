#include "safety/secret_matcher.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <map>

#include "core/error.h"
#include "safety/secret_allowlist.h"
#include "safety/secret_regex_shape.h"
#include "safety/secret_rule_analysis.h"
#include "safety/secret_text.h"
#include "safety/secret_vectorscan.h"

namespace omk::safety {
namespace {

// Reports of one rule closer than this are one candidate, confirmed by one regex pass.
constexpr size_t kMergeGap = 256;
// How far back an unbounded rule's match may start: rules that can cross lines look this far;
// single-line rules look back to the line start, but no further than this.
constexpr size_t kUnboundedSpan = 64 * 1024;
// Texts above vectorscan's block limit are scanned in blocks sharing this much.
constexpr size_t kBlockOverlap = 1 << 20;

enum class Mode { kVectorscan, kKeywordScan, kAlwaysScan, kPathOnly };

struct CompiledRule {
  Mode mode = Mode::kVectorscan;
  unsigned vectorscan_flags = 0;
  std::unique_ptr<LazyRegex> regex;
  std::unique_ptr<LazyRegex> path;
  int groups = 0;
  bool bounded = false;
  size_t max_width = 0;
  bool multiline = false;
  size_t min_width = 0;
  bool whole_match_is_secret = false;  // "(...)" with secretGroup 0 or 1
  std::string prefix;                  // leading_literal(regex)
  // Unbounded multi-line rules with a long leading literal (key blocks) put only that literal
  // in the vectorscan database; the regex is then matched forward from each occurrence. Their
  // full patterns made the whole database markedly slower.
  bool trigger = false;
  std::vector<uint32_t> keywords;
  std::vector<CompiledAllowlist> allowlists;
};

struct Candidate {
  uint32_t rule;
  size_t first_end;
  size_t last_end;
};

struct ScanState {
  uint32_t rule_count = 0;
  const std::vector<size_t>* fixed_width = nullptr;   // per rule; 0 when not fixed
  const std::vector<uint8_t>* trigger = nullptr;      // per rule; see CompiledRule::trigger
  std::vector<std::pair<uint32_t, size_t>> exact;     // fixed-width rules: (rule, match end)
  std::vector<std::pair<uint32_t, size_t>> triggers;  // trigger rules: (rule, literal end)
  size_t base = 0;                                    // offset of the current block in the text
  std::vector<Candidate> candidates;
  std::vector<int32_t> last_candidate;  // per rule, index into candidates or -1
  std::vector<uint8_t> keyword_seen;
};

int on_vectorscan_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                        unsigned int /*flags*/, void* context) {
  auto* state = static_cast<ScanState*>(context);
  size_t end = state->base + static_cast<size_t>(to);
  if (id >= state->rule_count) {
    state->keyword_seen[id - state->rule_count] = 1;
    return 0;
  }
  if ((*state->trigger)[id] != 0) {
    state->triggers.emplace_back(id, end);
    return 0;
  }
  if ((*state->fixed_width)[id] != 0) {
    // The match is exactly the last `width` bytes: no regex pass needed to find it.
    state->exact.emplace_back(id, end);
    return 0;
  }
  int32_t& last = state->last_candidate[id];
  if (last >= 0) {
    Candidate& candidate = state->candidates[static_cast<size_t>(last)];
    if (end <= candidate.last_end + kMergeGap) {
      candidate.last_end = std::max(candidate.last_end, end);
      return 0;
    }
  }
  last = static_cast<int32_t>(state->candidates.size());
  state->candidates.push_back({id, end, end});
  return 0;
}

}  // namespace

struct SecretMatcher::Impl {
  RuleSet rules;
  std::string name;
  std::vector<CompiledRule> compiled;
  std::vector<CompiledAllowlist> global_allowlists;
  std::vector<std::string> keywords;
  std::unique_ptr<VectorscanDatabase> database;
  std::vector<std::string> notes;
  std::map<size_t, std::string> rule_notes;  // the last word on how each rule was compiled
  std::vector<size_t> fixed_width;           // per rule, see ScanState
  std::vector<uint8_t> trigger;              // per rule, see CompiledRule::trigger
  bool cache_database = true;
  size_t max_span = 0;
  // Per rule, what compile() learnt, including demotions decided by build_database(): a start
  // with these cached reaches the same database without a failed compile first.
  std::vector<RuleAnalysis> analyses;

  void compile() {
    // A rule set compiled before (same patterns, same vectorscan) needs neither its RE2s nor
    // vectorscan's analyses now; see secret_rule_analysis.h.
    std::optional<std::vector<RuleAnalysis>> cached;
    if (cache_database) cached = cached_rule_analysis(rules);
    const bool checked = cached.has_value();
    analyses.clear();
    std::map<std::string, uint32_t> keyword_index;
    for (size_t i = 0; i < rules.rules.size(); ++i) {
      const SecretRule& rule = rules.rules[i];
      std::string where = fmt::format("{}: rule '{}'", name, rule.id);
      CompiledRule cr;
      if (!rule.path.empty()) {
        cr.path = std::make_unique<LazyRegex>(rule.path, !checked, where + " path");
      }
      for (const RuleAllowlist& list : rule.allowlists) {
        cr.allowlists.push_back(compile_allowlist(list, where, checked));
      }
      for (const std::string& keyword : rule.keywords) {
        auto [it, inserted] =
            keyword_index.emplace(keyword, static_cast<uint32_t>(keywords.size()));
        if (inserted) keywords.push_back(keyword);
        cr.keywords.push_back(it->second);
      }
      RuleAnalysis analysis = checked ? (*cached)[i] : RuleAnalysis{};
      if (rule.regex.empty()) {
        cr.mode = Mode::kPathOnly;
        compiled.push_back(std::move(cr));
        analyses.push_back(analysis);
        continue;
      }
      cr.regex = std::make_unique<LazyRegex>(rule.regex, !checked, where);
      if (!checked) analysis.groups = cr.regex->capturing_groups();
      cr.groups = analysis.groups;
      if (rule.secret_group > cr.groups) {
        throw usage_error(fmt::format("{}: secretGroup {} but the regex has only {} group(s)",
                                      where, rule.secret_group, cr.groups));
      }
      cr.multiline = may_cross_lines(rule.regex);
      cr.prefix = leading_literal(rule.regex);
      cr.whole_match_is_secret =
          rule.secret_group <= 1 && is_one_group(strip_word_boundaries(rule.regex));
      if (!checked) {
        analysis.exact = vectorscan_expression_info(rule.regex, 0);
        if (!analysis.exact.ok) {
          analysis.prefilter = vectorscan_expression_info(rule.regex, HS_FLAG_PREFILTER);
        }
      }
      analyses.push_back(analysis);
      VectorscanExpressionInfo info = analysis.exact;
      if (!info.ok) {
        const VectorscanExpressionInfo& prefilter = analysis.prefilter;
        if (prefilter.ok) {
          rule_notes[i] =
              fmt::format("{}: vectorscan runs it in pre-filter mode ({})", where, info.error);
          cr.vectorscan_flags = HS_FLAG_PREFILTER;
          info = prefilter;
        } else {
          demote(cr, i, where, info.error);
        }
      }
      if (info.ok) {
        cr.bounded = info.max_width != UINT_MAX;
        cr.max_width = cr.bounded ? info.max_width : 0;
      }
      if (info.ok) cr.min_width = info.min_width;
      cr.trigger = cr.mode == Mode::kVectorscan && cr.vectorscan_flags == 0 && !cr.bounded &&
                   cr.multiline && cr.prefix.size() >= 7;
      compiled.push_back(std::move(cr));
    }
    for (const RuleAllowlist& list : rules.allowlists) {
      CompiledAllowlist compiled_list = compile_allowlist(list, name + ": global", checked);
      for (const std::string& id : list.target_rules) {
        for (size_t i = 0; i < rules.rules.size(); ++i) {
          if (rules.rules[i].id == id) compiled_list.rules.push_back(static_cast<uint32_t>(i));
        }
      }
      global_allowlists.push_back(std::move(compiled_list));
    }
    build_database();
    if (cache_database && !checked) save_rule_analysis(rules, analyses);
    for (const CompiledRule& cr : compiled) {
      // Exact vectorscan patterns of one fixed width whose whole match is the secret
      // (\b(ghp_[A-Za-z0-9]{36})\b): the match is known from its end alone.
      bool fixed = cr.mode == Mode::kVectorscan && cr.vectorscan_flags == 0 && cr.bounded &&
                   cr.min_width == cr.max_width && cr.whole_match_is_secret && cr.max_width > 0;
      fixed_width.push_back(fixed ? cr.max_width : 0);
      trigger.push_back(cr.trigger ? 1 : 0);
    }
    for (const auto& entry : rule_notes) notes.push_back(entry.second);
    for (const CompiledRule& cr : compiled) {
      size_t span = cr.bounded ? std::min<size_t>(cr.max_width, kUnboundedSpan) : kUnboundedSpan;
      if (cr.mode != Mode::kPathOnly) max_span = std::max(max_span, span);
    }
  }

  void demote(CompiledRule& cr, size_t index, const std::string& where, const std::string& reason) {
    if (!cr.keywords.empty()) {
      cr.mode = Mode::kKeywordScan;
      rule_notes[index] = (fmt::format(
          "{}: vectorscan cannot take the regex ({}); it runs with RE2 on texts holding one of "
          "its keywords",
          where, reason));
    } else {
      cr.mode = Mode::kAlwaysScan;
      rule_notes[index] = (fmt::format(
          "{}: vectorscan cannot take the regex ({}) and the rule has no keywords; it runs with "
          "RE2 on every text, which is slow",
          where, reason));
    }
  }

  void build_database() {
    const auto rule_count = static_cast<unsigned>(compiled.size());
    for (;;) {
      std::vector<VectorscanPattern> patterns;
      std::vector<int> rule_of_pattern;
      for (unsigned i = 0; i < rule_count; ++i) {
        if (compiled[i].mode != Mode::kVectorscan) continue;
        if (compiled[i].trigger) {
          patterns.push_back({literal_expression(compiled[i].prefix), HS_FLAG_CASELESS, i, false});
        } else {
          patterns.push_back({rules.rules[i].regex, compiled[i].vectorscan_flags, i, false});
        }
        rule_of_pattern.push_back(static_cast<int>(i));
      }
      for (unsigned k = 0; k < keywords.size(); ++k) {
        patterns.push_back({literal_expression(keywords[k]), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH,
                            rule_count + k, false});
        rule_of_pattern.push_back(-1);
      }
      if (patterns.empty()) return;
      int failed = -1;
      std::string error;
      // The cache is keyed by exactly these patterns, so a set reached after demotions caches
      // under its own key.
      database = cache_database ? compile_vectorscan_cached(patterns, &failed, &error)
                                : compile_vectorscan(patterns, &failed, &error);
      if (database) return;
      if (failed < 0 || rule_of_pattern[static_cast<size_t>(failed)] < 0) {
        throw usage_error(fmt::format("{}: vectorscan cannot compile the rules: {}", name, error));
      }
      auto index = static_cast<size_t>(rule_of_pattern[static_cast<size_t>(failed)]);
      CompiledRule& cr = compiled[index];
      std::string where = fmt::format("{}: rule '{}'", name, rules.rules[index].id);
      RuleAnalysis& analysis = analyses[index];
      if (cr.vectorscan_flags == 0) {
        rule_notes[index] =
            fmt::format("{}: vectorscan runs it in pre-filter mode ({})", where, error);
        cr.vectorscan_flags = HS_FLAG_PREFILTER;
        analysis.prefilter = analysis.exact;  // the widths stay the exact expression's
        analysis.exact.ok = false;
        analysis.exact.error = error;
      } else {
        demote(cr, index, where, error);
        analysis.exact.ok = analysis.prefilter.ok = false;
        analysis.exact.error = analysis.prefilter.error = error;
      }
    }
  }

  // The window a candidate's confirmation searches: [start, end).
  size_t window_start(const CompiledRule& cr, std::string_view text, size_t first_end) const {
    if (cr.bounded) return first_end > cr.max_width ? first_end - cr.max_width : 0;
    size_t floor = first_end > kUnboundedSpan ? first_end - kUnboundedSpan : 0;
    if (cr.multiline || first_end == 0) return floor;
    const void* newline = ::memrchr(text.data() + floor, '\n', first_end - 1 - floor);
    return newline == nullptr
               ? floor
               : static_cast<size_t>(static_cast<const char*>(newline) - text.data()) + 1;
  }

  // For a rule that crosses lines and has no length bound, where its match most likely starts:
  // the nearest keyword at or before first_end - min_width (the built-in multi-line rules start
  // with their keyword, the key block's header). npos when no keyword is there.
  size_t keyword_anchor(const CompiledRule& cr, std::string_view text, size_t first_end) const {
    size_t floor = first_end > kUnboundedSpan ? first_end - kUnboundedSpan : 0;
    size_t limit = first_end > cr.min_width ? first_end - cr.min_width : 0;
    size_t best = std::string_view::npos;
    for (uint32_t k : cr.keywords) {
      size_t at = rfind_lowercase(text, keywords[k], floor, limit);
      if (at != std::string_view::npos && (best == std::string_view::npos || at > best)) best = at;
    }
    return best;
  }

  // Path conditions that switch a rule off for a whole file (OR allowlists with paths).
  bool rule_active_for_path(uint32_t rule, std::string_view path) const {
    const CompiledRule& cr = compiled[rule];
    if (cr.path) {
      re2::StringPiece piece(path.data(), path.size());
      if (path.empty() || !RE2::PartialMatch(piece, cr.path->get())) return false;
    }
    if (path.empty()) return true;
    for (const CompiledAllowlist& list : cr.allowlists) {
      if (list.condition == AllowlistCondition::kOr && matches_any(list.paths, path)) {
        return false;
      }
    }
    for (const CompiledAllowlist& list : global_allowlists) {
      if (list.condition == AllowlistCondition::kOr && !list.rules.empty() &&
          allowlist_applies(list, rule) && matches_any(list.paths, path)) {
        return false;
      }
    }
    return true;
  }

  void confirm(uint32_t rule, std::string_view text, size_t from, size_t to, std::string_view path,
               size_t& confirmed_until, std::vector<SecretMatch>& out) const {
    const CompiledRule& cr = compiled[rule];
    const SecretRule& def = rules.rules[rule];
    re2::StringPiece whole(text.data(), text.size());
    const RE2& regex = cr.regex->get();
    // One RE2 call finds the match and, when the secret is a group, the groups too.
    bool want_groups = cr.groups > 0 && !cr.whole_match_is_secret;
    std::vector<re2::StringPiece> groups(want_groups ? static_cast<size_t>(cr.groups) + 1 : 1);
    const int group_count = static_cast<int>(groups.size());
    size_t pos = std::max(from, confirmed_until);
    while (pos <= to) {
      if (!cr.prefix.empty()) {
        // Anchored tries where the literal every match starts with occurs: far cheaper for
        // RE2 than an unanchored search through long counted repetitions.
        size_t at = find_lowercase(text, cr.prefix, pos, to);
        if (at == std::string_view::npos) break;
        if (!regex.Match(whole, at, to, RE2::ANCHOR_START, groups.data(), group_count)) {
          pos = at + 1;
          continue;
        }
      } else if (!regex.Match(whole, pos, to, RE2::UNANCHORED, groups.data(), group_count)) {
        break;
      }
      const re2::StringPiece& found = groups[0];
      size_t start = static_cast<size_t>(found.data() - text.data());
      size_t end = start + found.size();
      pos = end > start ? end : start + 1;
      confirmed_until = std::max(confirmed_until, pos);
      SecretMatch m{rule, start, end, start, end, false};
      if (want_groups) {
        const re2::StringPiece* secret = nullptr;
        if (def.secret_group > 0) {
          secret = &groups[static_cast<size_t>(def.secret_group)];
          if (secret->data() == nullptr) continue;
        } else {
          for (size_t g = 1; g < groups.size(); ++g) {
            if (groups[g].data() != nullptr && !groups[g].empty()) {
              secret = &groups[g];
              break;
            }
          }
        }
        if (secret != nullptr) {
          m.secret_start = static_cast<size_t>(secret->data() - text.data());
          m.secret_end = m.secret_start + secret->size();
        }
      }
      if (accept(rule, text, m, path)) out.push_back(m);
    }
  }

  // The entropy threshold and the allowlists.
  bool accept(uint32_t rule, std::string_view text, const SecretMatch& m,
              std::string_view path) const {
    const CompiledRule& cr = compiled[rule];
    const SecretRule& def = rules.rules[rule];
    if (m.secret_end <= m.secret_start) return false;
    if (def.entropy > 0 && shannon_entropy(text.substr(
                               m.secret_start, m.secret_end - m.secret_start)) <= def.entropy) {
      return false;
    }
    for (const CompiledAllowlist& list : cr.allowlists) {
      if (allowlisted(list, text, m, path)) return false;
    }
    for (const CompiledAllowlist& list : global_allowlists) {
      if (allowlist_applies(list, rule) && allowlisted(list, text, m, path)) return false;
    }
    return true;
  }
};

SecretMatcher::SecretMatcher(RuleSet rules, std::string display_name, bool cache_database)
    : impl_(std::make_unique<Impl>()) {
  impl_->rules = std::move(rules);
  impl_->name = std::move(display_name);
  impl_->cache_database = cache_database;
  impl_->compile();
}

SecretMatcher::~SecretMatcher() = default;

const RuleSet& SecretMatcher::rules() const {
  return impl_->rules;
}

const std::vector<std::string>& SecretMatcher::notes() const {
  return impl_->notes;
}

size_t SecretMatcher::max_match_span() const {
  return impl_->max_span;
}

bool SecretMatcher::path_allowlisted(std::string_view path) const {
  for (const CompiledAllowlist& list : impl_->global_allowlists) {
    if (list.condition == AllowlistCondition::kOr && list.rules.empty() &&
        matches_any(list.paths, path)) {
      return true;
    }
  }
  return false;
}

std::vector<SecretMatch> SecretMatcher::find(std::string_view text, std::string_view path) const {
  const Impl& impl = *impl_;
  const auto rule_count = static_cast<uint32_t>(impl.compiled.size());
  ScanState state;
  state.rule_count = rule_count;
  state.fixed_width = &impl.fixed_width;
  state.trigger = &impl.trigger;
  state.last_candidate.assign(rule_count, -1);
  state.keyword_seen.assign(impl.keywords.size(), 0);
  if (impl.database) {
    size_t offset = 0;
    do {
      size_t length = std::min(VectorscanDatabase::kMaxBlock, text.size() - offset);
      state.base = offset;
      impl.database->scan(text.substr(offset, length), on_vectorscan_match, &state);
      if (offset + length >= text.size()) break;
      offset += length - kBlockOverlap;
    } while (true);
  }

  std::vector<uint8_t> active(rule_count, 0);
  std::vector<SecretMatch> found;
  for (uint32_t r = 0; r < rule_count; ++r) {
    const CompiledRule& cr = impl.compiled[r];
    bool keyword_ok = cr.keywords.empty();
    for (uint32_t k : cr.keywords) keyword_ok = keyword_ok || state.keyword_seen[k] != 0;
    active[r] = keyword_ok && impl.rule_active_for_path(r, path) ? 1 : 0;
    if (!active[r]) continue;
    if (cr.mode == Mode::kPathOnly) {
      if (!path.empty()) found.push_back({r, 0, 0, 0, 0, true});
    } else if (cr.mode == Mode::kKeywordScan || cr.mode == Mode::kAlwaysScan) {
      size_t until = 0;
      impl.confirm(r, text, 0, text.size(), path, until, found);
    }
  }
  for (const auto& [rule, end] : state.exact) {
    if (!active[rule]) continue;
    size_t width = impl.fixed_width[rule];
    SecretMatch m{rule, end - width, end, end - width, end, false};
    if (impl.accept(rule, text, m, path)) found.push_back(m);
  }
  std::vector<size_t> confirmed_until(rule_count, 0);
  for (const auto& [rule, end] : state.triggers) {
    if (!active[rule]) continue;
    size_t from = end - impl.compiled[rule].prefix.size();
    size_t to = std::min(text.size(), from + kUnboundedSpan);
    impl.confirm(rule, text, from, to, path, confirmed_until[rule], found);
  }
  for (const Candidate& candidate : state.candidates) {
    if (!active[candidate.rule]) continue;
    const CompiledRule& cr = impl.compiled[candidate.rule];
    size_t to = std::min(candidate.last_end, text.size());
    if (cr.multiline && !cr.bounded) {
      // Read from the likely start first; fall back to the whole window only when that finds
      // nothing (a user rule whose keyword sits outside its match).
      size_t anchor = impl.keyword_anchor(cr, text, candidate.first_end);
      size_t before = found.size();
      if (anchor != std::string_view::npos) {
        // The match may start earlier on the keyword's line ("-----BEGIN RSA " before
        // "PRIVATE KEY"); read from that line's start.
        size_t floor =
            candidate.first_end > kUnboundedSpan ? candidate.first_end - kUnboundedSpan : 0;
        if (anchor > floor) {
          const void* newline = ::memrchr(text.data() + floor, '\n', anchor - floor);
          anchor = newline == nullptr
                       ? floor
                       : static_cast<size_t>(static_cast<const char*>(newline) - text.data()) + 1;
        }
        impl.confirm(candidate.rule, text, anchor, to, path, confirmed_until[candidate.rule],
                     found);
        if (found.size() > before) continue;
      }
    }
    size_t from = impl.window_start(cr, text, candidate.first_end);
    impl.confirm(candidate.rule, text, from, to, path, confirmed_until[candidate.rule], found);
  }

  std::sort(found.begin(), found.end(), [](const SecretMatch& a, const SecretMatch& b) {
    if (a.secret_start != b.secret_start) return a.secret_start < b.secret_start;
    return a.rule < b.rule;
  });
  std::vector<SecretMatch> kept;
  for (const SecretMatch& m : found) {
    if (!kept.empty() && !m.path_only && !kept.back().path_only &&
        m.secret_start < kept.back().secret_end) {
      if (m.rule < kept.back().rule) kept.back() = m;
      continue;
    }
    if (!kept.empty() && m.path_only && kept.back().path_only && kept.back().rule == m.rule) {
      continue;
    }
    kept.push_back(m);
  }
  return kept;
}

}  // namespace omk::safety
