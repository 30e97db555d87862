#include "dag/test_reports.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

namespace omk::dag {
namespace {

constexpr size_t kMaxNamedFailures = 20;

struct Tag {
  std::string name;
  bool closing = false;
  bool self_closing = false;
  std::string name_attribute;
};

// A small, strict tokenizer for the part of XML test reports use. It refuses what it cannot
// read instead of guessing, so a truncated report never passes.
class XmlScanner {
 public:
  explicit XmlScanner(std::string_view text) : text_(text) {}

  // The next tag, skipping text, comments, CDATA, processing instructions and DOCTYPE.
  std::optional<Tag> next(std::string& error) {
    while (true) {
      size_t open = text_.find('<', at_);
      if (open == std::string_view::npos) return std::nullopt;
      at_ = open;
      if (starts_with("<!--")) {
        if (!skip_past("-->", error, "an unterminated comment")) return std::nullopt;
      } else if (starts_with("<![CDATA[")) {
        if (!skip_past("]]>", error, "an unterminated CDATA section")) return std::nullopt;
      } else if (starts_with("<?")) {
        if (!skip_past("?>", error, "an unterminated processing instruction")) return std::nullopt;
      } else if (starts_with("<!")) {
        if (!skip_past(">", error, "an unterminated declaration")) return std::nullopt;
      } else {
        return tag(error);
      }
    }
  }

  int line() const {
    return 1 + static_cast<int>(
                   std::count(text_.begin(), text_.begin() + static_cast<long>(at_), '\n'));
  }

 private:
  bool starts_with(std::string_view prefix) const {
    return text_.substr(at_, prefix.size()) == prefix;
  }

  bool skip_past(std::string_view end, std::string& error, const char* what) {
    size_t found = text_.find(end, at_);
    if (found == std::string_view::npos) {
      error = std::string(what) + " at line " + std::to_string(line());
      return false;
    }
    at_ = found + end.size();
    return true;
  }

  std::optional<Tag> tag(std::string& error) {
    Tag tag;
    size_t i = at_ + 1;
    if (i < text_.size() && text_[i] == '/') {
      tag.closing = true;
      ++i;
    }
    size_t name_start = i;
    while (i < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '_' ||
            text_[i] == '-' || text_[i] == ':' || text_[i] == '.')) {
      ++i;
    }
    tag.name = std::string(text_.substr(name_start, i - name_start));
    if (tag.name.empty()) {
      error = "a malformed tag at line " + std::to_string(line());
      return std::nullopt;
    }
    // Attributes: name="value" or name='value'.
    while (true) {
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      if (i >= text_.size()) {
        error = "an unterminated <" + tag.name + "> tag at line " + std::to_string(line());
        return std::nullopt;
      }
      if (text_[i] == '>') {
        ++i;
        break;
      }
      if (text_[i] == '/' && i + 1 < text_.size() && text_[i + 1] == '>') {
        tag.self_closing = true;
        i += 2;
        break;
      }
      size_t attr_start = i;
      while (i < text_.size() && text_[i] != '=' && text_[i] != '>' &&
             !std::isspace(static_cast<unsigned char>(text_[i]))) {
        ++i;
      }
      std::string attr(text_.substr(attr_start, i - attr_start));
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      if (attr.empty() || i >= text_.size() || text_[i] != '=') {
        error = "a malformed attribute in <" + tag.name + "> at line " + std::to_string(line());
        return std::nullopt;
      }
      ++i;
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      if (i >= text_.size() || (text_[i] != '"' && text_[i] != '\'')) {
        error = "an unquoted attribute in <" + tag.name + "> at line " + std::to_string(line());
        return std::nullopt;
      }
      char quote = text_[i++];
      size_t value_end = text_.find(quote, i);
      if (value_end == std::string_view::npos) {
        error = "an unterminated attribute in <" + tag.name + "> at line " + std::to_string(line());
        return std::nullopt;
      }
      if (attr == "name") tag.name_attribute = std::string(text_.substr(i, value_end - i));
      i = value_end + 1;
    }
    at_ = i;
    return tag;
  }

  std::string_view text_;
  size_t at_ = 0;
};

std::string trim(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  size_t end = text.size();
  while (end > start && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(start, end - start));
}

bool has_directive(const std::string& line, const char* directive) {
  size_t hash = line.find('#');
  if (hash == std::string::npos) return false;
  std::string rest = trim(std::string_view(line).substr(hash + 1));
  std::string upper;
  for (char c : rest.substr(0, 4))
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == directive;
}

}  // namespace

