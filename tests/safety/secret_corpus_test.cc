// The built-in rules against tests/corpus/secrets/cases.toml: every rule has cases, every
// true positive is found by its own rule, every near miss by none; and a planted corpus gives
// recall and precision.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>

#include "safety/rules.h"
#include "safety/secret_detect.h"
#include "safety/secret_scanner.h"
#include "secret_corpus.h"

namespace omk::safety {
namespace {

uint64_t corpus_seed() {
  // Fixed so a failure reproduces; OMK_CORPUS_SEED explores other draws.
  const char* seed = std::getenv("OMK_CORPUS_SEED");
  return seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20261125;
}

const std::vector<test::SecretCase>& cases() {
  static const std::vector<test::SecretCase> loaded =
      test::load_secret_cases(test::secret_cases_file());
  return loaded;
}

std::string describe(const std::vector<SecretMatch>& matches) {
  std::string out;
  for (const SecretMatch& m : matches) {
    out += builtin_matcher().rules().rules[m.rule].id + " ";
  }
  return out.empty() ? "(none)" : out;
}

TEST(SecretRules, AtLeastAHundredBuiltInFormats) {
  EXPECT_GE(builtin_rule_set().rules.size(), 100u);
  EXPECT_TRUE(builtin_matcher().notes().empty())
      << "every built-in rule must compile exactly in vectorscan: " << builtin_matcher().notes()[0];
}

TEST(SecretRules, EveryRuleHasTruePositivesAndNearMisses) {
  std::map<std::string, const test::SecretCase*> by_rule;
  for (const auto& c : cases()) by_rule[c.rule] = &c;
  std::set<std::string> ids;
  for (const SecretRule& rule : builtin_rule_set().rules) {
    ids.insert(rule.id);
    auto it = by_rule.find(rule.id);
    ASSERT_NE(it, by_rule.end()) << "no case for rule " << rule.id;
    EXPECT_FALSE(it->second->tp.empty()) << rule.id;
    EXPECT_FALSE(it->second->fp.empty()) << rule.id;
  }
  for (const auto& c : cases())
    EXPECT_EQ(ids.count(c.rule), 1u) << "case for unknown rule " << c.rule;
}

TEST(SecretRules, TruePositivesAreFoundByTheirRule) {
  test::TokenGenerator gen(corpus_seed());
  SCOPED_TRACE("OMK_CORPUS_SEED=" + std::to_string(corpus_seed()));
  const SecretMatcher& matcher = builtin_matcher();
  for (const auto& c : cases()) {
    for (const std::string& tmpl : c.tp) {
      for (int draw = 0; draw < 20; ++draw) {
        std::string text = gen.expand(tmpl);
        auto found = matcher.find(text);
        ASSERT_EQ(found.size(), 1u)
            << c.rule << " template " << tmpl << " as " << text << " found " << describe(found);
        EXPECT_EQ(matcher.rules().rules[found[0].rule].id, c.rule)
            << "template " << tmpl << " found by " << describe(found);
      }
    }
  }
}

TEST(SecretRules, NearMissesAreNotFound) {
  test::TokenGenerator gen(corpus_seed() + 1);
  SCOPED_TRACE("OMK_CORPUS_SEED=" + std::to_string(corpus_seed()));
  for (const auto& c : cases()) {
    for (const std::string& tmpl : c.fp) {
      for (int draw = 0; draw < 20; ++draw) {
        std::string text = gen.expand(tmpl);
        auto found = builtin_matcher().find(text);
        EXPECT_TRUE(found.empty())
            << c.rule << " near miss " << tmpl << " found by " << describe(found);
        if (!found.empty()) break;
      }
    }
  }
}

TEST(SecretRules, PlantedCorpusRecallAndPrecision) {
  test::CorpusOptions options;
  options.seed = corpus_seed();
  options.total_bytes = 4 << 20;
  options.secrets_per_mb = 60;
  options.near_misses_per_mb = 60;
  std::map<std::string, std::string> files;
  auto planted = test::generate_planted_corpus(
      cases(), options,
      [&](const std::string& name, const std::string& content) { files[name] = content; });
  ASSERT_GT(planted.size(), 100u);

  std::set<std::pair<std::string, size_t>> expected;
  for (const auto& p : planted) expected.insert({p.file, p.line});
  std::set<std::pair<std::string, size_t>> hit;
  size_t false_positives = 0;
  ScanStats stats;
  for (const auto& [name, content] : files) {
    for (const SecretFinding& f : scan_text(builtin_matcher(), content, name, {}, stats)) {
      if (expected.count({f.path, f.line}) != 0) {
        hit.insert({f.path, f.line});
      } else {
        ++false_positives;
        ADD_FAILURE() << "unplanted finding " << f.rule << " at " << f.path << ":" << f.line << ": "
                      << f.excerpt;
      }
    }
  }
  double recall = static_cast<double>(hit.size()) / static_cast<double>(expected.size());
  double precision =
      static_cast<double>(hit.size()) / static_cast<double>(hit.size() + false_positives);
  std::printf("planted corpus: %zu files, %zu secrets planted, recall %.4f, precision %.4f\n",
              files.size(), expected.size(), recall, precision);
  RecordProperty("recall", std::to_string(recall));
  RecordProperty("precision", std::to_string(precision));
  EXPECT_GE(recall, 0.98);
  EXPECT_GE(precision, 0.95);
}

}  // namespace
}  // namespace omk::safety
