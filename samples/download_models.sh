#!/usr/bin/env bash
# Download the public models behind xcam_cam's --preset options, check their checksums, and print
# the xcam_cam command that runs each one.
#
#   samples/download_models.sh [squeezenet|googlenet|resnet18|mobilenetv2|all] [DEST_DIR]
#
# DEST_DIR defaults to samples/models (next to this script). Each model goes to DEST_DIR/<preset>/,
# the ImageNet class names to DEST_DIR/classification_classes_ILSVRC2012.txt. Files are fetched to a
# temporary name in the target directory and moved into place only after their checksum matched,
# so an interrupted or failed run leaves nothing half-written. Files already present with the right
# checksum are not fetched again.
#
# Where the checksums come from:
#   squeezenet, googlenet: SHA-256 and sizes from OpenVINO's Open Model Zoo
#     (models/public/squeezenet1.1/model.yml, models/public/googlenet-v1/model.yml), which pins the
#     same files at fixed commits. OpenCV's samples/dnn/models.yml lists the SHA-1 of the two
#     .caffemodel files; they are noted below for reference but the SHA-256 is what is checked.
#   resnet18, mobilenetv2: SHA-256 and sizes from the git-LFS pointers in github.com/onnx/models.
#   class names: no published checksum; the file is checked for 1000 lines starting with "tench".
set -euo pipefail

prog=download_models.sh
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)

usage() {
    cat <<EOF
usage: samples/download_models.sh [squeezenet|googlenet|resnet18|mobilenetv2|all] [DEST_DIR]

Downloads the model files for the given xcam_cam --preset (default: all) into DEST_DIR/<preset>/
(default DEST_DIR: samples/models), verifies their checksums, fetches the ImageNet class names, and
prints the xcam_cam command to run. Needs curl or wget, and sha256sum (or shasum).
EOF
}

# ------------------------------------------------------------------------------------- the files
# One line per file: directory under DEST_DIR (the preset; empty for DEST_DIR itself)|file name|algorithm|checksum|size in bytes (- if unknown)|url [url...]
# Later URLs are mirrors, tried only when the previous one failed; the checksum guards all of them.
files_of() {
    case "$1" in
    squeezenet)
        # SqueezeNet v1.1 (forresti/SqueezeNet, BSD-2), pinned to commit a47b6f1 as Open Model Zoo
        # does. OpenCV's models.yml fetches the same caffemodel from commit b5c3f1a with
        # sha1 3397f026368a45ae236403ccc81cfcbe8ebe1bd0.
        echo "squeezenet|squeezenet_v1.1.prototxt|sha256|d041bfb2ab4b32fda4ff6c6966684132f2924e329916aa5bfe9285c6b23e3d1c|9678|https://raw.githubusercontent.com/forresti/SqueezeNet/a47b6f13d30985279789d08053d37013d67d131b/SqueezeNet_v1.1/deploy.prototxt"
        echo "squeezenet|squeezenet_v1.1.caffemodel|sha256|72b912ace512e8621f8ff168a7d72af55910d3c7c9445af8dfbff4c2ee960142|4950080|https://raw.githubusercontent.com/forresti/SqueezeNet/a47b6f13d30985279789d08053d37013d67d131b/SqueezeNet_v1.1/squeezenet_v1.1.caffemodel"
        ;;
    googlenet)
        # BVLC GoogLeNet (BVLC/caffe models/bvlc_googlenet, unrestricted use). The caffemodel's
        # sha1 in the BVLC readme and in OpenCV's models.yml is
        # 405fc5acd08a3bb12de8ee5e23a96bec22f08204. dl.caffe.berkeleyvision.org is often down;
        # the second URL is a third-party mirror, accepted only if the SHA-256 matches.
        echo "googlenet|bvlc_googlenet.prototxt|sha256|fa36cd4112a3240a29600a5aa35333f31bec33daa1a6085b0af308a9f50f0c50|35862|https://raw.githubusercontent.com/BVLC/caffe/88c96189bcbf3853b93e2b65c7b5e4948f9d5f67/models/bvlc_googlenet/deploy.prototxt"
        echo "googlenet|bvlc_googlenet.caffemodel|sha256|6f7101e3a2183738a7125a0c5021ba82a1feb4228c5ca0924d991b6daf6f6fad|53533754|http://dl.caffe.berkeleyvision.org/bvlc_googlenet.caffemodel https://www.deepdetect.com/downloads/platform/pretrained/caffe/googlenet/bvlc_googlenet.caffemodel"
        ;;
    resnet18)
        # ResNet-18 v1 (MXNet Gluon export, opset 7 file name), ONNX model zoo, Apache-2.0.
        echo "resnet18|resnet18-v1-7.onnx|sha256|4e8f8653e7a2222b3904cc3fe8e304cd8b339ce1d05fd24688162f86fb6df52c|46820737|https://github.com/onnx/models/raw/main/validated/vision/classification/resnet/model/resnet18-v1-7.onnx https://media.githubusercontent.com/media/onnx/models/main/validated/vision/classification/resnet/model/resnet18-v1-7.onnx"
        ;;
    mobilenetv2)
        # MobileNetV2 1.0 (MXNet Gluon export, opset 7), ONNX model zoo, Apache-2.0.
        echo "mobilenetv2|mobilenetv2-7.onnx|sha256|c1c513582d56afceff8516c73804e484c81c6a830712ab6d682253f4a3cd042f|14246826|https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-7.onnx https://media.githubusercontent.com/media/onnx/models/main/validated/vision/classification/mobilenet/model/mobilenetv2-7.onnx"
        ;;
    labels)
        # ImageNet (ILSVRC2012) class names in the usual 1000-class order, from OpenCV 4.6.0.
        echo "|classification_classes_ILSVRC2012.txt|lines|1000|-|https://raw.githubusercontent.com/opencv/opencv/4.6.0/samples/data/dnn/classification_classes_ILSVRC2012.txt"
        ;;
    esac
}