TestReport parse_junit(std::string_view xml) {
  TestReport report;
  XmlScanner scanner(xml);
  std::vector<std::string> open;
  bool in_case = false;
  bool case_failed = false, case_skipped = false;
  std::string case_name;
  bool saw_root = false;
  auto close_case = [&] {
    if (case_failed) {
      ++report.failed;
      if (report.failures.size() < kMaxNamedFailures) report.failures.push_back(case_name);
    } else if (case_skipped) {
      ++report.skipped;
    } else {
      ++report.passed;
    }
    in_case = false;
  };
  std::string error;
  while (auto tag = scanner.next(error)) {
    if (tag->closing) {
      if (open.empty() || open.back() != tag->name) {
        report.error =
            "a mismatched </" + tag->name + "> at line " + std::to_string(scanner.line());
        return report;
      }
      open.pop_back();
      if (tag->name == "testcase" && in_case) close_case();
      continue;
    }
    if (open.empty()) {
      if (saw_root) {
        report.error = "more than one root element";
        return report;
      }
      saw_root = true;
      if (tag->name != "testsuites" && tag->name != "testsuite") {
        report.error = "the root element is <" + tag->name + ">, not <testsuites> or <testsuite>";
        return report;
      }
    }
    if (tag->name == "testcase") {
      if (in_case) {
        report.error = "a <testcase> inside another at line " + std::to_string(scanner.line());
        return report;
      }
      in_case = true;
      case_failed = case_skipped = false;
      case_name = tag->name_attribute;
      if (tag->self_closing) close_case();
    } else if (in_case && (tag->name == "failure" || tag->name == "error")) {
      case_failed = true;
    } else if (in_case && tag->name == "skipped") {
      case_skipped = true;
    }
    if (!tag->self_closing) open.push_back(tag->name);
  }
  if (!error.empty()) {
    report.error = error;
  } else if (!saw_root) {
    report.error = "no <testsuites> or <testsuite> element";
  } else if (!open.empty()) {
    report.error = "<" + open.back() + "> is never closed (a truncated report?)";
  }
  return report;
}

TestReport parse_tap(std::string_view text) {
  TestReport report;
  std::istringstream lines{std::string(text)};
  std::optional<int> planned;
  int seen = 0;
  for (std::string raw; std::getline(lines, raw);) {
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (raw.empty() || raw[0] == ' ' || raw[0] == '\t' || raw[0] == '#')
      continue;  // subtests, diagnostics
    std::string line = trim(raw);
    if (line.rfind("Bail out!", 0) == 0) {
      report.error = "the tests bailed out: " + trim(std::string_view(line).substr(9));
      return report;
    }
    if (line.rfind("1..", 0) == 0) {
      std::string count = line.substr(3);
      size_t digits = 0;
      while (digits < count.size() && std::isdigit(static_cast<unsigned char>(count[digits]))) {
        ++digits;
      }
      if (digits == 0 || digits > 9) {
        report.error = "a malformed plan line: " + line;
        return report;
      }
      if (planned) {
        report.error = "more than one plan line";
        return report;
      }
      planned = std::stoi(count.substr(0, digits));
      continue;
    }
    bool ok = line.rfind("ok", 0) == 0 && (line.size() == 2 || line[2] == ' ');
    bool not_ok = line.rfind("not ok", 0) == 0 && (line.size() == 6 || line[6] == ' ');
    if (!ok && !not_ok) continue;  // other output is allowed between test lines
    ++seen;
    std::string name = trim(std::string_view(line).substr(ok ? 2 : 6));
    if (has_directive(line, "SKIP")) {
      ++report.skipped;
    } else if (has_directive(line, "TODO")) {
      ++report.skipped;  // a TODO test is expected to fail and proves nothing either way
    } else if (ok) {
      ++report.passed;
    } else {
      ++report.failed;
      if (report.failures.size() < kMaxNamedFailures) report.failures.push_back(name);
    }
  }
  if (!planned) {
    report.error = "no plan line (1..N)";
  } else if (*planned != seen) {
    report.error =
        "planned " + std::to_string(*planned) + " tests but " + std::to_string(seen) + " ran";
  }
  return report;
}

}  // namespace omk::dag
