#include "native/screenshot.hpp"

#include <SDL_opengl.h>

#include <cstdio>
#include <vector>

namespace driftq::viz {

Status save_screenshot(const std::string& path, int width, int height) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return make_error(Errc::io_error, path + ": cannot write the screenshot");
    std::fprintf(f, "P6\n%d %d\n255\n", width, height);
    const std::size_t row = static_cast<std::size_t>(width) * 3;
    bool ok = true;
    for (int y = height - 1; y >= 0 && ok; --y) {  // OpenGL's rows start at the bottom
        ok = std::fwrite(pixels.data() + static_cast<std::size_t>(y) * row, 1, row, f) == row;
    }
    ok = std::fclose(f) == 0 && ok;
    if (!ok) return make_error(Errc::io_error, path + ": writing the screenshot failed");
    return {};
}

}  // namespace driftq::viz
