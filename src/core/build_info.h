#pragma once

#include <string>
#include <utility>
#include <vector>

namespace omk {

struct BuildInfo {
  std::string version;
  std::string commit;  // empty when the build was not made from a git checkout
  std::string build_type;
  bool sanitized;
  // Optional kernel features and whether this binary was built to use them.
  std::vector<std::pair<std::string, bool>> features;
};

const BuildInfo& build_info();

}  // namespace omk
