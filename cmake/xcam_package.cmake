# The Debian package: `cmake --build build --target package` writes build/xcam_<version>_<arch>.deb
# with everything `cmake --install` installs (library, headers, CMake package, pkg-config file,
# xcam_cam, xcam_detect, xcam_eval, cam_webcam and their man pages). One package, so that
# `apt install ./xcam_*.deb` gives users all of it. Dependencies: the shared libraries the
# binaries need, found by dpkg-shlibdeps (Debian's libopencv-*406 packages), plus libopencv-dev
# for the headers (xcam's include OpenCV's; find_package(xcam) finds OpenCV too).
# Configure with -DCMAKE_INSTALL_PREFIX=/usr for Debian's multiarch library folder.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME xcam)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Class Activation Maps for OpenCV's dnn (cv::xcam)")
set(CPACK_PACKAGE_DESCRIPTION "Which part of the image made the network decide this? xcam \
computes Class Activation Maps and other explanations (Grad-CAM family, Eigen-CAM, Ablation-CAM, \
Score-CAM, occlusion, RISE) for any classifier OpenCV's dnn module reads, and D-RISE, occlusion \
and Eigen-CAM for object detectors. This package holds the \
library libopencv_xcam, its headers, CMake package (find_package(xcam)) and pkg-config file \
(pkg-config xcam), and the command-line tools xcam_cam, xcam_detect, xcam_eval and cam_webcam.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "xcam authors")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopencv-dev (>= 4.6)")
set(CPACK_STRIP_FILES ON)
set(CPACK_POST_BUILD_SCRIPTS "${CMAKE_CURRENT_LIST_DIR}/xcam_deb_triggers.cmake")
include(CPack)
