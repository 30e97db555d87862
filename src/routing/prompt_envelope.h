#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "routing/capability.h"
#include "routing/risk.h"
#include "routing/turn_policy.h"
#include "sandbox/profile.h"

namespace omk::routing {

// Everything the envelope states about a turn besides the user's text.
struct EnvelopeHeader {
  std::string role = "root-coordinator";
  std::string node_id;
  std::string run_id;    // optional
  std::string provider;  // optional
  std::string model;     // optional
  Risk risk = Risk::kRead;
  Execution approval = Execution::kAsk;  // the --execution mode, stated as the approval policy
  sandbox::Profile sandbox = sandbox::Profile::kReadOnly;
  CapabilitySet capabilities;
};

// The prompt a runtime receives: omk's statements, then the user's text as one JSON string
// (so delimiters inside it cannot end the payload or forge a section), then the contract.
struct PromptEnvelope {
  std::string text;
  size_t payload_chars = 0;  // Unicode characters of the user's text as sent
  // Set when the user's text was replaced by a summary to fit the adapter's limit.
  bool summarised = false;
  size_t original_chars = 0;
  std::string summary_note;  // for the user: "summarised from N to M characters by ..."
};

// The envelope does not fit the adapter's limit and nothing was allowed to shorten it. A user
// error (exit 2): the message says how long the prompt is, the limit, and what to do.
class PromptTooLong : public UserError {
 public:
  PromptTooLong(size_t envelope_bytes, size_t limit_bytes, std::string adapter);
  size_t envelope_bytes() const { return envelope_bytes_; }
  size_t limit_bytes() const { return limit_bytes_; }

 private:
  size_t envelope_bytes_;
  size_t limit_bytes_;
};

// Shortens the user's text to at most `max_bytes` (e.g. by asking a model for a summary).
// Returns the shorter text and one line saying how it was made.
struct Summary {
  std::string text;
  std::string method;
};
using Summariser = std::function<Summary(std::string_view text, size_t max_bytes)>;

struct EnvelopeLimit {
  std::string adapter;              // named in errors
  std::optional<size_t> max_bytes;  // unset: no limit
  Summariser summarise;             // unset: over the limit → PromptTooLong
};

// Renders the envelope. Never truncates: over the limit it either summarises (when allowed,
// and reported in the result and inside the envelope) or throws PromptTooLong. Invalid UTF-8
// in the user's text becomes U+FFFD rather than an error.
PromptEnvelope build_envelope(const EnvelopeHeader& header, std::string_view user_text,
                              const EnvelopeLimit& limit = {});

}  // namespace omk::routing
