#!/usr/bin/env bash
# Renders every Resourse/src/*.dot to Resourse/<basename>.png with Graphviz.
# Usage: tools/render_diagrams.sh        (run from anywhere inside the repo)
# Needs: dot (Debian package graphviz). Chinese labels need a CJK font,
# e.g. Debian package fonts-wqy-microhei or fonts-noto-cjk.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src_dir="$repo_root/Resourse/src"
out_dir="$repo_root/Resourse"

if ! command -v dot >/dev/null 2>&1; then
    echo "render_diagrams: 'dot' not found; install Graphviz first: sudo apt-get install graphviz" >&2
    exit 1
fi

if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    echo "render_diagrams: warning: no Chinese font found, Chinese labels will render as boxes;" \
         "install one: sudo apt-get install fonts-wqy-microhei" >&2
fi

shopt -s nullglob
sources=("$src_dir"/*.dot)
if [ ${#sources[@]} -eq 0 ]; then
    echo "render_diagrams: no .dot files in $src_dir" >&2
    exit 1
fi

for src in "${sources[@]}"; do
    name="$(basename "$src" .dot)"
    out="$out_dir/$name.png"
    dot -Tpng -Gdpi=110 -o "$out.tmp" "$src"
    mv "$out.tmp" "$out"
    echo "rendered Resourse/$name.png"
done
