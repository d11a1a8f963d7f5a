// The blog's webcam demo, as short as the blog's MATLAB: grab a frame, classify it, draw the
// Class Activation Map of the top class next to it, title it with the top-3, until the window
// is closed.
//
//   cam_webcam --model=squeezenet_v1.1.caffemodel --config=deploy.prototxt --classes=imagenet.txt
//              --width=227 --height=227 --mean="104 117 123"
#include <opencv2/highgui.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <opencv2/xcam.hpp>

#include "common/argv_check.hpp"
#include "common/display.hpp"
#include "common/labels.hpp"
#include "common/numbers.hpp"

#include <cctype>
#include <cstdio>
#include <string>

using namespace cv;
using namespace xcam_samples;

int main(int argc, char** argv) try
{
    const String keys = "{help h||Print this help.}{model||Model weights (.onnx, .caffemodel, ...).}"
        "{config||Model description when the format needs one.}{classes||Class names, one a line.}"
        "{camera|0|Camera index or video file.}{width|224|Net input width.}{height|224|Net input height.}"
        "{scale|1.0|Pixel scale.}{mean|0 0 0|Mean to subtract, three values (B G R; R G B with --rgb).}"
        "{rgb|false|Swap R and B.}";
    CommandLineParser parser(argc, argv, keys);
    if (parser.has("help"))
        return parser.printMessage(), 0;
    std::string error;                                            // every value checked strictly
    int width = 0, height = 0, means = 0;
    double scale = 1;
    Scalar mean;
    bool rgb = false;
    if (!checkArguments(argc, argv, {keys, {"help", "rgb"}, "camera"}, error) ||
        !parseInt("width", parser.get<String>("width"), 1, 1 << 16, width, error) ||
        !parseInt("height", parser.get<String>("height"), 1, 1 << 16, height, error) ||
        !parseDouble("scale", parser.get<String>("scale"), -1e30, 1e30, scale, error) ||
        !parseScalar("mean", parser.get<String>("mean"), mean, error, &means) ||
        !parseBool("rgb", parser.get<String>("rgb"), rgb, error))
        CV_Error(Error::StsBadArg, error);
    if (means != 3 || parser.get<String>("model").empty())
        CV_Error(Error::StsBadArg, means != 3 ? "--mean needs three values" : "--model is required");
    requireDisplay(" of xcam_cam: cam_webcam shows a window");    // Qt aborts without one
    Ptr<xcam::CAMModel> net = xcam::CAMModel::create(parser.get<String>("model"), parser.get<String>("config"));
    net->setInputParams(scale, Size(width, height), mean, rgb);
    if (parser.has("classes"))
        net->setLabels(xcam::readClassLabels(parser.get<String>("classes")));
    const String source = parser.get<String>("camera");           // a camera index or a video file
    VideoCapture camera;                                          // camera = webcam;
    if (!(isDigits(source) ? camera.open(std::stoi(source)) : camera.open(source)))
        CV_Error(Error::StsError, "cannot open camera " + source);
    const String figure = "CAM";                                  // h = figure;
    namedWindow(figure);
    Mat frame, overlay, shown;
    while (camera.read(frame))                                    // while ishandle(h)
    {
        std::vector<int> ids; std::vector<float> scores; std::vector<Mat> maps;
        net->classify(frame, 3, ids, scores, maps);               // [label, score] = classify(net, im)
        xcam::applyCAMOverlay(frame, maps[0], overlay);           // CAMshow(im, imageActivations(:,:,maxScoreIdx))
        hconcat(frame, overlay, shown);                           // subplot(1,2,1) / subplot(1,2,2)
        const String title = caption(*net, ids, scores);          // title(sprintf(...)): label or #id
        putText(shown, title, Point(10, 25), FONT_HERSHEY_SIMPLEX, 0.6, Scalar::all(255), 2);
        imshow(figure, shown);                                    // title(...); drawnow
        if (waitKey(1) == 27 || getWindowProperty(figure, WND_PROP_VISIBLE) < 1)
            break;
    }
    return 0;
}
catch (const Exception& e)
{
    std::fprintf(stderr, "cam_webcam: error: %s\n", printable(e.err).c_str());
    return 1;
}