labels_name=classification_classes_ILSVRC2012.txt

# ------------------------------------------------------------------------------------- helpers
die() { echo "$prog: $*" >&2; exit 1; }

hash_of() {  # algorithm file
    local algo=$1 file=$2 bits=${1#sha}
    if command -v "${algo}sum" >/dev/null 2>&1; then
        "${algo}sum" "$file" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a "$bits" "$file" | cut -d' ' -f1
    else
        die "neither ${algo}sum nor shasum is installed: cannot verify $file"
    fi
}

size_of() { wc -c <"$1" | tr -d ' '; }

# Checks FILE against ALGO/EXPECTED/SIZE; prints why it does not match and returns 1 if so.
verify() {  # file algo expected size
    local file=$1 algo=$2 expected=$3 size=$4 actual
    if [ "$algo" = lines ]; then
        actual=$(awk 'END { print NR }' "$file")
        if [ "$actual" != "$expected" ] || [ "$(head -c 5 "$file")" != "tench" ]; then
            echo "expected $expected class names starting with 'tench', got $actual lines"
            return 1
        fi
        return 0
    fi
    if [ "$size" != - ] && [ "$(size_of "$file")" != "$size" ]; then
        echo "expected $size bytes, got $(size_of "$file")"
        return 1
    fi
    actual=$(hash_of "$algo" "$file")
    if [ "$actual" != "$expected" ]; then
        echo "$algo mismatch: expected $expected, got $actual"
        return 1
    fi
}

have_curl=false
command -v curl >/dev/null 2>&1 && have_curl=true
if ! $have_curl && ! command -v wget >/dev/null 2>&1; then
    die "needs curl or wget"
fi

fetch() {  # url output
    if $have_curl; then
        local progress=-sS
        [ -t 2 ] && progress=-#
        curl -fL "$progress" --retry 2 --connect-timeout 15 -o "$2" "$1"
    else
        local progress=-nv
        [ -t 2 ] && progress=--show-progress
        wget -q "$progress" --tries=3 --connect-timeout=15 -O "$2" "$1"
    fi
}

# Succeeds when the host of URL answers at all (any HTTP status), within a few seconds.
reachable() {
    if $have_curl; then
        curl -sS -I -o /dev/null --connect-timeout 8 --max-time 15 "$1" >/dev/null 2>&1
    else
        wget -q --spider --tries=1 --timeout=8 "$1" >/dev/null 2>&1 || [ $? -eq 8 ]  # 8: HTTP error
    fi
}

host_of() { local h=${1#*://}; echo "${h%%/*}"; }

# Shows PATH relative to the repository root when it is inside it (the commands run from there).
shown() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }

tmp_files=()
cleanup() { local f; for f in "${tmp_files[@]+"${tmp_files[@]}"}"; do rm -f -- "$f"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------- arguments
case "${1:-}" in -h | --help) usage; exit 0 ;; esac
[ $# -le 2 ] || { usage >&2; exit 2; }
which=${1:-all}
case "$which" in
    all) presets=(squeezenet googlenet resnet18 mobilenetv2) ;;
    squeezenet | googlenet | resnet18 | mobilenetv2) presets=("$which") ;;
    *) echo "$prog: unknown model '$which'" >&2; usage >&2; exit 2 ;;
