# SDL2 for the browser, compiled from Debian's libsdl2 source package (scripts/fetch-sources.sh
# puts it in build/_src). Emscripten's own "-sUSE_SDL=2" port downloads from GitHub, which these
# machines cannot reach, and SDL's own CMake build runs hundreds of try-compiles (minutes); so we
# compile the file list Emscripten's port uses (its tools/ports/sdl2.py) plus the files SDL 2.26
# added, with SDL's own Emscripten configuration (SDL_config.h picks it).
enable_language(C)
set(DRIFTQ_SDL2_DIR "${PROJECT_SOURCE_DIR}/build/_src/SDL2-2.26.5" CACHE PATH "SDL 2.26 sources")
if(NOT EXISTS "${DRIFTQ_SDL2_DIR}/src/SDL.c")
  execute_process(COMMAND "${PROJECT_SOURCE_DIR}/scripts/fetch-sources.sh" libsdl2 RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0 OR NOT EXISTS "${DRIFTQ_SDL2_DIR}/src/SDL.c")
    message(FATAL_ERROR "SDL2 sources not found in ${DRIFTQ_SDL2_DIR} (scripts/fetch-sources.sh libsdl2 failed)")
  endif()
endif()

set(sdl2_web_sources
  SDL.c SDL_assert.c SDL_dataqueue.c SDL_error.c SDL_hints.c SDL_log.c SDL_guid.c SDL_list.c SDL_utils.c
  atomic/SDL_atomic.c atomic/SDL_spinlock.c
  audio/SDL_audio.c audio/SDL_audiocvt.c audio/SDL_audiodev.c audio/SDL_audiotypecvt.c audio/SDL_mixer.c
  audio/SDL_wave.c audio/emscripten/SDL_emscriptenaudio.c audio/disk/SDL_diskaudio.c audio/dummy/SDL_dummyaudio.c
  cpuinfo/SDL_cpuinfo.c dynapi/SDL_dynapi.c
  events/SDL_clipboardevents.c events/SDL_displayevents.c events/SDL_dropevents.c events/SDL_events.c
  events/SDL_gesture.c events/SDL_keyboard.c events/SDL_mouse.c events/SDL_quit.c events/SDL_touch.c
  events/SDL_windowevents.c
  file/SDL_rwops.c filesystem/emscripten/SDL_sysfilesystem.c
  haptic/SDL_haptic.c haptic/dummy/SDL_syshaptic.c
  joystick/SDL_gamecontroller.c joystick/SDL_joystick.c joystick/controller_type.c joystick/emscripten/SDL_sysjoystick.c
  loadso/dlopen/SDL_sysloadso.c locale/SDL_locale.c locale/emscripten/SDL_syslocale.c
  main/dummy/SDL_dummy_main.c misc/SDL_url.c misc/dummy/SDL_sysurl.c
  power/SDL_power.c power/emscripten/SDL_syspower.c
  render/SDL_d3dmath.c render/SDL_render.c render/SDL_yuv_sw.c render/opengles2/SDL_render_gles2.c
  render/opengles2/SDL_shaders_gles2.c render/software/SDL_blendfillrect.c render/software/SDL_blendline.c
  render/software/SDL_blendpoint.c render/software/SDL_drawline.c render/software/SDL_drawpoint.c
  render/software/SDL_render_sw.c render/software/SDL_rotate.c render/software/SDL_triangle.c
  sensor/SDL_sensor.c sensor/dummy/SDL_dummysensor.c
  stdlib/SDL_crc16.c stdlib/SDL_crc32.c stdlib/SDL_getenv.c stdlib/SDL_iconv.c stdlib/SDL_malloc.c
  stdlib/SDL_qsort.c stdlib/SDL_stdlib.c stdlib/SDL_string.c stdlib/SDL_strtokr.c
  thread/SDL_thread.c thread/generic/SDL_syscond.c thread/generic/SDL_sysmutex.c thread/generic/SDL_syssem.c
  thread/generic/SDL_systhread.c thread/generic/SDL_systls.c
  timer/SDL_timer.c timer/unix/SDL_systimer.c
  video/SDL_RLEaccel.c video/SDL_blit.c video/SDL_blit_0.c video/SDL_blit_1.c video/SDL_blit_A.c
  video/SDL_blit_N.c video/SDL_blit_auto.c video/SDL_blit_copy.c video/SDL_blit_slow.c video/SDL_bmp.c
  video/SDL_clipboard.c video/SDL_egl.c video/SDL_fillrect.c video/SDL_pixels.c video/SDL_rect.c
  video/SDL_shape.c video/SDL_stretch.c video/SDL_surface.c video/SDL_video.c video/SDL_yuv.c
  video/emscripten/SDL_emscriptenevents.c video/emscripten/SDL_emscriptenframebuffer.c
  video/emscripten/SDL_emscriptenmouse.c video/emscripten/SDL_emscriptenopengles.c
  video/emscripten/SDL_emscriptenvideo.c video/dummy/SDL_nullevents.c video/dummy/SDL_nullframebuffer.c
  video/dummy/SDL_nullvideo.c video/yuv2rgb/yuv_rgb.c)
list(TRANSFORM sdl2_web_sources PREPEND "${DRIFTQ_SDL2_DIR}/src/")
add_library(driftq_sdl2_web STATIC ${sdl2_web_sources})
set_target_properties(driftq_sdl2_web PROPERTIES LINKER_LANGUAGE C)
target_include_directories(driftq_sdl2_web SYSTEM PUBLIC ${DRIFTQ_SDL2_DIR}/include)
target_compile_options(driftq_sdl2_web PRIVATE -w -O2)
