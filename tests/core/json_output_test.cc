#include "core/json_output.h"

#include <gtest/gtest.h>

#include "core/output.h"

namespace omk {
namespace {

TEST(JsonOutput, EnvelopeNamesTheSchemaFirst) {
  Json document = json_envelope("init");
  document["zeta"] = 1;
  document["alpha"] = 2;
  EXPECT_EQ(document.dump(), R"({"schema":"omk.init.v1","zeta":1,"alpha":2})");
}

TEST(JsonOutput, FilterSeesEverything) {
  set_output_filter([](std::string_view text) {
    std::string copy(text);
    for (size_t at = copy.find("hunter2"); at != std::string::npos; at = copy.find("hunter2")) {
      copy.replace(at, 7, "[REDACTED]");
    }
    return copy;
  });
  EXPECT_EQ(filter_output("pw=hunter2"), "pw=[REDACTED]");
  set_output_filter(nullptr);
  EXPECT_EQ(filter_output("pw=hunter2"), "pw=hunter2");
}

}  // namespace
}  // namespace omk
