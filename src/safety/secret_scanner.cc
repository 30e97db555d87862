#include "safety/secret_scanner.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "safety/redactor.h"
#include "safety/secret_files.h"
#include "safety/secret_text.h"

namespace omk::safety {
namespace {

// Like git: a NUL byte early in the file means binary.
constexpr size_t kBinaryProbe = 8000;
// Excerpts longer than this are cut around the first redaction.
constexpr size_t kExcerptMax = 160;
constexpr size_t kExcerptContext = 60;

bool looks_binary(std::string_view text) {
  return std::memchr(text.data(), '\0', std::min(text.size(), kBinaryProbe)) != nullptr;
}

size_t code_points(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

bool suppressed_inline(std::string_view lines) {
  return lines.find("omk:allow") != std::string_view::npos ||
         lines.find("gitleaks:allow") != std::string_view::npos;
}

// Walks line numbers forward through a text; matches are visited in start order.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {}
  size_t line_of(size_t offset) {
    if (offset < pos_) {  // rare: an earlier span (overlap resolution); count from the start
      pos_ = 0;
      line_ = 1;
    }
    // std::count over chars vectorises; a memchr per line would be one call per line.
    line_ +=
        static_cast<size_t>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                       text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    pos_ = offset;
    return line_;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

std::string excerpt_for(std::string_view text, const SecretMatch& match,
                        const std::vector<SecretMatch>& all, const RuleSet& rules) {
  size_t begin = line_start(text, match.start);
  size_t end = line_end(text, match.start);
  std::vector<RedactionSpan> spans;
  for (const SecretMatch& other : all) {
    if (other.path_only || other.secret_end <= begin || other.secret_start >= end) continue;
    spans.push_back({std::max(other.secret_start, begin) - begin,
                     std::min(other.secret_end, end) - begin, rules.rules[other.rule].id});
  }
  std::string_view line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (RedactionSpan& span : spans) span.end = std::min(span.end, line.size());
  std::string redacted = apply_redactions(line, spans);
  if (redacted.size() > kExcerptMax) {
    size_t marker = redacted.find("[REDACTED:");
    if (marker == std::string::npos) marker = 0;
    size_t from = marker > kExcerptContext ? marker - kExcerptContext : 0;
    size_t marker_end = redacted.find(']', marker);
    size_t to =
        std::min(redacted.size(),
                 (marker_end == std::string::npos ? marker : marker_end + 1) + kExcerptContext);
    redacted = (from > 0 ? "…" : "") + redacted.substr(from, to - from) +
               (to < redacted.size() ? "…" : "");
  }
  // Leading indentation says nothing.
  size_t first = redacted.find_first_not_of(" \t");
  if (first != std::string::npos) redacted.erase(0, first);
  return to_valid_utf8(redacted);
}

}  // namespace

std::string to_valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (valid && length == 2 && c < 0xC2) valid = false;  // overlong
    if (!valid || (length == 1 && c < 0x20 && c != '\t')) {
      out += '?';
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::vector<SecretFinding> scan_text(const SecretMatcher& matcher, std::string_view text,
                                     const std::string& path,
                                     const std::set<std::string>& ignored_fingerprints,
                                     ScanStats& stats) {
  std::vector<SecretFinding> findings;
  std::vector<SecretMatch> matches = matcher.find(text, path);
  if (matches.empty()) return findings;
  const RuleSet& rules = matcher.rules();
  LineCursor cursor(text);
  std::string shown_path = to_valid_utf8(path);
  for (const SecretMatch& m : matches) {
    const SecretRule& rule = rules.rules[m.rule];
    SecretFinding finding;
    finding.path = shown_path;
    finding.rule = rule.id;
    finding.description = rule.description;
    if (m.path_only) {
      finding.fingerprint = fmt::format("{}:{}:0", shown_path, rule.id);
      finding.excerpt = "(the file's path matches this rule)";
    } else {
      size_t begin = line_start(text, m.start);
      size_t last = m.end > m.start ? m.end - 1 : m.start;
      if (suppressed_inline(text.substr(begin, line_end(text, last) - begin))) {
        ++stats.suppressed_inline;
        continue;
      }
      finding.line = cursor.line_of(m.start);
      finding.column = code_points(text.substr(begin, m.start - begin)) + 1;
      finding.end_line =
          finding.line +
          static_cast<size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(m.start),
                                         text.begin() + static_cast<std::ptrdiff_t>(m.end), '\n'));
      size_t end_begin = line_start(text, m.end);
      finding.end_column = code_points(text.substr(end_begin, m.end - end_begin)) + 1;
      finding.fingerprint = fmt::format("{}:{}:{}", shown_path, rule.id, finding.line);
      finding.excerpt = excerpt_for(text, m, matches, rules);
    }
    if (ignored_fingerprints.count(finding.fingerprint) != 0) {
      ++stats.suppressed_ignored;
      continue;
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

ScanResult scan_paths(const SecretMatcher& matcher, const ScanOptions& options) {
  auto started = std::chrono::steady_clock::now();
  FileWalk walk = collect_files(options.paths, options.display_root, options.skip_directories);
  if (!walk.missing.empty()) {
    throw usage_error(
        fmt::format("{} does not exist; name files or directories to scan", walk.missing.front()));
  }
  ScanResult result;
  result.stats.skipped_git = walk.git_directories;
  result.stats.skipped_symlink = walk.symlinks;
  result.stats.skipped_unreadable = walk.unreadable;

  struct PerFile {
    std::vector<SecretFinding> findings;
    ScanStats stats;
  };
  std::vector<PerFile> per_file(walk.files.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (;;) {
      size_t index = next.fetch_add(1);
      if (index >= walk.files.size()) return;
      const FileToScan& file = walk.files[index];
      ScanStats& stats = per_file[index].stats;
      if (matcher.path_allowlisted(file.display)) {
        ++stats.skipped_allowlisted;
        continue;
      }
      if (file.size > options.max_file_bytes) {
        ++stats.skipped_oversize;
        continue;
      }
      FileBytes bytes(file.path);
      if (!bytes.ok()) {
        ++stats.skipped_unreadable;
        continue;
      }
      if (bytes.text().size() > options.max_file_bytes) {
        ++stats.skipped_oversize;
        continue;
      }
      if (looks_binary(bytes.text())) {
        ++stats.skipped_binary;
        continue;
      }
      ++stats.files_scanned;
      stats.bytes_scanned += bytes.text().size();
      per_file[index].findings =
          scan_text(matcher, bytes.text(), file.display, options.ignored_fingerprints, stats);
    }
  };
  unsigned jobs =
      options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, walk.files.size())));
  std::vector<std::thread> threads;
  // Exceptions must not escape a thread (std::terminate); the first one is rethrown here.
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto guarded = [&] {
    try {
      worker();
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = walk.files.size();
    }
  };
  for (unsigned i = 1; i < jobs; ++i) threads.emplace_back(guarded);
  guarded();
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);

  for (PerFile& file : per_file) {
    ScanStats& s = result.stats;
    s.files_scanned += file.stats.files_scanned;
    s.bytes_scanned += file.stats.bytes_scanned;
    s.skipped_binary += file.stats.skipped_binary;
    s.skipped_oversize += file.stats.skipped_oversize;
    s.skipped_unreadable += file.stats.skipped_unreadable;
    s.skipped_allowlisted += file.stats.skipped_allowlisted;
    s.suppressed_inline += file.stats.suppressed_inline;
    s.suppressed_ignored += file.stats.suppressed_ignored;
    for (SecretFinding& finding : file.findings) result.findings.push_back(std::move(finding));
  }
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace omk::safety
