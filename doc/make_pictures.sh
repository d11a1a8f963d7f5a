#!/usr/bin/env bash
# Regenerates the pictures of the tutorial (doc/tutorials/xcam_tutorial.md) with the xcam_cam
# sample, headless, MobileNetV2 on real photos:
#   doc/images/{chelsea,bird}_{seed,blend}.jpg   the top class's map, seed and blend styles
#   doc/images/top3_montage.jpg                  bird, cat and coffee: photo, overlay and top-3
#   doc/images/xcam_detect_astronaut.jpg         xcam_detect: BlazeFace's face and its D-RISE map
#                                                (4,000 masks: about a minute)
# (doc/images/chelsea_cam.jpg, the README's window snapshot, is not touched.)
#
# Usage: doc/make_pictures.sh        (from anywhere; paths below are relative to the repo root)
# Environment:
#   XCAM_SHARED=DIR   models and images (default ../shared): DIR/models/mobilenet_v2_1.0_224_imagenet
#                     and DIR/images/{chelsea.png,bird.bmp,coffee.png}
#   XCAM_BIN=DIR      where xcam_cam is (default build/bin; build it with
#                     `cmake -S . -B build && cmake --build build -j2`)
# A picture larger than 80 KB is downscaled (Debian's /usr/bin/python3 + cv2, else ImageMagick).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

shared="${XCAM_SHARED:-../shared}"
bin="${XCAM_BIN:-build/bin}/xcam_cam"
model_dir="$shared/models/mobilenet_v2_1.0_224_imagenet"
images="$shared/images"
out="doc/images"
max_bytes=$((80 * 1024))

die() { echo "make_pictures.sh: $*" >&2; exit 1; }
[[ -x "$bin" ]] || die "$bin not found: build first (cmake -S . -B build && cmake --build build -j2) or set XCAM_BIN"
[[ -f "$model_dir/mobilenet_v2_1.0_224.onnx" ]] || die "no MobileNetV2 in $model_dir: set XCAM_SHARED"
for f in chelsea.png bird.bmp coffee.png; do
    [[ -f "$images/$f" ]] || die "no $images/$f: set XCAM_SHARED"
done
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# MobileNetV2's preprocessing (its README): 224x224, (x - 127.5) / 127.5, RGB.
cam() {
    "$bin" --model="$model_dir/mobilenet_v2_1.0_224.onnx" --classes="$model_dir/labels.txt" \
        --width=224 --height=224 --scale=0.00784313725490196 --mean="127.5 127.5 127.5" --rgb \
        --headless "$@"
}

# Downscales a JPEG until it is at most max_bytes.
shrink() {
    local file="$1"
    [[ $(stat -c %s "$file") -le $max_bytes ]] && return 0
    if /usr/bin/python3 -c 'import cv2' 2>/dev/null; then
        /usr/bin/python3 - "$file" "$max_bytes" <<'EOF'
import sys
import cv2 as cv
path, limit = sys.argv[1], int(sys.argv[2])
image = cv.imread(path)
scale = 1.0
while True:
    scale *= 0.9
    small = cv.resize(image, None, fx=scale, fy=scale, interpolation=cv.INTER_AREA)
    ok, data = cv.imencode(".jpg", small, [cv.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        sys.exit("cannot encode " + path)
    if len(data) <= limit or scale < 0.2:
        break
open(path, "wb").write(data.tobytes())
EOF
    elif command -v convert >/dev/null; then
        while [[ $(stat -c %s "$file") -gt $max_bytes ]]; do
            convert "$file" -resize 90% -quality 90 "$file"
        done
    else
        die "$file is larger than $max_bytes bytes and neither /usr/bin/python3 with cv2 nor convert is available"
    fi
}

# The map of the top class over the photo, in the seed's style and as a colormap blend.
for image in chelsea.png bird.bmp; do
    name="${image%.*}"
    for style in seed blend; do
        echo "== $name, $style style"
        cam --input="$images/$image" --style="$style" --output="$out/${name}_${style}.jpg"
        shrink "$out/${name}_${style}.jpg"
    done
done

# Top-3 of three photos in one picture (xcam_cam --montage on a folder).
mkdir "$tmp/photos"
for image in bird.bmp chelsea.png coffee.png; do
    ln -s "$(cd "$images" && pwd)/$image" "$tmp/photos/$image"
done
echo "== montage"
cam --input="$tmp/photos" --montage="$out/top3_montage.jpg"
shrink "$out/top3_montage.jpg"

# xcam_detect: BlazeFace (the sample decoder) on astronaut.png, D-RISE at its default 4,000 masks.
blazeface="$shared/models/blazeface_front_128/blazeface_front_128.onnx"
detect="${XCAM_BIN:-build/bin}/xcam_detect"
[[ -x "$detect" && -f "$blazeface" ]] || die "need $detect and $blazeface"
echo "== xcam_detect, BlazeFace, D-RISE"
"$detect" --format=blazeface --model="$blazeface" --input="$images/astronaut.png" \
    --output="$out/xcam_detect_astronaut.jpg" --headless
shrink "$out/xcam_detect_astronaut.jpg"

echo "== pictures"
ls -l "$out"
du -ch "$out"/*.jpg | tail -n 1
