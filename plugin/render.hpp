// Writes results and reports as canonical JSON (the shapes of MISSION.md).
#pragma once

#include <string>

#include "portfolio.hpp"

namespace crmtier {

// One account's canonical result object, appended to `out`.
void render_result(const Portfolio& portfolio, const Result& r, std::string& out);

// The three questions of "ask that client for feedback".
extern const char* const kFeedbackQuestions[3];

}  // namespace crmtier
