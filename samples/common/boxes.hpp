// xcam_eval's object boxes for the pointing game: a CSV file of image,x,y,w,h,class lines.
#ifndef XCAM_SAMPLES_BOXES_HPP
#define XCAM_SAMPLES_BOXES_HPP

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace xcam_samples {

/** Reads `image,x,y,w,h,class` lines (integers, box in image pixels, w and h > 0). A first line
    starting with `image,` is a header; empty lines and lines starting with `#` are skipped. A
    malformed line raises cv::Exception (StsParseError) naming the file and line; a file that
    cannot be read, StsError. */
void readBoxes(const std::string& path, std::vector<std::string>& images,
               std::vector<cv::Rect>& boxes, std::vector<int>& classIds);

} // namespace xcam_samples

#endif
