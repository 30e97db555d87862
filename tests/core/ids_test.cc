#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace omk {
namespace {

TEST(Ids, RunIdsSortByTimeAndDoNotCollide) {
  std::set<std::string> seen;
  std::regex shape("^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$");
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_run_id();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    EXPECT_TRUE(is_valid_run_id(id));
    seen.insert(id);
  }
  EXPECT_GT(seen.size(), 990u);  // 24 random bits: a rare same-second collision is possible
}

TEST(Ids, NodeIdsAreSafePathComponents) {
  for (const char* good : {"build", "a", "lane-1", "x.y_z", "A9"}) {
    EXPECT_TRUE(is_valid_node_id(good)) << good;
  }
  for (const char* bad : {"", ".", "..", "-x", "_x", "a/b", "a b", "../etc", "é"}) {
    EXPECT_FALSE(is_valid_node_id(bad)) << bad;
  }
  EXPECT_FALSE(is_valid_node_id(std::string(129, 'a')));
}

}  // namespace
}  // namespace omk
