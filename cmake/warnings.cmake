# Warnings for the project's own targets (third-party headers are included as SYSTEM).
function(driftq_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wno-missing-field-initializers
                                           $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
                                           -Werror=return-type)
endfunction()
