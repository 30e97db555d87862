#include "providers/health.h"

namespace omk::providers {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::kYes:
      return "yes";
    case Status::kNo:
      return "no";
    case Status::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Json to_json(const Answer& answer) {
  Json json = Json::object();
  json["status"] = std::string(to_string(answer.status));
  json["reason"] = answer.reason;
  return json;
}

std::string ProviderHealth::problem() const {
  auto describe = [](std::string_view what, const Answer& answer) {
    std::string text(what);
    text += answer.status == Status::kUnknown ? " unknown" : "";
    text += ": ";
    text += answer.reason;
    return text;
  };
  if (!available.is_yes()) {
    return describe(available.is_no() ? "not available" : "availability", available);
  }
  if (!authenticated.is_yes()) {
    return describe(authenticated.is_no() ? "not authenticated" : "authentication", authenticated);
  }
  if (!model_supported.is_yes()) {
    return describe(model_supported.is_no() ? "model not supported" : "model support",
                    model_supported);
  }
  if (!rate_limited.is_no()) {
    return describe(rate_limited.is_yes() ? "rate-limited" : "rate limit", rate_limited);
  }
  return "";
}

Json to_json(const ProviderHealth& health) {
  Json json = Json::object();
  json["available"] = to_json(health.available);
  json["authenticated"] = to_json(health.authenticated);
  json["model_supported"] = to_json(health.model_supported);
  json["rate_limited"] = to_json(health.rate_limited);
  return json;
}

}  // namespace omk::providers
