#include "routing/korean_risk.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

namespace omk::routing {
namespace {

enum class Shape {
  kNoun,     // a verbal noun: needs 하다 or a request word after it, or ends the clause
  kVerb,     // a conjugated native verb form: asks by itself (고쳐, 돌려, 만들어)
  kNegStem,  // a verb stem seen only in its negated form (고치지 마, 건드리지 말고)
};

struct KoreanWord {
  std::string_view text;
  Risk risk;
  Shape shape;
};

// Longer entries win where two overlap (리팩터링 over 리팩터, 되돌려 over 돌려).
const KoreanWord kWords[] = {
    // merge: leaves the machine or lands on a shared branch
    {"푸시", Risk::kMerge, Shape::kNoun},
    {"퍼블리시", Risk::kMerge, Shape::kNoun},
    {"배포", Risk::kMerge, Shape::kNoun},
    {"릴리즈", Risk::kMerge, Shape::kNoun},
    {"릴리스", Risk::kMerge, Shape::kNoun},
    {"머지", Risk::kMerge, Shape::kNoun},
    {"병합", Risk::kMerge, Shape::kNoun},
    {"출시", Risk::kMerge, Shape::kNoun},
    {"태그 달", Risk::kMerge, Shape::kVerb},
    {"태그를 달", Risk::kMerge, Shape::kVerb},
    {"태그 붙", Risk::kMerge, Shape::kVerb},
    // shell: runs commands
    {"실행", Risk::kShell, Shape::kNoun},
    {"빌드", Risk::kShell, Shape::kNoun},
    {"컴파일", Risk::kShell, Shape::kNoun},
    {"설치", Risk::kShell, Shape::kNoun},
    {"린트", Risk::kShell, Shape::kNoun},
    {"커밋", Risk::kShell, Shape::kNoun},
    {"재현", Risk::kShell, Shape::kNoun},
    {"디버그", Risk::kShell, Shape::kNoun},
    {"디버깅", Risk::kShell, Shape::kNoun},
    {"벤치마크", Risk::kShell, Shape::kNoun},
    {"프로파일링", Risk::kShell, Shape::kNoun},
    {"검증", Risk::kShell, Shape::kNoun},
    {"재시작", Risk::kShell, Shape::kNoun},
    {"테스트", Risk::kShell, Shape::kNoun},
    {"리베이스", Risk::kShell, Shape::kNoun},
    {"체리픽", Risk::kShell, Shape::kNoun},
    {"돌려", Risk::kShell, Shape::kVerb},
    {"돌리고", Risk::kShell, Shape::kVerb},
    {"돌리", Risk::kShell, Shape::kNegStem},
    // write: edits files
    {"수정", Risk::kWrite, Shape::kNoun},
    {"구현", Risk::kWrite, Shape::kNoun},
    {"패치", Risk::kWrite, Shape::kNoun},
    {"리팩터링", Risk::kWrite, Shape::kNoun},
    {"리팩토링", Risk::kWrite, Shape::kNoun},
    {"리팩터", Risk::kWrite, Shape::kNoun},
    {"추가", Risk::kWrite, Shape::kNoun},
    {"삭제", Risk::kWrite, Shape::kNoun},
    {"변경", Risk::kWrite, Shape::kNoun},
    {"작성", Risk::kWrite, Shape::kNoun},
    {"생성", Risk::kWrite, Shape::kNoun},
    {"개선", Risk::kWrite, Shape::kNoun},
    {"최적화", Risk::kWrite, Shape::kNoun},
    {"업데이트", Risk::kWrite, Shape::kNoun},
    {"업그레이드", Risk::kWrite, Shape::kNoun},
    {"정리", Risk::kWrite, Shape::kNoun},
    {"적용", Risk::kWrite, Shape::kNoun},
    {"반영", Risk::kWrite, Shape::kNoun},
    {"해결", Risk::kWrite, Shape::kNoun},
    {"이동", Risk::kWrite, Shape::kNoun},
    {"분리", Risk::kWrite, Shape::kNoun},
    {"문서화", Risk::kWrite, Shape::kNoun},
    {"통합", Risk::kWrite, Shape::kNoun},
    {"교체", Risk::kWrite, Shape::kNoun},
    {"제거", Risk::kWrite, Shape::kNoun},
    {"설정", Risk::kWrite, Shape::kNoun},
    {"전환", Risk::kWrite, Shape::kNoun},
    {"번역", Risk::kWrite, Shape::kNoun},
    {"주석 달", Risk::kWrite, Shape::kVerb},
    {"고쳐", Risk::kWrite, Shape::kVerb},
    {"고치고", Risk::kWrite, Shape::kVerb},
    {"고치", Risk::kWrite, Shape::kNegStem},
    {"만들어", Risk::kWrite, Shape::kVerb},
    {"만들고", Risk::kWrite, Shape::kVerb},
    {"만들", Risk::kWrite, Shape::kNegStem},
    {"지워", Risk::kWrite, Shape::kVerb},
    {"지우고", Risk::kWrite, Shape::kVerb},
    {"지우", Risk::kWrite, Shape::kNegStem},
    {"바꿔", Risk::kWrite, Shape::kVerb},
    {"바꾸고", Risk::kWrite, Shape::kVerb},
    {"바꾸", Risk::kWrite, Shape::kNegStem},
    {"합쳐", Risk::kWrite, Shape::kVerb},
    {"합치고", Risk::kWrite, Shape::kVerb},
    {"넣어", Risk::kWrite, Shape::kVerb},
    {"넣고", Risk::kWrite, Shape::kVerb},
    {"옮겨", Risk::kWrite, Shape::kVerb},
    {"올려", Risk::kWrite, Shape::kVerb},
    {"올리고", Risk::kWrite, Shape::kVerb},
    {"손봐", Risk::kWrite, Shape::kVerb},
    {"되돌려", Risk::kWrite, Shape::kVerb},
    {"써줘", Risk::kWrite, Shape::kVerb},
    {"써 줘", Risk::kWrite, Shape::kVerb},
    {"써주", Risk::kWrite, Shape::kVerb},
    {"쓰", Risk::kWrite, Shape::kNegStem},
    {"건드리", Risk::kWrite, Shape::kNegStem},
    // read: named so explanations can show them
    {"설명", Risk::kRead, Shape::kNoun},
    {"요약", Risk::kRead, Shape::kNoun},
    {"분석", Risk::kRead, Shape::kNoun},
    {"검토", Risk::kRead, Shape::kNoun},
    {"리뷰", Risk::kRead, Shape::kNoun},
    {"확인", Risk::kRead, Shape::kNoun},
    {"조사", Risk::kRead, Shape::kNoun},
    {"비교", Risk::kRead, Shape::kNoun},
    {"파악", Risk::kRead, Shape::kNoun},
    {"제안", Risk::kRead, Shape::kNoun},
    {"추천", Risk::kRead, Shape::kNoun},
    {"해석", Risk::kRead, Shape::kNoun},
    {"진단", Risk::kRead, Shape::kNoun},
    {"보여", Risk::kRead, Shape::kVerb},
    {"알려", Risk::kRead, Shape::kVerb},
    {"읽어", Risk::kRead, Shape::kVerb},
    {"찾아", Risk::kRead, Shape::kVerb},
    {"살펴", Risk::kRead, Shape::kVerb},
    {"봐줘", Risk::kRead, Shape::kVerb},
};

// Endings after a verbal noun that make it the request itself: 해(줘|서|봐|요|라) 하고 하자
// ... and request words (부탁, 좀). 하면/하는/할/했/된 are absent on purpose.
const std::string_view kRequestEndings[] = {
    "해",    "하고", "하자",  "합시다", "하세요", "하셈",    "하라",   "할래",    "시켜",
    "부탁",  "진행", "수행",  "돌려",   "돌리고", "실행",    "좀",     "까지 해", "까지해",
    "만 해", "만해", "도 해", "을 해",  "를 해",  "을 부탁", "를 부탁"};
const std::string_view kNegations[] = {
    "하지 말",    "하지 마",    "하지마",     "하지 않",   "하지는 말", "하진 말", "지 말",
    "지 마",      "지마",       "지 않",      "지는 말",   "없이",      "금지",    "는 하지 말",
    "은 하지 말", "는 하지 마", "은 하지 마", "돌리지 말", "돌리지 마"};
// Request endings of conjugated verbs never form a conditional, so kVerb forms ask as they are.

template <size_t N>
bool begins_with_one_of(std::string_view text, const std::string_view (&list)[N]) {
  for (std::string_view item : list) {
    if (text.starts_with(item)) return true;
  }
  return false;
}

std::string_view skip_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return text;
}

bool clause_ends(std::string_view rest) {
  rest = skip_spaces(rest);
  return rest.empty() || rest.front() == '.' || rest.front() == '?' || rest.front() == '!' ||
         rest.front() == ',' || rest.front() == ';' || rest.front() == '\n' || rest.front() == '\r';
}

struct Occurrence {
  size_t at;
  const KoreanWord* word;
};

// Every keyword occurrence, overlaps resolved in favour of the longer keyword.
std::vector<Occurrence> occurrences(std::string_view text) {
  std::vector<Occurrence> found;
  for (const KoreanWord& word : kWords) {
    for (size_t at = text.find(word.text); at != std::string_view::npos;
         at = text.find(word.text, at + 1)) {
      found.push_back({at, &word});
    }
  }
  std::sort(found.begin(), found.end(), [](const Occurrence& a, const Occurrence& b) {
    if (a.at != b.at) return a.at < b.at;
    return a.word->text.size() > b.word->text.size();
  });
  std::vector<Occurrence> kept;
  size_t covered_until = 0;
  for (const Occurrence& occurrence : found) {
    if (!kept.empty() && occurrence.at < covered_until) continue;
    kept.push_back(occurrence);
    covered_until = occurrence.at + occurrence.word->text.size();
  }
  return kept;
}

// The sentence around `at`, for the few keywords whose meaning depends on a neighbour
// (PR 올려줘, 브랜치 만들어줘).
std::string_view sentence_around(std::string_view text, size_t at) {
  // Only the neighbourhood matters, and a bounded window keeps long prompts linear.
  constexpr size_t kWindow = 240;
  size_t lo = at > kWindow ? at - kWindow : 0;
  size_t hi = std::min(text.size(), at + kWindow);
  std::string_view window = text.substr(lo, hi - lo);
  size_t rel = at - lo;
  size_t start = window.find_last_of(".?!\n", rel);
  start = start == std::string_view::npos ? 0 : start + 1;
  size_t end = window.find_first_of(".?!\n", rel);
  if (end == std::string_view::npos) end = window.size();
  return window.substr(start, end - start);
}

bool is_ascii_letter(char c) {
  return c >= 'a' && c <= 'z';
}

// An ASCII word on its own ("pr", not "print"); Korean particles may follow it (PR을).
bool mentions_ascii_word(std::string_view sentence, std::string_view word) {
  for (size_t at = sentence.find(word); at != std::string_view::npos;
       at = sentence.find(word, at + 1)) {
    size_t end = at + word.size();
    bool left = at == 0 || !is_ascii_letter(sentence[at - 1]);
    bool right = end >= sentence.size() || !is_ascii_letter(sentence[end]);
    if (left && right) return true;
  }
  return false;
}

bool mentions(std::string_view sentence, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (sentence.find(word) != std::string_view::npos) return true;
  }
  return false;
}

