#include "labels.hpp"
#include "result_writers.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace xcam_samples {

namespace {

void putLine(cv::Mat& tile, const std::string& text, int y, const cv::Scalar& colour)
{
    cv::putText(tile, text, cv::Point(4, y), cv::FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, cv::LINE_AA);
}

/** Tiles in a grid, `columns` wide, on white (cells as large as the largest tile). */
cv::Mat grid(const std::vector<cv::Mat>& tiles, int columns)
{
    const int rows = ((int)tiles.size() + columns - 1) / columns, gap = 8;
    cv::Size cell;
    for (const cv::Mat& tile : tiles)
        cell = cv::Size(std::max(cell.width, tile.cols + gap), std::max(cell.height, tile.rows + gap));
    cv::Mat canvas(rows * cell.height + gap, std::min<int>(columns, (int)tiles.size()) * cell.width + gap,
                   CV_8UC3, cv::Scalar::all(255));
    for (size_t i = 0; i < tiles.size(); ++i)
        tiles[i].copyTo(canvas(cv::Rect(gap + (int)(i % columns) * cell.width,
                                        gap + (int)(i / columns) * cell.height, tiles[i].cols,
                                        tiles[i].rows)));
    return canvas;
}

} // namespace

void Montage::add(const cv::Mat& frame, const cv::Mat& cam, const cv::xcam::CAMOverlayParams& params,
                  const cv::xcam::CAMModel& model, const ImageResult& result)
{
    if (++offered_ > capacity_)
        return;
    const int side = 224, line = 18;
    cv::Mat image, overlay, pair;
    const double scale = (double)side / frame.rows;
    cv::resize(frame, image, cv::Size(), scale, scale, scale >= 1 ? cv::INTER_NEAREST : cv::INTER_AREA);
    cv::xcam::applyCAMOverlay(image, cam, overlay, params);
    cv::hconcat(toBGR(image), overlay, pair);
    const int lines = 1 + std::min<int>(3, (int)result.classIds.size());
    cv::Mat tile(pair.rows + lines * line + 8, pair.cols, CV_8UC3, cv::Scalar::all(255));
    pair.copyTo(tile(cv::Rect(0, 0, pair.cols, pair.rows)));
    putLine(tile, std::filesystem::path(result.path).filename().string(), pair.rows + line - 4,
            cv::Scalar(90, 90, 90));
    for (int i = 0; i + 1 < lines; ++i)
    {
        char text[160];
        std::snprintf(text, sizeof(text), "%d. %s  %.3f", i + 1,
                      labelOrId(model, result.classIds[i]).c_str(), result.probabilities[i]);
        putLine(tile, text, pair.rows + (i + 2) * line - 4, cv::Scalar::all(0));
    }
    tiles_.push_back(tile);
}

double Montage::memoryFor(int images)
{
    const double tile = (2.0 * 224 * 4 / 3) * (224 + 4 * 18 + 8) * 3;  // 4:3 images, 3 classes
    return 2.0 * images * tile;  // the tiles and the canvas
}

void Montage::write(const std::string& path) const
{
    const std::string temporary = temporaryName(path);
    if (tiles_.empty() || !cv::imwrite(temporary, grid(tiles_, std::min<int>(4, (int)tiles_.size()))))
    {
        std::remove(temporary.c_str());
        CV_Error(cv::Error::StsError, "cannot write --montage '" + path + "'");
    }
    moveIntoPlace(temporary, path);
}

} // namespace xcam_samples
