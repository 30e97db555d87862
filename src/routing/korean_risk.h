#pragma once

#include <string_view>

#include "routing/english_risk.h"

namespace omk::routing {

// The Korean half of classify_risk. Korean is verb-final and agglutinative, so a keyword asks
// for an action only as a predicate: a verbal noun followed by a request or sequence ending
// (수정해줘, 빌드하고, 배포 부탁해, 리뷰만 해줘) or standing alone at the end of a clause
// (README 오타 수정), or a native verb form (고쳐줘, 돌려봐). Conditional, relative, past and
// noun uses (푸시하면, 배포하는 방법, 수정된 파일, 빌드가 깨졌어) do not count, and negated forms
// (수정하지 말고, 변경 없이, 돌리지 마) are reported as negated.
LanguageFindings korean_findings(std::string_view lowered);

}  // namespace omk::routing
