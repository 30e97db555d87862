#include "mcp/failure.h"

namespace omk::mcp {

std::string_view to_string(FailureCategory category) {
  switch (category) {
    case FailureCategory::kConfigInvalid:
      return "config-invalid";
    case FailureCategory::kCommandNotFound:
      return "command-not-found";
    case FailureCategory::kSpawnFailed:
      return "spawn-failed";
    case FailureCategory::kTimeout:
      return "timeout";
    case FailureCategory::kProtocolError:
      return "protocol-error";
    case FailureCategory::kHttpError:
      return "http-error";
    case FailureCategory::kAuthRequired:
      return "auth-required";
    case FailureCategory::kCrashed:
      return "crashed";
    case FailureCategory::kCancelled:
      return "cancelled";
  }
  return "protocol-error";
}

}  // namespace omk::mcp
