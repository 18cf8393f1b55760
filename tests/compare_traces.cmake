# Runs driftq-sim natively and under node and requires byte-identical output.
# Inputs: NATIVE (native binary), WASM (the .js of the WebAssembly build), OUT (scratch dir),
# ARGS (driftq-sim arguments, ';'-separated; default: the demo with its state dump).
if(DEFINED ARGS)
  set(args ${ARGS})
else()
  set(args demo --json --state)
endif()
execute_process(COMMAND ${NATIVE} ${args} OUTPUT_VARIABLE native RESULT_VARIABLE native_rc)
execute_process(COMMAND node --no-experimental-fetch ${WASM} ${args}
                OUTPUT_VARIABLE wasm RESULT_VARIABLE wasm_rc)
if(NOT native_rc EQUAL 0 OR NOT wasm_rc EQUAL 0)
  message(FATAL_ERROR "driftq-sim failed: native exit ${native_rc}, wasm exit ${wasm_rc}")
endif()
string(LENGTH "${native}" native_len)
if(native_len LESS 1000)
  message(FATAL_ERROR "native trace is suspiciously short (${native_len} bytes)")
endif()
if(NOT native STREQUAL wasm)
  file(WRITE ${OUT}/trace.native.ndjson "${native}")
  file(WRITE ${OUT}/trace.wasm.ndjson "${wasm}")
  message(FATAL_ERROR "traces differ: diff ${OUT}/trace.native.ndjson ${OUT}/trace.wasm.ndjson")
endif()
message(STATUS "native and wasm traces identical (${native_len} bytes)")
