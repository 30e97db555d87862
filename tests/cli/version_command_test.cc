#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {

TEST(VersionCommand, JsonMatchesItsSchema) {
  test::TempDir tmp;
  auto result = test::run_omk({"version", "--json"}, tmp.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.version.v1", result.out), "");
  auto doc = nlohmann::json::parse(result.out);
  EXPECT_TRUE(doc["sanitized"].is_boolean());
  EXPECT_TRUE(doc["features"].contains("landlock"));
}

TEST(VersionCommand, HumanAndFlagFormsAgree) {
  test::TempDir tmp;
  auto json = nlohmann::json::parse(test::run_omk({"version", "--json"}, tmp.path()).out);
  auto flag = test::run_omk({"--version"}, tmp.path());
  EXPECT_EQ(flag.exit_code, 0);
  EXPECT_NE(flag.out.find(json["version"].get<std::string>()), std::string::npos);
  auto human = test::run_omk({"version"}, tmp.path());
  EXPECT_EQ(human.out.rfind("omk " + json["version"].get<std::string>(), 0), 0u) << human.out;
}

}  // namespace
}  // namespace omk
