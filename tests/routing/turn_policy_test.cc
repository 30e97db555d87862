#include <gtest/gtest.h>

#include "routing/turn_policy.h"

namespace omk::routing {
namespace {

TurnPolicy policy(Risk risk, Execution execution = Execution::kAsk, bool advisory = false,
                  std::optional<Risk> override_risk = std::nullopt) {
  return turn_policy({risk, override_risk, execution, advisory});
}

TEST(TurnPolicy, PerRisk) {
  TurnPolicy read = policy(Risk::kRead);
  EXPECT_EQ(read.capabilities, CapabilitySet({Capability::kRead}));
  EXPECT_EQ(read.sandbox, sandbox::Profile::kReadOnly);
  EXPECT_TRUE(read.read_only);
  EXPECT_EQ(read.approval, Approval::kNotNeeded);

  TurnPolicy write = policy(Risk::kWrite);
  EXPECT_EQ(write.capabilities, CapabilitySet({Capability::kWrite, Capability::kPatch}));
  EXPECT_EQ(write.sandbox, sandbox::Profile::kWorkspaceWrite);
  EXPECT_FALSE(write.read_only);

  TurnPolicy shell = policy(Risk::kShell);
  EXPECT_EQ(shell.capabilities.joined(), "write, patch, shell");
  EXPECT_EQ(shell.sandbox, sandbox::Profile::kWorkspaceWrite);

  TurnPolicy merge = policy(Risk::kMerge);
  EXPECT_EQ(merge.capabilities.joined(), "write, patch, shell, merge");
  EXPECT_EQ(merge.sandbox, sandbox::Profile::kWorkspaceWrite);
}

TEST(TurnPolicy, MergeNeedsApprovalUnderAskAndIsRefusedUnderNever) {
  EXPECT_EQ(policy(Risk::kMerge, Execution::kAsk).approval, Approval::kAskHuman);
  EXPECT_EQ(policy(Risk::kMerge, Execution::kAuto).approval, Approval::kNotNeeded);
  EXPECT_EQ(policy(Risk::kMerge, Execution::kNever).approval, Approval::kRefused);
  // Only the merge itself is gated here; the adapter gets --execution for the rest.
  EXPECT_EQ(policy(Risk::kShell, Execution::kAsk).approval, Approval::kNotNeeded);
  EXPECT_EQ(policy(Risk::kShell, Execution::kNever).approval, Approval::kNotNeeded);
}

TEST(TurnPolicy, AdvisoryProvidersReadAndReviewWhateverTheRisk) {
  for (Risk risk : {Risk::kRead, Risk::kWrite, Risk::kShell, Risk::kMerge}) {
    TurnPolicy p = policy(risk, Execution::kAuto, /*advisory=*/true);
    EXPECT_EQ(p.capabilities, CapabilitySet({Capability::kRead, Capability::kReview}));
    EXPECT_EQ(p.sandbox, sandbox::Profile::kReadOnly);
    EXPECT_TRUE(p.read_only);
    EXPECT_TRUE(p.advisory);
    EXPECT_EQ(p.approval, Approval::kNotNeeded);
    EXPECT_EQ(p.risk, risk);  // recorded as asked, served read-only
  }
}

TEST(TurnPolicy, ExplicitOverrideRaisesOrLowersAndIsRecorded) {
  TurnPolicy raised = policy(Risk::kRead, Execution::kAsk, false, Risk::kWrite);
  EXPECT_EQ(raised.risk, Risk::kWrite);
  EXPECT_EQ(raised.inferred, Risk::kRead);
  EXPECT_EQ(raised.override_risk, Risk::kWrite);
  EXPECT_EQ(raised.sandbox, sandbox::Profile::kWorkspaceWrite);
  EXPECT_NE(raised.reason.find("set explicitly (inferred read)"), std::string::npos);

  TurnPolicy lowered = policy(Risk::kMerge, Execution::kAsk, false, Risk::kRead);
  EXPECT_EQ(lowered.risk, Risk::kRead);
  EXPECT_EQ(lowered.capabilities, CapabilitySet({Capability::kRead}));
  EXPECT_EQ(lowered.approval, Approval::kNotNeeded);
}

TEST(TurnPolicy, ExecutionNames) {
  EXPECT_EQ(parse_execution("ask"), Execution::kAsk);
  EXPECT_EQ(parse_execution("auto"), Execution::kAuto);
  EXPECT_EQ(parse_execution("never"), Execution::kNever);
  EXPECT_FALSE(parse_execution("parallel"));
}

}  // namespace
}  // namespace omk::routing
