// xcam_cam: the top classes of an image and the Class Activation Map of one of them.
//
//   xcam_cam --model=mobilenet_v2.onnx --classes=labels.txt --width=224 --height=224 \
//            --scale=0.00784313725 --mean="127.5 127.5 127.5" --rgb --input=cat.png --save=cat.yml
//
// Options follow OpenCV's samples/dnn/classification.cpp; the feature and FC layers are found
// automatically unless --feature / --fc name them.
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/xcam.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace {

const char* keys =
    "{ help h     |        | Print this help. }"
    "{ model m    |        | Model weights (.onnx, .caffemodel, .pb, ...). }"
    "{ config c   |        | Model description when the format needs one (.prototxt, ...). }"
    "{ classes    |        | Text file with class names, one per line, in output order. }"
    "{ input i    |        | Input image. }"
    "{ width      | -1     | Network input width (-1: the image width). }"
    "{ height     | -1     | Network input height (-1: the image height). }"
    "{ scale      | 1.0    | Multiply the pixels by this after subtracting the mean. }"
    "{ mean       |        | Mean to subtract, in BGR order, space separated, e.g. \"104 117 123\". }"
    "{ rgb        | false  | Swap the R and B channels (the net was trained on RGB). }"
    "{ crop       | false  | Resize keeping the aspect ratio and crop the centre. }"
    "{ feature    |        | Feature layer (default: the layer feeding the last global pooling). }"
    "{ fc         |        | Fully-connected layer (default: the first one after that pooling). }"
    "{ topk       | 3      | How many classes to print. }"
    "{ class      | -1     | Save the map of this class id instead of the top-1's. }"
    "{ bias       | ignore | FC bias in the map: ignore, or spread (b/(H*W) per cell). }"
    "{ save       |        | Write class_ids, scores, labels, layers and the raw map (.yml/.json). }"
    "{ backend    | 0      | cv::dnn backend id (0: automatic). }"
    "{ target     | 0      | cv::dnn target id (0: CPU). }";

void requireFile(const std::string& path, const char* what)
{
    if (!path.empty() && !std::filesystem::is_regular_file(path))
        CV_Error(cv::Error::StsObjectNotFound, std::string("cannot read ") + what + " '" + path + "'");
}

int run(const cv::CommandLineParser& parser)
{
    const std::string modelPath = parser.get<std::string>("model");
    const std::string input = parser.get<std::string>("input");
    const int topK = parser.get<int>("topk");
    const int requestedClass = parser.get<int>("class");
    const std::string bias = parser.get<std::string>("bias");
    if (modelPath.empty())
        CV_Error(cv::Error::StsBadArg, "--model is required");
    if (input.empty())
        CV_Error(cv::Error::StsBadArg, "--input is required");
    if (topK < 1)
        CV_Error(cv::Error::StsBadArg, "--topk must be at least 1");
    if (bias != "ignore" && bias != "spread")
        CV_Error(cv::Error::StsBadArg, "--bias must be 'ignore' or 'spread'");

    requireFile(modelPath, "model");
    requireFile(parser.get<std::string>("config"), "config");
    requireFile(input, "image");
    cv::Mat image = cv::imread(input, cv::IMREAD_COLOR);
    if (image.empty())
        CV_Error(cv::Error::StsError, "cannot read image '" + input + "'");

    cv::Ptr<cv::xcam::CAMModel> model =
        cv::xcam::CAMModel::create(modelPath, parser.get<std::string>("config"));
    model->getNet().setPreferableBackend(parser.get<int>("backend"));
    model->getNet().setPreferableTarget(parser.get<int>("target"));
    model->setInputParams(parser.get<double>("scale"),
                          cv::Size(std::max(0, parser.get<int>("width")),
                                   std::max(0, parser.get<int>("height"))),
                          parser.get<cv::Scalar>("mean"), parser.get<bool>("rgb"),
                          parser.get<bool>("crop"));
    model->setLayers(parser.get<std::string>("feature"), parser.get<std::string>("fc"));
    model->setBiasMode(bias == "spread" ? cv::xcam::CAM_BIAS_SPREAD : cv::xcam::CAM_BIAS_IGNORE);
    const std::string classesPath = parser.get<std::string>("classes");
    if (!classesPath.empty())
        model->setLabels(cv::xcam::readClassLabels(classesPath));

    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<cv::Mat> maps;
    model->classify(image, topK, ids, probs, maps);

    cv::Mat cam;
    if (requestedClass >= 0)
        model->getCAM(requestedClass, cam);
    else
        cam = maps[0];

    std::vector<std::string> labels;
    for (size_t i = 0; i < ids.size(); ++i)
    {
        labels.push_back(model->getLabel(ids[i]));
        std::printf("%d %d %s %.4f\n", (int)i + 1, ids[i],
                    labels.back().empty() ? "-" : labels.back().c_str(), probs[i]);
    }
    std::fprintf(stderr, "feature layer: %s, fc layer: %s, map: %dx%d (class %d)\n",
                 model->getFeatureLayer().c_str(),
                 model->isClassMapMode() ? "none (class-map head)" : model->getFCLayer().c_str(),
                 cam.cols, cam.rows, requestedClass >= 0 ? requestedClass : ids[0]);

    const std::string savePath = parser.get<std::string>("save");
    if (!savePath.empty())
    {
        cv::FileStorage fs(savePath, cv::FileStorage::WRITE);
        if (!fs.isOpened())
            CV_Error(cv::Error::StsError, "cannot write '" + savePath + "'");
        fs << "class_ids" << ids << "scores" << probs;
        if (!classesPath.empty())
            fs << "labels" << labels;
        fs << "feature_layer" << model->getFeatureLayer() << "fc_layer" << model->getFCLayer()
           << "cam_class" << (requestedClass >= 0 ? requestedClass : ids[0]) << "cam" << cam;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    cv::CommandLineParser parser(argc, argv, keys);
    parser.about("Top classes of an image and their Class Activation Map (cv::xcam).");
    if (argc == 1 || parser.has("help"))
    {
        parser.printMessage();
        return argc == 1 ? 2 : 0;
    }
    if (!parser.check())
    {
        parser.printErrors();
        return 2;
    }
    // One clear line on failure: OpenCV's own warnings would only repeat it.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
    try
    {
        return run(parser);
    }
    catch (const cv::Exception& e)
    {
        std::cerr << "xcam_cam: error: " << e.err << std::endl;
    }
    catch (const std::exception& e)
    {
        std::cerr << "xcam_cam: error: " << e.what() << std::endl;
    }
    return 1;
}