Risk in_context(const KoreanWord& word, std::string_view sentence) {
  std::string_view text = word.text;
  bool creates =
      text == "올려" || text == "올리고" || text == "만들어" || text == "만들고" || text == "생성";
  bool pull_request = mentions_ascii_word(sentence, "pr") || mentions_ascii_word(sentence, "mr") ||
                      mentions(sentence, {"풀 리퀘스트", "풀리퀘", "pull request"});
  if (creates && pull_request) {
    return Risk::kMerge;
  }
  if ((text == "올려" || text == "올리고") &&
      (mentions(sentence, {"깃헙", "깃허브", "github", "원격", "리모트"}) ||
       mentions_ascii_word(sentence, "remote") || mentions_ascii_word(sentence, "origin"))) {
    return Risk::kMerge;
  }
  bool git_object_verb =
      creates || text == "전환" || text == "바꿔" || text == "삭제" || text == "지워";
  if (git_object_verb &&
      (mentions(sentence, {"브랜치"}) || mentions_ascii_word(sentence, "branch"))) {
    return Risk::kShell;
  }
  return word.risk;
}

}  // namespace

LanguageFindings korean_findings(std::string_view text) {
  LanguageFindings findings;
  if (text.find("읽기 전용") != std::string_view::npos ||
      text.find("읽기전용") != std::string_view::npos) {
    findings.read_only_requested = true;
  }
  for (const Occurrence& occurrence : occurrences(text)) {
    const KoreanWord& word = *occurrence.word;
    std::string_view rest = text.substr(occurrence.at + word.text.size());
    std::string_view after_space = skip_spaces(rest);
    bool negated =
        begins_with_one_of(rest, kNegations) || begins_with_one_of(after_space, kNegations);
    std::string shown(word.text);
    if (word.shape == Shape::kNegStem) {
      // Only the negated form of a bare stem is meaningful (고치지 마); anything else is part
      // of another word.
      if (!negated) continue;
      findings.matches.push_back({shown + "지 말", word.risk, true});
      if (word.risk >= Risk::kWrite) findings.read_only_requested = true;
      continue;
    }
    if (negated) {
      findings.matches.push_back({shown, word.risk, true});
      if (word.risk >= Risk::kWrite) findings.read_only_requested = true;
      continue;
    }
    bool asks = word.shape == Shape::kVerb || begins_with_one_of(rest, kRequestEndings) ||
                begins_with_one_of(after_space, kRequestEndings) || clause_ends(rest);
    if (!asks) continue;
    // 정리해서 알려줘: "sum it up for me", not "clean up the code".
    if (word.text == "정리" &&
        (after_space.starts_with("해서 알려") || after_space.starts_with("해서 보여") ||
         after_space.starts_with("해 알려"))) {
      findings.matches.push_back({shown, Risk::kRead, false});
      continue;
    }
    Risk risk = in_context(word, sentence_around(text, occurrence.at));
    findings.matches.push_back({shown, risk, false});
  }
  return findings;
}

}  // namespace omk::routing
