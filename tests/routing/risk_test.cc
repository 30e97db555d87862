#include <gtest/gtest.h>

#include <string>

#include "routing/english_lexicon.h"
#include "routing/risk.h"

namespace omk::routing {
namespace {

Risk risk_of(const std::string& prompt) {
  return classify_risk(prompt).risk;
}

bool has_match(const RiskAssessment& a, const std::string& word, Risk risk, bool negated) {
  for (const RiskMatch& m : a.matches) {
    if (m.word == word && m.risk == risk && m.negated == negated) return true;
  }
  return false;
}

TEST(Risk, NamesRoundTrip) {
  for (Risk r : {Risk::kRead, Risk::kWrite, Risk::kShell, Risk::kMerge}) {
    EXPECT_EQ(parse_risk(to_string(r)), r);
  }
  EXPECT_FALSE(parse_risk("dangerous"));
}

TEST(Risk, NothingMatchedIsRead) {
  for (const char* prompt : {"hello", "g", "ㅎ", "ㅎㅇ", "", "   ", "?", "latest", "readme",
                             "what does this function do?"}) {
    RiskAssessment a = classify_risk(prompt);
    EXPECT_EQ(a.risk, Risk::kRead) << prompt;
  }
}

TEST(Risk, PrecedenceMergeOverShellOverWriteOverRead) {
  EXPECT_EQ(risk_of("explain the bug and fix it"), Risk::kWrite);
  EXPECT_EQ(risk_of("fix the bug and run the tests"), Risk::kShell);
  EXPECT_EQ(risk_of("fix the bug, run the tests and push"), Risk::kMerge);
  EXPECT_EQ(risk_of("push, then explain what you did"), Risk::kMerge);
}

TEST(Risk, WordBoundariesAndCompounds) {
  EXPECT_EQ(risk_of("merge-sort explanation"), Risk::kRead);
  EXPECT_EQ(risk_of("add-on question"), Risk::kRead);
  EXPECT_EQ(risk_of("status of the release"), Risk::kRead);
  EXPECT_EQ(risk_of("explain src/merge.ts"), Risk::kRead);
  EXPECT_EQ(risk_of("show me deploy_config.yaml"), Risk::kRead);
  EXPECT_EQ(risk_of("cherry-pick the fix from main"), Risk::kShell);
  EXPECT_EQ(risk_of("dry-run the build"), Risk::kShell);
}

TEST(Risk, InflectionsAndPlurals) {
  EXPECT_EQ(risk_of("fixes for the lint warnings please"), Risk::kWrite);
  EXPECT_EQ(risk_of("try compiling with clang"), Risk::kShell);
  EXPECT_EQ(risk_of("refactoring the parser would be great"), Risk::kWrite);
  EXPECT_EQ(risk_of("tests please"), Risk::kShell);
  EXPECT_EQ(risk_of("verify it by running the suite"), Risk::kShell);
  // A plural noun subject is not a command.
  EXPECT_EQ(risk_of("tests are failing after the merge"), Risk::kRead);
  EXPECT_EQ(inflect("commit").ing, "committing");
  EXPECT_EQ(inflect("run").ing, "running");
  EXPECT_EQ(inflect("edit").ing, "editing");
  EXPECT_EQ(inflect("push").s, "pushes");
  EXPECT_EQ(inflect("deploy").s, "deploys");
  EXPECT_EQ(inflect("write").ing, "writing");
}

TEST(Risk, EnglishNegations) {
  RiskAssessment a = classify_risk("don't edit anything, just read src/");
  EXPECT_EQ(a.risk, Risk::kRead);
  EXPECT_TRUE(a.read_only_requested);
  EXPECT_TRUE(has_match(a, "edit", Risk::kWrite, true));
  EXPECT_EQ(risk_of("summarize the repository without changing files"), Risk::kRead);
  EXPECT_EQ(risk_of("Do not change anything. Explain the cache."), Risk::kRead);
  EXPECT_EQ(risk_of("fix the typo without running the tests"), Risk::kWrite);
  EXPECT_EQ(risk_of("build and test, but don't deploy"), Risk::kShell);
  EXPECT_EQ(risk_of("never push to main; commit locally"), Risk::kShell);
  EXPECT_EQ(risk_of("don't edit or delete anything"), Risk::kRead);
  EXPECT_TRUE(classify_risk("no edits please, only analysis").read_only_requested);
  EXPECT_TRUE(classify_risk("read-only: summarize the hooks").read_only_requested);
}

TEST(Risk, QuestionsAndSubordinateClausesDoNotCommand) {
  EXPECT_EQ(risk_of("How do I deploy this?"), Risk::kRead);
  EXPECT_EQ(risk_of("what does `git push --force` do?"), Risk::kRead);
  EXPECT_EQ(risk_of("should we merge the two structs?"), Risk::kRead);
  EXPECT_EQ(risk_of("What are merge, push and deploy here?"), Risk::kRead);
  EXPECT_EQ(risk_of("before pushing, explain the diff"), Risk::kRead);
  EXPECT_EQ(risk_of("can you fix the retry loop?"), Risk::kWrite);
  EXPECT_EQ(risk_of("Why is it failing, and can you run the suite?"), Risk::kShell);
  EXPECT_EQ(risk_of("Explain the difference between rebase and merge."), Risk::kRead);
}

TEST(Risk, ObjectsDecideAmbiguousVerbs) {
  EXPECT_EQ(risk_of("merge these two functions"), Risk::kWrite);
  EXPECT_EQ(risk_of("merge this branch into main"), Risk::kMerge);
  EXPECT_EQ(risk_of("build a landing page"), Risk::kWrite);
  EXPECT_EQ(risk_of("build it"), Risk::kShell);
  EXPECT_EQ(risk_of("make the button blue"), Risk::kWrite);
  EXPECT_EQ(risk_of("make test"), Risk::kShell);
  EXPECT_EQ(risk_of("create a branch called fix/x"), Risk::kShell);
  EXPECT_EQ(risk_of("open a pull request"), Risk::kMerge);
  EXPECT_EQ(risk_of("check if it compiles"), Risk::kShell);
  EXPECT_EQ(risk_of("check the status"), Risk::kRead);
}

TEST(Risk, CommandLines) {
  EXPECT_EQ(risk_of("npm test"), Risk::kShell);
  EXPECT_EQ(risk_of("npm publish"), Risk::kMerge);
  EXPECT_EQ(risk_of("git push origin main"), Risk::kMerge);
  EXPECT_EQ(risk_of("git tag"), Risk::kShell);
  EXPECT_EQ(risk_of("git tag v1.2"), Risk::kMerge);
  EXPECT_EQ(risk_of("run `cargo publish`"), Risk::kMerge);
  EXPECT_EQ(risk_of("run `ls -la`"), Risk::kShell);
  EXPECT_EQ(risk_of("go test ./..."), Risk::kShell);
  EXPECT_EQ(risk_of("go ahead and explain it"), Risk::kRead);
  EXPECT_EQ(risk_of("./scripts/bootstrap"), Risk::kShell);
}

TEST(Risk, Korean) {
  EXPECT_EQ(risk_of("버그 고쳐줘"), Risk::kWrite);
  EXPECT_EQ(risk_of("테스트 돌려줘"), Risk::kShell);
  EXPECT_EQ(risk_of("배포해줘"), Risk::kMerge);
  EXPECT_EQ(risk_of("코드 요약해줘"), Risk::kRead);
  EXPECT_EQ(risk_of("배포는 어떻게 해?"), Risk::kRead);
  EXPECT_EQ(risk_of("푸시하면 어떻게 돼?"), Risk::kRead);
  EXPECT_EQ(risk_of("테스트 코드 설명해줘"), Risk::kRead);
  EXPECT_EQ(risk_of("README 오타 수정"), Risk::kWrite);
  EXPECT_EQ(risk_of("PR 올려줘"), Risk::kMerge);
  EXPECT_EQ(risk_of("버전 0.2.0으로 올려줘"), Risk::kWrite);
  EXPECT_EQ(risk_of("브랜치 만들어줘"), Risk::kShell);
  RiskAssessment a = classify_risk("파일 수정하지 말고 설명만 해줘");
  EXPECT_EQ(a.risk, Risk::kRead);
  EXPECT_TRUE(a.read_only_requested);
  EXPECT_TRUE(has_match(a, "수정", Risk::kWrite, true));
  EXPECT_EQ(risk_of("테스트 돌리지 말고 오타만 고쳐줘"), Risk::kWrite);
  EXPECT_EQ(risk_of("코드 변경 없이 분석해줘"), Risk::kRead);
  EXPECT_TRUE(classify_risk("읽기 전용으로 살펴봐").read_only_requested);
}

TEST(Risk, MatchedWordsAreReported) {
  RiskAssessment a = classify_risk("Fix the bug and push.");
  EXPECT_EQ(a.risk, Risk::kMerge);
  EXPECT_TRUE(has_match(a, "fix", Risk::kWrite, false));
  EXPECT_TRUE(has_match(a, "push", Risk::kMerge, false));
}

}  // namespace
}  // namespace omk::routing
