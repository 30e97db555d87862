#include "safety/redactor.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "safety/env_names.h"
#include "safety/redact_stream.h"
#include "safety/secret_detect.h"
#include "safety/secret_text.h"
#include "safety/secret_vectorscan.h"

namespace omk::safety {
namespace {

// Shorter known values would redact ordinary words and numbers everywhere.
constexpr size_t kMinKnownLength = 8;

int on_known_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                   unsigned int /*flags*/, void* context) {
  auto* hits = static_cast<std::vector<std::pair<unsigned, size_t>>*>(context);
  hits->emplace_back(id, static_cast<size_t>(to));
  return 0;
}

const RE2& private_key_header() {
  static const RE2 header("-----BEGIN[ A-Z0-9_.-]{0,64}PRIVATE KEY(?: BLOCK)?-----");
  return header;
}

bool is_key_material_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (std::string_view header : {"Proc-Type:", "DEK-Info:", "Comment:", "Version:"}) {
    if (line.substr(0, header.size()) == header) return true;
  }
  return std::all_of(line.begin(), line.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=' || c == ' ' || c == '\t';
  });
}

// Where the key block starting with a header ending at `after` ends: its END line, or the
// last line of key material when the END line is missing (a truncated print still must not
// show the key).
size_t private_key_block_end(std::string_view text, size_t after) {
  // A JSON-escaped key ("-----BEGIN PRIVATE KEY-----\nMIIE...") sits on one line.
  if (text.substr(after, 2) == "\\n") {
    size_t quote = text.find('"', after);
    size_t eol = line_end(text, after);
    return std::min(quote == std::string_view::npos ? text.size() : quote, eol);
  }
  size_t pos = line_end(text, after);
  size_t end = pos;
  while (pos < text.size()) {
    size_t next = pos + 1;  // skip '\n'
    size_t eol = line_end(text, next);
    std::string_view line = text.substr(next, eol - next);
    if (line.substr(0, 8) == "-----END") {
      size_t dashes = line.find("-----", 8);
      return dashes == std::string_view::npos ? eol : next + dashes + 5;
    }
    if (!is_key_material_line(line)) break;
    end = eol;
    pos = eol;
  }
  return end;
}

}  // namespace

std::vector<KnownSecret> known_secrets_from_env(const EnvMap& env) {
  std::vector<KnownSecret> known;
  for (const auto& [name, value] : env) {
    if (value.size() < kMinKnownLength || shannon_entropy(value) < 2.0) continue;
    if (is_secret_like_name(name) || is_secret_value(value)) {
      known.push_back({"env:" + name, value});
    }
  }
  return known;
}

Redactor::Redactor(const SecretMatcher& matcher, std::vector<KnownSecret> known)
    : matcher_(matcher), known_(std::move(known)) {
  std::vector<VectorscanPattern> patterns;
  size_t longest = 0;
  for (size_t i = 0; i < known_.size(); ++i) {
    patterns.push_back({known_[i].value, 0, static_cast<unsigned>(i), true});
    longest = std::max(longest, known_[i].value.size());
  }
  if (!patterns.empty()) {
    int failed = -1;
    std::string error;
    known_database_ = compile_vectorscan(patterns, &failed, &error);
    if (!known_database_) throw std::runtime_error("cannot compile known secrets: " + error);
  }
  lookbehind_ = std::max(matcher_.max_match_span(), longest);
}

Redactor::~Redactor() = default;

std::vector<RedactionSpan> Redactor::spans(std::string_view text) const {
  std::vector<RedactionSpan> found;
  const RuleSet& rules = matcher_.rules();
  for (const SecretMatch& m : matcher_.find(text)) {
    if (m.path_only) continue;
    found.push_back({m.secret_start, m.secret_end, rules.rules[m.rule].id});
  }
  if (known_database_ && !text.empty()) {
    std::vector<std::pair<unsigned, size_t>> hits;
    for (size_t offset = 0; offset < text.size(); offset += VectorscanDatabase::kMaxBlock / 2) {
      size_t length = std::min(VectorscanDatabase::kMaxBlock, text.size() - offset);
      size_t before = hits.size();
      known_database_->scan(text.substr(offset, length), on_known_match, &hits);
      for (size_t i = before; i < hits.size(); ++i) hits[i].second += offset;
      if (offset + length >= text.size()) break;
    }
    for (const auto& [id, end] : hits) {
      found.push_back({end - known_[id].value.size(), end, known_[id].label});
    }
  }
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece header;
  size_t pos = 0;
  while (pos < text.size() &&
         private_key_header().Match(input, pos, text.size(), RE2::UNANCHORED, &header, 1)) {
    size_t start = static_cast<size_t>(header.data() - text.data());
    size_t end = private_key_block_end(text, start + header.size());
    found.push_back({start, end, "private-key"});
    pos = std::max(end, start + header.size());
  }

  std::sort(found.begin(), found.end(), [](const RedactionSpan& a, const RedactionSpan& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::vector<RedactionSpan> merged;
  for (RedactionSpan& span : found) {
    if (span.end <= span.start) continue;
    if (!merged.empty() && span.start < merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
      continue;
    }
    merged.push_back(std::move(span));
  }
  return merged;
}

std::string apply_redactions(std::string_view text, const std::vector<RedactionSpan>& spans) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const RedactionSpan& span : spans) {
    out.append(text.substr(pos, span.start - pos));
    out += fmt::format("[REDACTED:{}]", span.label);
    pos = span.end;
  }
  out.append(text.substr(pos));
  return out;
}

std::string Redactor::redact(std::string_view text) const {
  auto found = spans(text);
  if (found.empty()) return std::string(text);
  return apply_redactions(text, found);
}

std::unique_ptr<StreamFilter> Redactor::stream() const {
  return std::make_unique<RedactingStream>(*this);
}

namespace {

// The redactor, built on first use: a command that prints nothing (a hook allowing a tool call)
// never loads the secret rules. What it will know is fixed at installation (`env` is a copy).
class LazyRedactor {
 public:
  explicit LazyRedactor(EnvMap env) : env_(std::move(env)) {}

  const Redactor& get() {
    std::call_once(once_, [this] {
      try {
        redactor_ = std::make_unique<Redactor>(builtin_matcher(), known_secrets_from_env(env_));
      } catch (const std::exception& error) {
        // Nothing may be printed unredacted, so nothing more is printed at all.
        std::string message = "omk: error: cannot start the secret redactor: ";
        message += error.what();
        message += "\n";
        ssize_t ignored = ::write(2, message.data(), message.size());
        (void)ignored;
        std::_Exit(1);
      }
    });
    return *redactor_;
  }

 private:
  EnvMap env_;
  std::once_flag once_;
  std::unique_ptr<Redactor> redactor_;
};

std::atomic<LazyRedactor*> g_installed{nullptr};

}  // namespace

void install_redactor(const EnvMap& omk_env) {
  // Intentionally leaked: print filters run until the very end of the process, after static
  // destructors may have started.
  auto* lazy = new LazyRedactor(omk_env);
  g_installed.store(lazy);
  set_output_filter([lazy](std::string_view text) { return lazy->get().redact(text); });
  set_stream_filter_factory([lazy] { return lazy->get().stream(); });
}

const Redactor& installed_redactor() {
  LazyRedactor* lazy = g_installed.load();
  if (lazy == nullptr)
    throw std::logic_error("installed_redactor: install_redactor was not called");
  return lazy->get();
}

}  // namespace omk::safety
