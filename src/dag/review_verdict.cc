#include "dag/review_verdict.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

namespace omk::dag {
namespace {

std::string trim(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<std::string> known(std::string word) {
  word = lower(trim(word));
  // Markdown emphasis and a closing period are how models decorate a last line.
  while (!word.empty() && (word.back() == '.' || word.back() == '*' || word.back() == '`')) {
    word.pop_back();
  }
  while (!word.empty() && (word.front() == '*' || word.front() == '`')) word.erase(0, 1);
  if (word == "approve" || word == "request-changes") return word;
  return std::nullopt;
}

struct Found {
  size_t position = 0;
  ReviewVerdict verdict;
};

// `VERDICT: word` lines (markdown bold around the keyword allowed).
void find_lines(std::string_view text, std::vector<Found>& found) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = trim(text.substr(start, end - start));
    std::string stripped;
    for (char c : line) {
      if (c != '*' && c != '`') stripped += c;
    }
    std::string head = lower(stripped.substr(0, std::min<size_t>(8, stripped.size())));
    if (head == "verdict:") {
      if (auto word = known(stripped.substr(8))) found.push_back({start, {*word, ""}});
    }
    if (end == text.size()) break;
    start = end + 1;
  }
}

// ```json ... ``` blocks holding an object with a "verdict" key.
void find_blocks(std::string_view text, std::vector<Found>& found) {
  size_t pos = 0;
  while ((pos = text.find("```", pos)) != std::string_view::npos) {
    size_t body = text.find('\n', pos);
    if (body == std::string_view::npos) return;
    size_t close = text.find("```", body);
    if (close == std::string_view::npos) return;
    std::string_view block = text.substr(body + 1, close - body - 1);
    auto parsed = nlohmann::json::parse(block, nullptr, false);
    if (parsed.is_object() && parsed.contains("verdict") && parsed["verdict"].is_string()) {
      if (auto word = known(parsed["verdict"].get<std::string>())) {
        std::string summary =
            parsed.contains("summary") && parsed["summary"].is_string() ? parsed["summary"] : "";
        found.push_back({pos, {*word, summary}});
      }
    }
    pos = close + 3;
  }
}

}  // namespace

std::optional<ReviewVerdict> parse_review_verdict(std::string_view final_message) {
  std::vector<Found> found;
  find_lines(final_message, found);
  find_blocks(final_message, found);
  if (found.empty()) return std::nullopt;
  auto last = std::max_element(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.position < b.position;
  });
  return last->verdict;
}

std::string review_verdict_instructions() {
  return "You are reviewing a change; you may read files and run read-only commands, but do not "
         "change anything. End your answer with your verdict on a line of its own, exactly one "
         "of:\n"
         "VERDICT: approve\n"
         "VERDICT: request-changes\n"
         "(or a fenced ```json block {\"verdict\": \"approve\" | \"request-changes\", "
         "\"summary\": \"...\"}). Approve only a change you checked and would accept as it is; "
         "without a verdict line the review does not pass.";
}

}  // namespace omk::dag
