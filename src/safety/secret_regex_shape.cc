#include "safety/secret_regex_shape.h"

#include <fmt/format.h>

#include <cctype>
#include <cstring>

namespace omk::safety {

// A keyword as a vectorscan regex matching it literally, byte by byte.
std::string literal_expression(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out += fmt::format("\\x{:02x}", c);
  return out;
}

// Whether a rule's match can span lines, so its confirmation window must reach back past the
// line start. True for (?s), [\s\S], and \s, \n, \r, \v, \f outside a negated class
// ([^\s"] is a single-line class).
bool may_cross_lines(const std::string& regex) {
  if (regex.find("(?s") != std::string::npos) return true;
  bool in_class = false;
  bool negated = false;
  for (size_t i = 0; i < regex.size(); ++i) {
    char c = regex[i];
    if (c == '\\' && i + 1 < regex.size()) {
      char next = regex[++i];
      // \r alone does not cross lines: \r?$ ends one.
      bool newline_escape = next == 's' || next == 'n' || next == 'v' || next == 'f';
      if (newline_escape && !(in_class && negated)) return true;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      negated = i + 1 < regex.size() && regex[i + 1] == '^';
      if (negated) ++i;
      if (i + 1 < regex.size() && regex[i + 1] == ']') ++i;  // a leading ] is literal
      continue;
    }
    if (in_class && c == ']') {
      in_class = false;
      negated = false;
      continue;
    }
    // A negated class without \n in it matches newlines too ([^"]), but rules rarely rely on
    // that; it is treated as single-line so windows stay small.
  }
  return false;
}

// Whether the whole regex is one capture group, "(...)": then the secret is the whole match and
// the second RE2 pass that extracts groups can be skipped.
bool is_one_group(const std::string& regex) {
  if (regex.size() < 2 || regex[0] != '(' || regex[1] == '?') return false;
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < regex.size(); ++i) {
    char c = regex[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < regex.size() && regex[i + 1] == '^') ++i;
      if (i + 1 < regex.size() && regex[i + 1] == ']') ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return i == regex.size() - 1;
    }
  }
  return false;
}

// Whether the group opening at `open` (or the whole regex, for npos) has a top-level '|'.
bool has_alternation(const std::string& regex, size_t open) {
  int depth = open == std::string::npos ? 1 : 0;
  bool in_class = false;
  for (size_t i = open == std::string::npos ? 0 : open; i < regex.size(); ++i) {
    char c = regex[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < regex.size() && regex[i + 1] == '^') ++i;
      if (i + 1 < regex.size() && regex[i + 1] == ']') ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return false;
    } else if (c == '|' && depth == 1) {
      return true;
    }
  }
  return false;
}

// The literal text every match of `regex` starts with, lower-cased ("ghp_" for
// \b(ghp_[A-Za-z0-9]{36})\b, "-----begin rsa private key-----" for a key block); empty when
// the regex starts with anything else (a class, an alternation). Confirmation then tries
// anchored matches only where this literal occurs, instead of an unanchored search.
std::string leading_literal(const std::string& regex) {
  if (has_alternation(regex, std::string::npos)) return {};
  size_t i = 0;
  for (bool progress = true; progress;) {
    progress = false;
    for (std::string_view skip : {"\\b", "(?i)", "(?:", "("}) {
      if (regex.compare(i, skip.size(), skip) != 0) continue;
      if (skip[0] == '(' && skip != "(?i)" && has_alternation(regex, i)) return {};
      i += skip.size();
      progress = true;
    }
  }
  std::string literal;
  for (; i < regex.size(); ++i) {
    char c = regex[i];
    if (c == '\\' && i + 1 < regex.size()) {
      char next = regex[i + 1];
      if (std::isalnum(static_cast<unsigned char>(next))) break;  // \d, \w, \x41, ...
      literal += next;
      ++i;
      continue;
    }
    if (std::strchr(".[](){}*+?|^$", c) != nullptr) {
      // A quantifier applies to the last literal character: it is not part of every match.
      if ((c == '*' || c == '?' || c == '{') && !literal.empty()) literal.pop_back();
      break;
    }
    literal += c;
  }
  for (char& c : literal) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return literal.size() >= 3 ? literal : std::string();
}

std::string strip_word_boundaries(std::string regex) {
  if (regex.rfind("\\b", 0) == 0) regex.erase(0, 2);
  if (regex.size() >= 2 && regex.compare(regex.size() - 2, 2, "\\b") == 0 &&
      (regex.size() < 3 || regex[regex.size() - 3] != '\\')) {
    regex.erase(regex.size() - 2);
  }
  return regex;
}

}  // namespace omk::safety
