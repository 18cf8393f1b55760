# Dear ImGui 1.86, compiled from Debian's source package (scripts/fetch-sources.sh puts it in
# build/_src; nothing is vendored). We compile it ourselves rather than link Debian's prebuilt
# libimgui.a because the UI needs two build-time settings that library lacks: 32-bit draw indices
# (a zoomed-out view of a million messages needs more than 65,535 vertices in one draw list, and
# WebGL cannot offset vertices) and the test-engine item hooks that the UI driving tests use.
set(DRIFTQ_IMGUI_DIR "${PROJECT_SOURCE_DIR}/build/_src/imgui-1.86" CACHE PATH "Dear ImGui 1.86 sources")
if(NOT EXISTS "${DRIFTQ_IMGUI_DIR}/imgui.cpp")
  execute_process(COMMAND "${PROJECT_SOURCE_DIR}/scripts/fetch-sources.sh" imgui
                  RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0 OR NOT EXISTS "${DRIFTQ_IMGUI_DIR}/imgui.cpp")
    message(FATAL_ERROR "Dear ImGui sources not found in ${DRIFTQ_IMGUI_DIR} "
                        "(scripts/fetch-sources.sh imgui failed)")
  endif()
endif()

add_library(driftq_imgui STATIC
  ${DRIFTQ_IMGUI_DIR}/imgui.cpp
  ${DRIFTQ_IMGUI_DIR}/imgui_draw.cpp
  ${DRIFTQ_IMGUI_DIR}/imgui_tables.cpp
  ${DRIFTQ_IMGUI_DIR}/imgui_widgets.cpp
  ${DRIFTQ_IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp)
target_include_directories(driftq_imgui SYSTEM PUBLIC ${DRIFTQ_IMGUI_DIR} ${DRIFTQ_IMGUI_DIR}/misc/cpp
                                                      ${PROJECT_SOURCE_DIR}/ui/config)
target_compile_definitions(driftq_imgui PUBLIC IMGUI_USER_CONFIG="driftq_imconfig.h")
target_compile_options(driftq_imgui PRIVATE -w)

# The desktop platform and renderer backends: SDL2 and OpenGL 3 from Debian's packages.
if(NOT EMSCRIPTEN)
  find_package(SDL2 CONFIG)
  find_package(OpenGL)
  if(SDL2_FOUND AND OPENGL_FOUND)
    add_library(driftq_imgui_sdl STATIC
      ${DRIFTQ_IMGUI_DIR}/backends/imgui_impl_sdl.cpp
      ${DRIFTQ_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
    target_include_directories(driftq_imgui_sdl SYSTEM PUBLIC ${DRIFTQ_IMGUI_DIR}/backends)
    target_link_libraries(driftq_imgui_sdl PUBLIC driftq_imgui SDL2::SDL2 OpenGL::GL ${CMAKE_DL_LIBS})
    # Not sanitized: 1.86's bundled GL loader indexes one past an array (UBSan reports it at
    # start-up); it is third-party code we do not change, and our code stays sanitized.
    target_compile_options(driftq_imgui_sdl PRIVATE -w -fno-sanitize=all)
  else()
    message(WARNING "SDL2 or OpenGL development files not found: driftq-viz is not built "
                    "(scripts/install-deps.sh installs libsdl2-dev and libgl-dev)")
  endif()
endif()

# The browser's backends: SDL2 compiled from Debian's source (sdl2_web.cmake) and WebGL 2
# through OpenGL ES 3 (1.86 picks ES 2 on Emscripten unless told).
if(EMSCRIPTEN AND DRIFTQ_WEB)
  include(${CMAKE_CURRENT_LIST_DIR}/sdl2_web.cmake)
  add_library(driftq_imgui_web STATIC
    ${DRIFTQ_IMGUI_DIR}/backends/imgui_impl_sdl.cpp
    ${DRIFTQ_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(driftq_imgui_web SYSTEM PUBLIC ${DRIFTQ_IMGUI_DIR}/backends)
  target_compile_definitions(driftq_imgui_web PUBLIC IMGUI_IMPL_OPENGL_ES3)
  target_link_libraries(driftq_imgui_web PUBLIC driftq_imgui driftq_sdl2_web)
  target_compile_options(driftq_imgui_web PRIVATE -w)
endif()
