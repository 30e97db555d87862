#include "safety/redact_stream.h"

#include <algorithm>

#include "safety/redactor.h"

namespace omk::safety {
namespace {

// Beyond this much held text with no way to cut before a secret, release it anyway: no real
// secret is a megabyte long, and holding more would let one endless token exhaust memory.
constexpr size_t kHardLimit = 1 << 20;

size_t find_unterminated_key(std::string_view text) {
  size_t begin = text.rfind("-----BEGIN");
  if (begin == std::string_view::npos) return std::string_view::npos;
  size_t header_end = text.find("-----", begin + 10);
  if (header_end == std::string_view::npos) {
    // The header itself is incomplete: hold it if it could still become a private key.
    return text.size() - begin < 128 ? begin : std::string_view::npos;
  }
  std::string_view header = text.substr(begin, header_end + 5 - begin);
  if (header.find("PRIVATE KEY") == std::string_view::npos) return std::string_view::npos;
  if (text.find("-----END", header_end) != std::string_view::npos) return std::string_view::npos;
  return begin;
}

}  // namespace

RedactingStream::RedactingStream(const Redactor& redactor) : redactor_(redactor) {}

std::string RedactingStream::release(size_t cut) {
  std::string_view text(pending_);
  auto spans = redactor_.spans(text);
  // Never cut through a secret: move the cut back to the start of any span crossing it.
  for (const RedactionSpan& span : spans) {
    if (span.start < cut && span.end > cut) cut = span.start;
  }
  if (cut == 0 && pending_.size() > kHardLimit) cut = pending_.size();
  std::vector<RedactionSpan> before;
  for (const RedactionSpan& span : spans) {
    if (span.end <= cut) before.push_back(span);
  }
  std::string out = apply_redactions(text.substr(0, cut), before);
  pending_.erase(0, cut);
  return out;
}

std::string RedactingStream::feed(std::string_view chunk) {
  std::string out;
  if (inside_key_) {
    // Swallow the rest of an oversized private key up to and including its END line.
    pending_.append(chunk);
    size_t end = pending_.find("-----END");
    if (end == std::string::npos) {
      size_t keep = std::min<size_t>(pending_.size(), 16);  // "-----END" may be split
      pending_.erase(0, pending_.size() - keep);
      return out;
    }
    size_t line_end = pending_.find('\n', end);
    if (line_end == std::string::npos) {
      pending_.erase(0, end);
      return out;
    }
    pending_.erase(0, line_end);
    inside_key_ = false;
    chunk = {};
  } else {
    pending_.append(chunk);
  }

  size_t lookbehind = std::max<size_t>(redactor_.lookbehind(), 4096);
  size_t newline = pending_.rfind('\n');
  size_t cut = newline == std::string::npos ? 0 : newline + 1;
  if (pending_.size() - cut > lookbehind) cut = pending_.size() - lookbehind;

  size_t key = find_unterminated_key(pending_);
  if (key != std::string::npos) {
    if (pending_.size() - key > lookbehind) {
      out += release(key);
      out += "[REDACTED:private-key]";
      pending_.clear();
      inside_key_ = true;
      return out;
    }
    cut = std::min(cut, key);
  }
  out += release(cut);
  return out;
}

std::string RedactingStream::finish() {
  std::string out;
  if (!inside_key_) out = release(pending_.size());
  pending_.clear();
  inside_key_ = false;
  return out;
}

}  // namespace omk::safety