esac
dest=${2:-$script_dir/models}
case "$dest" in /*) ;; *) dest="$PWD/$dest" ;; esac
dest=${dest%/}

entries=()
for p in "${presets[@]}" labels; do
    while IFS= read -r line; do entries+=("$line"); done < <(files_of "$p")
done

# ------------------------------------------------------------------------------------- offline?
first_url=${entries[0]##*|}
first_url=${first_url%% *}
if ! reachable "$first_url"; then
    manual=""
    for e in "${entries[@]}"; do
        IFS='|' read -r dir name _ _ _ urls <<<"$e"
        manual+="${manual:+, }${urls%% *} -> $(shown "$dest${dir:+/$dir}/$name")"
    done
    echo "$prog: cannot reach $(host_of "$first_url"): no internet? Download these files by hand: $manual" >&2
    exit 1
fi

# ------------------------------------------------------------------------------------- download
for e in "${entries[@]}"; do
    IFS='|' read -r dir name algo expected size urls <<<"$e"
    target_dir="$dest${dir:+/$dir}"
    target="$target_dir/$name"
    if [ -f "$target" ] && verify "$target" "$algo" "$expected" "$size" >/dev/null; then
        echo "$prog: $(shown "$target") is already there and verified"
        continue
    fi
    mkdir -p "$target_dir"
    tmp=$(mktemp "$target_dir/.$name.part.XXXXXX")
    tmp_files+=("$tmp")
    ok=false
    for url in $urls; do
        echo "$prog: fetching $url" >&2
        if ! fetch "$url" "$tmp"; then
            echo "$prog: download from $(host_of "$url") failed" >&2
            continue
        fi
        if why=$(verify "$tmp" "$algo" "$expected" "$size"); then
            ok=true
            break
        fi
        echo "$prog: $name from $(host_of "$url") is not the expected file: $why" >&2
    done
    $ok || die "could not get a verified $name (tried: $urls); nothing was written to $(shown "$target")"
    chmod 644 "$tmp"
    mv -f -- "$tmp" "$target"
    echo "$prog: $(shown "$target") verified ($algo)"
done

# ------------------------------------------------------------------------------------- commands
labels="$(shown "$dest/$labels_name")"
echo
echo "Run from $root (add --input=<image, video or folder>; without it the webcam is used):"
for p in "${presets[@]}"; do
    d="$(shown "$dest/$p")"
    case "$p" in
        squeezenet) args="--model=$d/squeezenet_v1.1.caffemodel --config=$d/squeezenet_v1.1.prototxt" ;;
        googlenet) args="--model=$d/bvlc_googlenet.caffemodel --config=$d/bvlc_googlenet.prototxt" ;;
        resnet18) args="--model=$d/resnet18-v1-7.onnx" ;;
        mobilenetv2) args="--model=$d/mobilenetv2-7.onnx" ;;
    esac
    echo "  build/bin/xcam_cam --preset=$p $args --classes=$labels"
done
