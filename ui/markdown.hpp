// The Markdown subset lessons are written in: paragraphs (blank lines), **bold** and `code`,
// wrapped to the window. Drawn word by word, so bold and code can sit inside a wrapped line.
#pragma once

#include <string_view>

namespace driftq::ui {

void markdown(std::string_view text);

}  // namespace driftq::ui
