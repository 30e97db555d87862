#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omk::dag {

// The structured verdict a reviewing agent lane ends its answer with (docs/runs.md, "Review
// verdicts"). Either a line
//     VERDICT: approve            (or VERDICT: request-changes)
// or a fenced JSON block
//     ```json
//     {"verdict": "approve", "summary": "..."}
//     ```
// The last verdict in the message counts. A verdict that is neither word is not a verdict, so
// "VERDICT: looks good" approves nothing.
struct ReviewVerdict {
  std::string verdict;  // "approve" or "request-changes"
  std::string summary;  // the JSON form's summary ("" for the line form)
};

std::optional<ReviewVerdict> parse_review_verdict(std::string_view final_message);

// What a reviewing lane is told about the verdict, appended to its prompt.
std::string review_verdict_instructions();

}  // namespace omk::dag
