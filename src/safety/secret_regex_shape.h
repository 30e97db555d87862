#pragma once

#include <string>
#include <string_view>

namespace omk::safety {

// What the matcher reads from a rule's regex text to confirm candidates cheaply. Each function
// is conservative: when unsure it answers so that the matcher does the general, slower thing.

// A keyword as a vectorscan regex matching it literally, byte by byte.
std::string literal_expression(std::string_view text);

// Whether a match can span lines, so its confirmation window must reach back past the line
// start. True for (?s), [\s\S], and \s, \n, \v, \f outside a negated class ([^\s"] is a
// single-line class; \r?$ ends a line rather than crossing one).
bool may_cross_lines(const std::string& regex);

// Whether the whole regex is one capture group, "(...)": the secret is then the whole match.
bool is_one_group(const std::string& regex);

// Whether the group opening at `open` (or the whole regex, for npos) has a top-level '|'.
bool has_alternation(const std::string& regex, size_t open);

// The literal text every match starts with, lower-cased ("ghp_" for \b(ghp_[A-Za-z0-9]{36})\b,
// "-----begin rsa private key-----" for a key block); empty when the regex starts with anything
// else (a class, an alternation) or the literal is shorter than 3 bytes.
std::string leading_literal(const std::string& regex);

// The regex without a leading and a trailing \b.
std::string strip_word_boundaries(std::string regex);

}  // namespace omk::safety
