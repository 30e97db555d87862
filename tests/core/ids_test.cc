#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace omk {
namespace {

TEST(Ids, RunIdsSortByTimeAndDoNotCollide) {
  std::set<std::string> seen;
  std::regex shape("^[0-9]{8}-[0-9]{6}-[0-9]{3}[0-9a-f]{6}$");
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_run_id();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    EXPECT_TRUE(is_valid_run_id(id));
    seen.insert(id);
  }
  EXPECT_GT(seen.size(), 990u);  // 24 random bits: a rare same-millisecond collision is possible
  // Ids made a few milliseconds apart sort in the order they were made, even within a second.
  std::string earlier = new_run_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  std::string later = new_run_id();
  EXPECT_LT(earlier.substr(0, 19), later.substr(0, 19)) << earlier << " " << later;
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
