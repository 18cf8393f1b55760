// Writes the current OpenGL back buffer to a binary PPM file (the screenshot test and the
// README's screenshot script convert it with ImageMagick).
#pragma once

#include <string>

#include "base/error.hpp"

namespace driftq::viz {

Status save_screenshot(const std::string& path, int width, int height);

}  // namespace driftq::viz
