# Users build xcam into their own OpenCV: Debian's OpenCV 4.6 source with xcam as an extra module
# and the Python bindings; cv2.xcam's Python tests (none may skip) and a few C++ tests against that
# build (scripts/build_opencv_with_xcam.sh). OpenCV's source stays unpacked in
# $XCAM_CI_CACHE/opencv-src/<Debian version>/ and its objects in ccache. The script's own lines
# are shown as they come, the end of its whole output (build-opencv/build.log) at the end.
mkdir -p build-opencv
ci_on_exit() { tail -n 60 build-opencv/build.log; }
scripts/build_opencv_with_xcam.sh "$(pwd)/build-opencv" 2>&1 | tee build-opencv/build.log |
  sed -nu '/^\[build_opencv_with_xcam\]/p'
