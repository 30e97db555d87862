#include "safety/secret_allowlist.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "safety/secret_text.h"

namespace omk::safety {
namespace {

// Each pattern is checked alone first, so an error names the one that is wrong.
std::unique_ptr<LazyRegex> compile_alternation(const std::vector<std::string>& patterns,
                                               const std::string& where, bool checked) {
  if (patterns.empty()) return nullptr;
  std::string joined;
  for (const std::string& pattern : patterns) {
    if (!checked) compile_regex(pattern, where);
    joined += (joined.empty() ? "(?:" : "|(?:") + pattern + ")";
  }
  return std::make_unique<LazyRegex>(joined, !checked, where);
}

}  // namespace

RE2::Options regex_options() {
  RE2::Options options;
  // Bytes, as vectorscan sees them: a stray non-UTF-8 byte must not hide a match.
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_max_mem(int64_t{64} << 20);
  return options;
}

std::unique_ptr<RE2> compile_regex(const std::string& pattern, const std::string& where) {
  auto regex = std::make_unique<RE2>(pattern, regex_options());
  if (!regex->ok()) {
    throw usage_error(
        fmt::format("{}: regex is not valid (RE2/Go syntax): {}", where, regex->error()));
  }
  return regex;
}

LazyRegex::LazyRegex(std::string pattern, bool check_now, const std::string& where)
    : pattern_(std::move(pattern)) {
  if (check_now) std::call_once(once_, [&] { regex_ = compile_regex(pattern_, where); });
}

const RE2& LazyRegex::get() const {
  std::call_once(once_, [this] { regex_ = std::make_unique<RE2>(pattern_, regex_options()); });
  return *regex_;
}

CompiledAllowlist compile_allowlist(const RuleAllowlist& list, const std::string& where,
                                    bool checked) {
  CompiledAllowlist out;
  out.condition = list.condition;
  out.target = list.target;
  out.regexes = compile_alternation(list.regexes, where + " allowlist", checked);
  out.paths = compile_alternation(list.paths, where + " allowlist path", checked);
  out.stopwords = list.stopwords;
  return out;
}

bool matches_any(const std::unique_ptr<LazyRegex>& regex, std::string_view text) {
  if (!regex) return false;
  re2::StringPiece piece(text.data(), text.size());
  return RE2::PartialMatch(piece, regex->get());
}

bool allowlisted(const CompiledAllowlist& list, std::string_view text, const SecretMatch& m,
                 std::string_view path) {
  std::string_view secret = text.substr(m.secret_start, m.secret_end - m.secret_start);
  std::string_view target = secret;
  if (list.target == AllowlistTarget::kMatch) {
    target = text.substr(m.start, m.end - m.start);
  } else if (list.target == AllowlistTarget::kLine) {
    size_t begin = line_start(text, m.start);
    size_t finish = line_end(text, m.end > m.start ? m.end - 1 : m.end);
    target = text.substr(begin, finish - begin);
  }
  bool regex_hit = matches_any(list.regexes, target);
  bool stopword_hit =
      std::any_of(list.stopwords.begin(), list.stopwords.end(),
                  [&](const std::string& word) { return contains_lowercase(secret, word); });
  if (list.condition == AllowlistCondition::kOr) return regex_hit || stopword_hit;
  bool any_check = false;
  if (list.paths) {
    any_check = true;
    if (path.empty() || !matches_any(list.paths, path)) return false;
  }
  if (list.regexes) {
    any_check = true;
    if (!regex_hit) return false;
  }
  if (!list.stopwords.empty()) {
    any_check = true;
    if (!stopword_hit) return false;
  }
  return any_check;
}

bool allowlist_applies(const CompiledAllowlist& list, uint32_t rule) {
  return list.rules.empty() ||
         std::find(list.rules.begin(), list.rules.end(), rule) != list.rules.end();
}

}  // namespace omk::safety
