#include <gtest/gtest.h>

#include "routing/turn_plan.h"

namespace omk::routing {
namespace {

// A turn's risk is read from the user's text alone. omk's envelope around it names write,
// patch and shell capabilities, failures and verification, and must not change what the turn
// is (the original classified its own scaffold, so every turn was "debugging").
TEST(TurnPlan, ReadsTheUsersTextNotTheEnvelope) {
  TurnInput input;
  input.user_text = "hello";
  input.node_id = "turn-1";
  input.override_risk = std::nullopt;
  TurnPlan plan = plan_turn(input);
  EXPECT_EQ(plan.assessment.risk, Risk::kRead);
  EXPECT_EQ(plan.policy.risk, Risk::kRead);
  EXPECT_NE(plan.envelope.text.find("Risk: read"), std::string::npos);
  EXPECT_NE(plan.envelope.text.find("Sandbox: read-only"), std::string::npos);
  EXPECT_NE(plan.envelope.text.find("report the blocker"), std::string::npos);

  input.user_text = "run the tests";
  TurnPlan shell = plan_turn(input);
  EXPECT_EQ(shell.policy.risk, Risk::kShell);
  EXPECT_NE(shell.envelope.text.find("Capabilities: write, patch, shell"), std::string::npos);
  // Planning again from the same text gives the same turn: nothing feeds back.
  input.user_text = "hello";
  EXPECT_EQ(plan_turn(input).envelope.text, plan.envelope.text);
}

TEST(TurnPlan, RecordsAnOverrideAndTheAdvisoryNarrowing) {
  TurnInput input;
  input.user_text = "explain the router";
  input.node_id = "turn-2";
  input.override_risk = Risk::kWrite;
  TurnPlan plan = plan_turn(input);
  EXPECT_EQ(plan.assessment.risk, Risk::kRead);
  EXPECT_EQ(plan.policy.risk, Risk::kWrite);
  EXPECT_EQ(plan.policy.inferred, Risk::kRead);
  EXPECT_NE(plan.envelope.text.find("Risk: write"), std::string::npos);
  input.override_risk = std::nullopt;
  input.user_text = "fix the bug";
  input.advisory_provider = true;
  TurnPlan advisory = plan_turn(input);
  EXPECT_EQ(advisory.policy.risk, Risk::kWrite);
  EXPECT_NE(advisory.envelope.text.find("Capabilities: read, review"), std::string::npos);
  EXPECT_NE(advisory.envelope.text.find("Sandbox: read-only"), std::string::npos);
}

}  // namespace
}  // namespace omk::routing
