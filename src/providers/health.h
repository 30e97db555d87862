#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/json_output.h"

namespace omk::providers {

// One of the four health questions, answered yes, no or unknown with a one-line reason.
enum class Status { kYes, kNo, kUnknown };
std::string_view to_string(Status status);

struct Answer {
  Status status = Status::kUnknown;
  std::string reason;

  static Answer yes(std::string reason) { return {Status::kYes, std::move(reason)}; }
  static Answer no(std::string reason) { return {Status::kNo, std::move(reason)}; }
  static Answer unknown(std::string reason) { return {Status::kUnknown, std::move(reason)}; }
  bool is_yes() const { return status == Status::kYes; }
  bool is_no() const { return status == Status::kNo; }
};

Json to_json(const Answer& answer);

// A provider's health: four separate answers. `rate_limited` answers "is it rate-limited now?",
// so a healthy provider has yes, yes, yes and no.
struct ProviderHealth {
  Answer available;        // binary found and its version parsed / base URL configured
  Answer authenticated;    // credentials present (never "a binary on PATH")
  Answer model_supported;  // the selected model is one the provider serves
  Answer rate_limited;     // a 429/quota error whose reset time has not passed

  std::string version;  // parsed from --version (CLIs)
  std::string binary;   // resolved path of the binary (CLIs)
  std::string model;    // the model that was checked ("" = the CLI's own default)
  std::string dialect;  // kimi: "kimi-code" or "kimi-cli" (legacy)
  bool probed = false;  // answers came from --probe (network or the CLI's status command)

  bool healthy() const {
    return available.is_yes() && authenticated.is_yes() && model_supported.is_yes() &&
           rate_limited.is_no();
  }
  // The first answer that keeps this provider from being healthy, as "not authenticated: ...";
  // empty when healthy.
  std::string problem() const;
};

Json to_json(const ProviderHealth& health);

}  // namespace omk::providers
