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

#include "common/labels.hpp"

#include <cctype>
#include <cstdio>
#include <string>

using namespace cv;

int main(int argc, char** argv) try
{
    CommandLineParser parser(argc, argv,
        "{help h||}{model||model file}{config||its description, when the format needs one}"
        "{classes||class names, one a line}{camera|0|camera index or video file}"
        "{width|224|}{height|224|}{scale|1.0|}{mean||mean colour}{rgb|false|swap R and B}");
    parser.about("The blog's webcam demo: the Class Activation Map of the top class beside each frame.");
    if (parser.has("help"))
    {
        parser.printMessage();
        return 0;
    }
    Ptr<xcam::CAMModel> net = xcam::CAMModel::create(parser.get<String>("model"), parser.get<String>("config"));
    net->setInputParams(parser.get<double>("scale"), Size(parser.get<int>("width"), parser.get<int>("height")),
                        parser.get<Scalar>("mean"), parser.get<bool>("rgb"));
    if (parser.has("classes"))
        net->setLabels(xcam::readClassLabels(parser.get<String>("classes")));
    const String source = parser.get<String>("camera");           // a camera index or a video file
    VideoCapture camera;                                          // camera = webcam;
    if (!(!source.empty() && isdigit((unsigned char)source[0]) ? camera.open(std::stoi(source)) : camera.open(source)))
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
        const String title = xcam_samples::caption(*net, ids, scores);  // title(sprintf(...)): label or #id
        putText(shown, title, Point(10, 25), FONT_HERSHEY_SIMPLEX, 0.6, Scalar::all(255), 2);
        imshow(figure, shown);                                    // title(...); drawnow
        if (waitKey(1) == 27 || getWindowProperty(figure, WND_PROP_VISIBLE) < 1)
            break;
    }
    return 0;
}
catch (const Exception& e)
{
    std::fprintf(stderr, "cam_webcam: error: %s\n", e.err.c_str());
    return 1;
}
