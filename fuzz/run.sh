#!/usr/bin/env bash
# Builds and runs the fuzz targets with libFuzzer under ASan+UBSan.
#
# usage: fuzz/run.sh [--seconds N] [TARGET...]     (default: every fuzz/*.cpp, 30 s each)
#
# A target is fuzz/<name>.cpp defining LLVMFuzzerTestOneInput. Its line
#     // fuzz-sources: labs/03_encapsulation/frame_codec.cpp ...
# names the reference sources it needs (pure parsers: no sockets, no threads). The committed
# seed corpus fuzz/corpus/<name>/ is copied to build-fuzz/corpus-<name>/ so runs never dirty
# the tree. A crash, leak or sanitizer report fails the run and leaves the reproducer in
# build-fuzz/ (replay it with: build-fuzz/<name> build-fuzz/crash-...).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=30
targets=()
while (( $# )); do
    case $1 in
        --seconds) seconds=$2; shift ;;
        -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
if (( ${#targets[@]} == 0 )); then
    for file in fuzz/*.cpp; do targets+=("$(basename "$file" .cpp)"); done
fi
command -v clang++ >/dev/null || { echo "fuzz/run.sh: clang++ is missing: apt-get install clang libclang-rt-dev" >&2; exit 2; }

mkdir -p build-fuzz
for target in "${targets[@]}"; do
    source_file="fuzz/$target.cpp"
    [[ -f $source_file ]] || { echo "fuzz/run.sh: no $source_file" >&2; exit 2; }
    read -r -a sources < <(sed -n 's#^// fuzz-sources:##p' "$source_file")
    echo "==> building $target (${sources[*]})"
    clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -Ilabs "$source_file" "${sources[@]}" -o "build-fuzz/$target"
    corpus="build-fuzz/corpus-$target"
    rm -rf "$corpus"
    mkdir -p "$corpus"
    [[ -d fuzz/corpus/$target ]] && cp -r "fuzz/corpus/$target/." "$corpus/"
    echo "==> fuzzing $target for $seconds s (seeds: $(ls "$corpus" | wc -l))"
    rm -f "build-fuzz/$target"-crash-* "build-fuzz/$target"-leak-* "build-fuzz/$target"-timeout-* "build-fuzz/$target"-oom-*
    status=0
    (cd build-fuzz && "./$target" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
        -artifact_prefix="./$target-" "corpus-$target" >"$target.log" 2>&1) || status=$?
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "build-fuzz/$target.log" | sed 's/^/    /' || true
    if (( status != 0 )) || compgen -G "build-fuzz/$target-*-*" >/dev/null; then
        tail -n 60 "build-fuzz/$target.log" >&2
        echo "fuzz/run.sh: $target failed (status $status); reproducer: $(ls build-fuzz/$target-*-* 2>/dev/null)" >&2
        exit 1
    fi
done
echo "==> every fuzz target ran clean"
