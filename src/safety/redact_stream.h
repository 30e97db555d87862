#pragma once

#include <string>
#include <string_view>

#include "core/output.h"

namespace omk::safety {

class Redactor;

// Redacts a byte stream that arrives in chunks (a child's stdout, a log being written), catching
// secrets split across chunks.
//
// feed() returns the redacted text up to the last complete line and holds back the unfinished
// line, because rules read a secret together with its context on the same line
// (`TOKEN = "...`). A held line longer than the redactor's lookbehind (the longest match a rule
// can produce, 64 KiB for unbounded rules) is released except for that lookbehind, never
// cutting through a secret, so memory stays bounded on endless lines and binary input. An
// unterminated private key block is held until its END line; if it grows past the lookbehind
// the key is replaced by one "[REDACTED:private-key]" and its remaining lines are swallowed up
// to the END line.
//
// finish() releases everything held and resets the filter, which stays usable: a caller that
// must show a prompt without a newline (a child waiting for input) may call finish() when the
// child goes quiet, at the cost of splitting a secret the child prints slowly across that point.
class RedactingStream final : public StreamFilter {
 public:
  explicit RedactingStream(const Redactor& redactor);
  std::string feed(std::string_view chunk) override;
  std::string finish() override;

 private:
  std::string release(size_t cut);

  const Redactor& redactor_;
  std::string pending_;
  bool inside_key_ = false;  // swallowing a private key's lines until its END line
};

}  // namespace omk::safety
