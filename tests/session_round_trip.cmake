# Drives an interactive session from a script, saves it as a scenario file, replays that file
# with `driftq-sim trace` and requires the replay's trace to begin with the session's, byte for byte.
# With NATIVE_SIM set (the native runner), the session's trace must also equal the native one.
# Inputs: SIM (the runner command, ';'-separated), SCENARIO, SCRIPT, OUT (scratch dir).
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${SIM} session ${SCENARIO} --script ${SCRIPT}
                        --save ${OUT}/saved.json --trace ${OUT}/session.ndjson
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "session failed (${rc}): ${out}${err}")
endif()
message(STATUS "${out}")
execute_process(COMMAND ${SIM} trace ${OUT}/saved.json OUTPUT_FILE ${OUT}/replay.ndjson RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "replaying ${OUT}/saved.json failed (${rc})")
endif()
file(READ ${OUT}/session.ndjson session)
file(READ ${OUT}/replay.ndjson replay)
string(LENGTH "${session}" n)
if(n LESS 10000)
  message(FATAL_ERROR "the session's trace is suspiciously short (${n} bytes)")
endif()
# The saved file runs to the scenario's own end, so its trace may go on past the session's.
string(FIND "${replay}" "${session}" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "the saved session replays differently: diff ${OUT}/session.ndjson ${OUT}/replay.ndjson")
endif()
if(DEFINED NATIVE_SIM)
  if(NOT EXISTS "${NATIVE_SIM}")
    message(FATAL_ERROR "no native driftq-sim at '${NATIVE_SIM}': build the dev preset first")
  endif()
  execute_process(COMMAND ${NATIVE_SIM} session ${SCENARIO} --script ${SCRIPT}
                          --trace ${OUT}/native.ndjson RESULT_VARIABLE rc OUTPUT_QUIET)
  file(READ ${OUT}/native.ndjson native)
  if(NOT rc EQUAL 0 OR NOT session STREQUAL native)
    message(FATAL_ERROR "native and WebAssembly sessions differ: diff ${OUT}/native.ndjson ${OUT}/session.ndjson")
  endif()
endif()
message(STATUS "session and replay identical (${n} bytes)")
