#!/usr/bin/env bash
# Checks what a compiler cannot: core/ has no platform, UI, clock, thread or randomness use, and
# no unordered containers whose iteration order could reach an output.
set -euo pipefail
root=${1:-.}
fail=0
check() {
    local what=$1 pattern=$2
    if grep -rnE "$pattern" "$root/core" --include='*.hpp' --include='*.cpp'; then
        echo "tidy: core/ must not use $what" >&2
        fail=1
    fi
}
check "platform or UI headers" '#include *[<"](imgui|SDL|emscripten|GL/|GLES|unistd|sys/|windows|pthread)'
check "threads" '#include *<(thread|mutex|atomic|future|condition_variable)>|std::thread'
check "clocks" '#include *<(chrono|ctime|sys/time.h)>|std::chrono|std::time\(|[^_a-z.>]time\((NULL|nullptr|0)?\)|clock\(\)|gettimeofday|clock_gettime'
check "randomness" '#include *<random>|[^_a-z]rand\(|random_device'
check "unordered containers" 'unordered_(map|set)'
check "exceptions across the API" '\bthrow\b'
# Layers are included as "layer/file.hpp" through the build's include views; a path that climbs
# out of a folder or names core/ would get around them.
if grep -rnE '#include *"(\.\./|core/)' "$root/core" "$root/native" "$root/tests" "$root/bench" --include='*.hpp' --include='*.cpp'; then
    echo "tidy: include layers as \"layer/file.hpp\", never with ../ or core/" >&2
    fail=1
fi
exit $fail
