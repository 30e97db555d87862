#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/environment.h"
#include "core/output.h"
#include "safety/secret_matcher.h"

namespace omk::safety {

class VectorscanDatabase;

// A value known to be secret, redacted literally wherever it appears.
struct KnownSecret {
  std::string label;  // shown in the replacement: "env:OPENAI_API_KEY"
  std::string value;
};

// Secret-looking values of `env`: every variable whose name is secret-like and whose value is
// at least 8 bytes and not a trivial repetition, plus every value a secret rule matches.
// install_redactor registers these from omk's parent environment at startup.
std::vector<KnownSecret> known_secrets_from_env(const EnvMap& env);

// A stretch of text to replace.
struct RedactionSpan {
  size_t start = 0;
  size_t end = 0;
  std::string label;  // rule id, or a known secret's label
};

// Replaces every secret in text with "[REDACTED:<rule-id>]": the secret rules' matches (only the
// secret part when a rule has a secretGroup, so `API_KEY=[REDACTED:...]` keeps its name), the
// known values, and any private key block, even one without its END line.
//
// Thread-safe. One Redactor guards every sink: install_redactor puts it behind print_out,
// print_err, print_json and log::*, and behind make_stream_filter() for streams (child output,
// logs, run artifacts).
class Redactor {
 public:
  Redactor(const SecretMatcher& matcher, std::vector<KnownSecret> known);
  ~Redactor();
  Redactor(const Redactor&) = delete;
  Redactor& operator=(const Redactor&) = delete;

  std::string redact(std::string_view text) const;

  // The spans redact() replaces, sorted and non-overlapping.
  std::vector<RedactionSpan> spans(std::string_view text) const;

  // A stream filter over this redactor (see RedactingStream in redact_stream.h).
  std::unique_ptr<StreamFilter> stream() const;

  // How much text before a cut may still belong to a secret that ends after it.
  size_t lookbehind() const { return lookbehind_; }

 private:
  const SecretMatcher& matcher_;
  std::vector<KnownSecret> known_;
  std::unique_ptr<VectorscanDatabase> known_database_;
  size_t lookbehind_ = 0;
};

// Applies `spans` (sorted, non-overlapping, inside text) to text.
std::string apply_redactions(std::string_view text, const std::vector<RedactionSpan>& spans);

// Installs, with set_output_filter and set_stream_filter_factory, the redactor of the built-in
// rules and the secret values in `omk_env` (omk's own environment at startup), so every byte omk
// prints or streams goes through it. Call once, first thing in main. The redactor is built when
// the first byte needs it (a command that prints nothing never loads the rules); if it cannot
// be built, omk says so on stderr and exits 1 without printing anything else.
void install_redactor(const EnvMap& omk_env);

// The installed redactor (built now if nothing has needed it yet; it lives until exit).
const Redactor& installed_redactor();

}  // namespace omk::safety
