#pragma once

#include <stdexcept>
#include <string>

#include "core/exit_codes.h"

namespace omk {

// An error the user can cause and fix. The message names the input and what to do; main() prints
// it as one line on stderr and exits with `code`. Never used for programming errors.
class UserError : public std::runtime_error {
 public:
  UserError(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

inline UserError usage_error(const std::string& message) {
  return UserError(ExitCode::kUsage, message);
}

inline UserError policy_error(const std::string& message) {
  return UserError(ExitCode::kPolicy, message);
}

}  // namespace omk
