# Settings for every WebAssembly target. Each flag says what it prevents.

# doctest reports failures with exceptions; without catching support a failed check would abort
# the whole run instead of being reported.
add_compile_options(-fexceptions)
add_link_options(
  -fexceptions
  # Large scenarios and the broker's logs grow past the default 16 MiB heap.
  -sALLOW_MEMORY_GROWTH=1)
if(NOT DRIFTQ_WEB)
  add_link_options(
    # Propagate main()'s return value as node's exit status, so ctest sees failures.
    -sEXIT_RUNTIME=1
    # Test binaries read their arguments from node's command line.
    -sNODERAWFS=1)
endif()

# Debian's emscripten needs node to find its own modules (acorn) at -O1 and above.
set(ENV{NODE_PATH} "/usr/share/nodejs")
# Node 20's experimental fetch makes the emscripten loader fetch() a file path and fail.
set(CMAKE_CROSSCOMPILING_EMULATOR "node;--no-experimental-fetch")
