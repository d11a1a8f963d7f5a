# Users build xcam into their own OpenCV: Debian's OpenCV 4.6 source with xcam as an extra module
# and the Python bindings; cv2.xcam's Python tests (none may skip) and a few C++ tests against that
# build (scripts/build_opencv_with_xcam.sh). OpenCV's source stays unpacked in
# $XCAM_CI_CACHE/opencv-src/<Debian version>/ and its objects in ccache.
scripts/build_opencv_with_xcam.sh "$(pwd)/build-opencv" 2>&1 | tail -n 60
