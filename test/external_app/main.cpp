// Built against an installed xcam (CMake package and pkg-config): computes a known CAM and an
// overlay through the public API, prints OK when both are right.
#include <opencv2/xcam.hpp>

#include <cstdio>

int main()
{
    // Two 2x3 channels, A0 = [1 2 3; 4 5 6], A1 = [0 1 0; 1 0 1]; class weights (2, -3).
    const int shape[] = {1, 2, 2, 3};
    cv::Mat a(4, shape, CV_32F);
    const float values[] = {1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 1};
    std::copy(values, values + 12, a.ptr<float>());
    cv::Mat weights = (cv::Mat_<float>(1, 2) << 2, -3), cam;
    cv::xcam::computeCAM(a, weights, 0, cam);
    const cv::Mat expected = (cv::Mat_<float>(2, 3) << 2, 1, 6, 5, 10, 9);
    cv::Mat image(48, 64, CV_8UC3, cv::Scalar(40, 80, 120)), overlay;
    cv::xcam::applyCAMOverlay(image, cam, overlay);
    const bool ok = cv::norm(cam, expected, cv::NORM_INF) == 0 && overlay.size() == image.size() &&
                    overlay.type() == CV_8UC3;
    std::printf("%s\n", ok ? "OK" : "WRONG");
    return ok ? 0 : 1;
}
