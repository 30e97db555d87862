// The redactor guards omk's own output: a secret in omk's environment, or any secret-shaped
// text omk would print (an error naming a path, a config value), comes out redacted.
#include <gtest/gtest.h>

#include "test_support.h"

namespace omk {
namespace {

TEST(Redaction, ErrorMessagesAreRedacted) {
  test::TempDir tmp;
  std::string token = "ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5";
  auto result = test::run_omk({"secrets", "scan", "missing-" + token}, tmp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.find(token), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[REDACTED:github-pat-classic]"), std::string::npos) << result.err;
}

TEST(Redaction, SecretValuesFromOmksEnvironmentAreRedactedLiterally) {
  test::TempDir tmp;
  // Not a known token shape: only known-value redaction can catch it.
  std::string value = "Corr3ct-Horse-Battery-Staple";
  auto result = test::run_omk({"secrets", "scan", value}, tmp.path(), {{"MY_DB_PASSWORD", value}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.find(value), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[REDACTED:env:MY_DB_PASSWORD]"), std::string::npos) << result.err;
}

TEST(Redaction, JsonOutputIsRedactedToo) {
  test::TempDir tmp;
  std::string value = "Corr3ct-Horse-Battery-Staple";
  auto result = test::run_omk({"--project", tmp.path().string(), "config", "show", "--json"},
                              tmp.path(), {{"OMK_PROVIDER", value}, {"APP_SECRET", value}});
  EXPECT_EQ(result.out.find(value), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[REDACTED:env:APP_SECRET]"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace omk
