// xcam_cam: the top classes of an image, a video, a folder of images or the webcam, and the Class
// Activation Map of one of them, drawn over the picture.
//
//   xcam_cam --preset=mobilenetv2 --model=mobilenetv2-7.onnx --classes=imagenet.txt   (webcam)
//   xcam_cam --model=m.onnx --width=224 --height=224 --scale=0.0078431 --mean="127.5 127.5 127.5"
//            --rgb --input=cat.png --output=cat_cam.png --save=cat.yml --headless
//
// Options follow OpenCV's samples/dnn/classification.cpp; the feature and FC layers are found
// automatically unless --feature / --fc (or a --preset) name them.
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/highgui.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <opencv2/xcam.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace {

const char* keys =
    "{ help h     |        | Print this help. }"
    "{ preset     |        | squeezenet, googlenet, resnet18 or mobilenetv2: preprocessing and layers "
    "of their usual public releases (see samples/download_models.sh); options given override it. }"
    "{ model m    |        | Model weights (.onnx, .caffemodel, .pb, ...). }"
    "{ config c   |        | Model description when the format needs one (.prototxt, ...). }"
    "{ classes    |        | Text file with class names, one per line, in output order. }"
    "{ input i    |        | Image, video file, folder of images or camera index (default: camera 0). }"
    "{ output o   |        | Image: overlay PNG. Folder: output folder. Video/camera: MJPG .avi file. }"
    "{ width      |        | Network input width (default: the image width). }"
    "{ height     |        | Network input height (default: the image height). }"
    "{ scale      |        | Multiply the pixels by this after subtracting the mean (default 1). }"
    "{ mean       |        | Mean to subtract, space separated, in the net's channel order (B G R; R G B with --rgb), e.g. \"104 117 123\". }"
    "{ rgb        |        | Swap the R and B channels (the net was trained on RGB). }"
    "{ crop       |        | Resize keeping the aspect ratio and crop the centre. }"
    "{ gray       | false  | Feed the net grey images (nets with one input channel, e.g. samples/data). }"
    "{ feature    |        | Feature layer (default: the layer feeding the last global pooling). }"
    "{ fc         |        | Fully-connected layer (default: the first one after that pooling). }"
    "{ topk       | 3      | How many classes to print. }"
    "{ class      | -1     | Map of this class id instead of the top-1's. }"
    "{ bias       | ignore | FC bias in the map: ignore, or spread (mean of the map = logit). }"
    "{ save       |        | Single image: write class_ids, scores, labels, layers and the raw map (.yml/.json). }"
    "{ style      | seed   | Overlay: seed (the blog's figure) or blend (alpha blend of a colormap). }"
    "{ alpha      | 0.5    | Blend style: weight of the colour. }"
    "{ threshold  | 0.2    | Normalized map values below it are not coloured. }"
    "{ colormap   | jet    | Colormap name (jet, turbo, viridis, hot, ...) or cv::ColormapTypes number. }"
    "{ montage    |        | Also write one PNG with every image (upscaled), its overlay and its top-3. }"
    "{ headless   | false  | No window (servers, CI); implied when there is no display. }"
    "{ frames     | 0      | Stop after this many frames (0: all). }"
    "{ backend    | 0      | cv::dnn backend id (0: automatic). }"
    "{ target     | 0      | cv::dnn target id (0: CPU). }";

// ------------------------------------------------------------------------------------ presets

struct Preset
{
    const char* name;
    int width, height;
    double scale;
    cv::Scalar mean;  // in the net's channel order (R, G, B when rgb), as blobFromImage takes it
    bool rgb, crop;
    const char* feature;
    const char* fc;   // "" : class-map head
};

// The usual public releases of the seed's models (URLs and checksums: download_models.sh).
const Preset kPresets[] = {
    // SqueezeNet v1.1, Caffe (forresti/SqueezeNet): class-map head, conv10 -> relu_conv10 -> pool10.
    {"squeezenet", 227, 227, 1.0, cv::Scalar(104, 117, 123), false, false, "relu_conv10", ""},
    // bvlc GoogLeNet, Caffe (BVLC model zoo): pool5/7x7_s1 -> loss3/classifier.
    {"googlenet", 224, 224, 1.0, cv::Scalar(104, 117, 123), false, false, "inception_5b/output",
     "loss3/classifier"},
    // ResNet-18 v1, ONNX model zoo (resnet18-v1-7.onnx, MXNet node names); ImageNet mean and
    // one scale for the three stds 58.4, 57.1, 57.4 (cv::dnn takes one): 1/57.63, within 1.3 %.
    {"resnet18", 224, 224, 1.0 / 57.63, cv::Scalar(123.675, 116.28, 103.53), true, false,
     "resnetv15_stage4_activation1", "resnetv15_dense0_fwd"},
    // MobileNetV2 1.0, ONNX model zoo (mobilenetv2-7.onnx, MXNet node names); its classifier is a
    // 1x1 convolution after the pooling. Preprocessing as resnet18.
    {"mobilenetv2", 224, 224, 1.0 / 57.63, cv::Scalar(123.675, 116.28, 103.53), true, false,
     "mobilenetv20_features_relu1_fwd", "mobilenetv20_output_pred_fwd"},
};

const Preset* findPreset(const std::string& name)
{
    for (const Preset& p : kPresets)
        if (name == p.name)
            return &p;
    std::string known;
    for (const Preset& p : kPresets)
        known += std::string(known.empty() ? "" : ", ") + p.name;
    CV_Error(cv::Error::StsBadArg, "--preset '" + name + "' is unknown; presets: " + known);
}

int parseColormap(const std::string& text)
{
    static const char* names[] = {"autumn", "bone",    "jet",      "winter",  "rainbow", "ocean",
                                  "summer", "spring",  "cool",     "hsv",     "pink",    "hot",
                                  "parula", "magma",   "inferno",  "plasma",  "viridis", "cividis",
                                  "twilight", "twilight_shifted", "turbo", "deepgreen"};
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); ++i)
        if (lower == names[i] || lower == std::to_string(i))
            return i;
    CV_Error(cv::Error::StsBadArg, "--colormap '" + text + "' is not a cv::ColormapTypes name or number");
}

// -------------------------------------------------------------------------- inputs and outputs

bool isCameraIndex(const std::string& s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), ::isdigit);
}

bool hasExtension(const std::string& path, std::initializer_list<const char*> extensions)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    for (const char* e : extensions)
        if (ext == e)
            return true;
    return false;
}

bool looksLikeImage(const std::string& path)
{
    return hasExtension(path, {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm",
                               ".pgm", ".pbm", ".pnm", ".jp2", ".exr", ".hdr", ".sr", ".ras"});
}

/** Frames from an image, a folder of images, a video file or a camera. */
class FrameSource
{
public:
    enum Kind { IMAGE, FOLDER, VIDEO, CAMERA };

    FrameSource(const std::string& input, bool gray_) : gray(gray_)
    {
        if (input.empty() || isCameraIndex(input))
        {
            kind = CAMERA;
            const int index = input.empty() ? 0 : std::atoi(input.c_str());
            if (!capture.open(index))
                CV_Error(cv::Error::StsError, "cannot open camera " + std::to_string(index));
            return;
        }
        if (fs::is_directory(input))
        {
            kind = FOLDER;
            for (const auto& entry : fs::directory_iterator(input))
                if (entry.is_regular_file() && looksLikeImage(entry.path().string()))
                    files.push_back(entry.path().string());
            std::sort(files.begin(), files.end());
            if (files.empty())
                CV_Error(cv::Error::StsError, "folder '" + input + "' holds no images");
            return;
        }
        if (!fs::is_regular_file(input))
            CV_Error(cv::Error::StsObjectNotFound, "cannot read input '" + input + "': no such file");
        if (looksLikeImage(input) || cv::haveImageReader(input))
        {
            kind = IMAGE;
            files.push_back(input);
            return;
        }
        kind = VIDEO;
        if (!capture.open(input))
            CV_Error(cv::Error::StsError, "cannot read input '" + input +
                                              "': not an image, a video, a folder or a camera index");
    }

    bool read(cv::Mat& frame, std::string& name)
    {
        if (kind == IMAGE || kind == FOLDER)
        {
            if (next >= files.size())
                return false;
            name = files[next++];
            frame = cv::imread(name, gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
            if (frame.empty())
                CV_Error(cv::Error::StsError, "cannot read image '" + name + "'");
            return true;
        }
        name = "frame " + std::to_string(count++);
        if (!capture.read(frame) || frame.empty())
            return false;
        if (gray && frame.channels() == 3)
            cv::cvtColor(frame, frame, cv::COLOR_BGR2GRAY);
        return true;
    }

    /** Frames or files in all, or -1 when unknown (camera, some streams). */
    int total() const
    {
        if (kind == IMAGE || kind == FOLDER)
            return (int)files.size();
        const double n = kind == VIDEO ? capture.get(cv::CAP_PROP_FRAME_COUNT) : 0;
        return n > 0 ? (int)n : -1;
    }

    double fps() const
    {
        const double f = capture.isOpened() ? capture.get(cv::CAP_PROP_FPS) : 0;
        return f > 0 && f < 1000 ? f : 30.0;
    }

    Kind kind = IMAGE;

private:
    bool gray;
    std::vector<std::string> files;
    size_t next = 0;
    int count = 0;
    cv::VideoCapture capture;
};

/** Where overlays go: a PNG, a folder of PNGs, or an MJPG video. */
class OverlaySink
{
public:
    OverlaySink(const std::string& path_, FrameSource::Kind kind_, double fps_)
        : path(path_), kind(kind_), fps(fps_)
    {
        if (path.empty())
            return;
        if (kind == FrameSource::FOLDER)
        {
            fs::create_directories(path);
        }
        else if (kind == FrameSource::IMAGE)
        {
            if (!cv::haveImageWriter(path))
                CV_Error(cv::Error::StsBadArg, "--output '" + path + "' is not an image file name");
        }
        else if (!hasExtension(path, {".avi"}))
            CV_Error(cv::Error::StsBadArg, "--output '" + path + "' must be an .avi file (MJPG) for a "
                                           "video or camera input");
    }

    void write(const cv::Mat& overlay, const std::string& name)
    {
        if (path.empty())
            return;
        if (kind == FrameSource::IMAGE || kind == FrameSource::FOLDER)
        {
            const std::string file = kind == FrameSource::IMAGE
                                         ? path
                                         : (fs::path(path) / fs::path(name).stem()).string() + ".png";
            if (!cv::imwrite(file, overlay))
                CV_Error(cv::Error::StsError, "cannot write '" + file + "'");
            return;
        }
        if (!writer.isOpened() &&
            !writer.open(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps, overlay.size()))
            CV_Error(cv::Error::StsError, "cannot write video '" + path + "'");
        writer.write(overlay);
    }

private:
    std::string path;
    FrameSource::Kind kind;
    double fps;
    cv::VideoWriter writer;
};

// ------------------------------------------------------------------------------------ display

std::string caption(const cv::xcam::CAMModel& model, const std::vector<int>& ids,
                    const std::vector<float>& probs)
{
    // "label1, label2, label3 / p1, p2, p3", as the seed's figure title.
    std::string names, values;
    char buf[32];
    for (size_t i = 0; i < ids.size() && i < 3; ++i)
    {
        std::string label = model.getLabel(ids[i]);
        label = label.empty() ? "#" + std::to_string(ids[i]) : label.substr(0, label.find(','));
        names += (i ? ", " : "") + label;
        std::snprintf(buf, sizeof(buf), "%s%.3f", i ? ", " : "", probs[i]);
        values += buf;
    }
    return names + " / " + values;
}

/** The seed's figure: the frame and its overlay side by side under a caption line. */
cv::Mat figure(const cv::Mat& frame, const cv::Mat& overlay, const std::string& title,
               const std::string& status)
{
    cv::Mat pair, bgr = frame;
    if (frame.channels() == 1)
        cv::cvtColor(frame, bgr, cv::COLOR_GRAY2BGR);
    cv::hconcat(bgr, overlay, pair);
    const double shrink = std::min(1.0, 1600.0 / pair.cols);
    if (shrink < 1.0)
        cv::resize(pair, pair, cv::Size(), shrink, shrink, cv::INTER_AREA);
    const int bar = 56;
    cv::Mat canvas(pair.rows + bar, std::max(pair.cols, 480), CV_8UC3, cv::Scalar::all(255));
    pair.copyTo(canvas(cv::Rect(0, bar, pair.cols, pair.rows)));
    cv::putText(canvas, title, cv::Point(8, 22), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar::all(0), 1,
                cv::LINE_AA);
    cv::putText(canvas, status, cv::Point(8, 46), cv::FONT_HERSHEY_SIMPLEX, 0.45,
                cv::Scalar(90, 90, 90), 1, cv::LINE_AA);
    return canvas;
}

/** One montage tile: the image and its overlay, upscaled to `side` pixels high, over the top-3. */
cv::Mat montageTile(const cv::Mat& frame, const cv::Mat& cam, const cv::xcam::CAMOverlayParams& params,
                    const cv::xcam::CAMModel& model, const std::vector<int>& ids,
                    const std::vector<float>& probs, const std::string& name)
{
    const int side = 224, line = 18;
    cv::Mat image, overlay, pair;
    const double scale = (double)side / frame.rows;
    cv::resize(frame, image, cv::Size(), scale, scale, scale >= 1 ? cv::INTER_NEAREST : cv::INTER_AREA);
    cv::xcam::applyCAMOverlay(image, cam, overlay, params);
    if (image.channels() == 1)
        cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
    cv::hconcat(image, overlay, pair);
    const int lines = 1 + std::min<int>(3, (int)ids.size());
    cv::Mat tile(pair.rows + lines * line + 8, pair.cols, CV_8UC3, cv::Scalar::all(255));
    pair.copyTo(tile(cv::Rect(0, 0, pair.cols, pair.rows)));
    cv::putText(tile, fs::path(name).filename().string(), cv::Point(4, pair.rows + line - 4),
                cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(90, 90, 90), 1, cv::LINE_AA);
    for (int i = 0; i + 1 < lines; ++i)
    {
        std::string label = model.getLabel(ids[i]);
        label = label.empty() ? "#" + std::to_string(ids[i]) : label;
        char text[160];
        std::snprintf(text, sizeof(text), "%d. %s  %.3f", i + 1, label.c_str(), probs[i]);
        cv::putText(tile, text, cv::Point(4, pair.rows + (i + 2) * line - 4), cv::FONT_HERSHEY_SIMPLEX,
                    0.45, cv::Scalar::all(0), 1, cv::LINE_AA);
    }
    return tile;
}

/** Tiles in a grid, `columns` wide, on white (cells as large as the largest tile). */
cv::Mat montage(const std::vector<cv::Mat>& tiles, int columns)
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

bool haveDisplay()
{
    const char* x = std::getenv("DISPLAY");
    const char* w = std::getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

void requireFile(const std::string& path, const char* what)
{
    if (!path.empty() && !fs::is_regular_file(path))
        CV_Error(cv::Error::StsObjectNotFound, std::string("cannot read ") + what + " '" + path + "'");
}

void saveResults(const std::string& path, const cv::xcam::CAMModel& model,
                 const std::vector<int>& ids, const std::vector<float>& probs,
                 const std::vector<std::string>& labels, int camClass, const cv::Mat& cam)
{
    cv::FileStorage file(path, cv::FileStorage::WRITE);
    if (!file.isOpened())
        CV_Error(cv::Error::StsError, "cannot write '" + path + "'");
    file << "class_ids" << ids << "scores" << probs;
    if (!labels.empty())
        file << "labels" << labels;
    file << "feature_layer" << model.getFeatureLayer() << "fc_layer" << model.getFCLayer()
         << "cam_class" << camClass << "cam" << cam;
}

// --------------------------------------------------------------------------------------- run

int run(const cv::CommandLineParser& parser)
{
    const Preset* preset = parser.has("preset") ? findPreset(parser.get<std::string>("preset")) : nullptr;
    const std::string modelPath = parser.get<std::string>("model");
    const std::string configPath = parser.get<std::string>("config");
    const std::string classesPath = parser.get<std::string>("classes");
    const std::string input = parser.get<std::string>("input");
    const std::string savePath = parser.get<std::string>("save");
    const int topK = parser.get<int>("topk");
    const int requestedClass = parser.get<int>("class");
    const int maxFrames = parser.get<int>("frames");
    const std::string bias = parser.get<std::string>("bias"), style = parser.get<std::string>("style");
    if (modelPath.empty())
        CV_Error(cv::Error::StsBadArg, "--model is required");
    if (topK < 1)
        CV_Error(cv::Error::StsBadArg, "--topk must be at least 1");
    if (maxFrames < 0)
        CV_Error(cv::Error::StsBadArg, "--frames must not be negative");
    if (bias != "ignore" && bias != "spread")
        CV_Error(cv::Error::StsBadArg, "--bias must be 'ignore' or 'spread'");
    if (style != "seed" && style != "blend")
        CV_Error(cv::Error::StsBadArg, "--style must be 'seed' or 'blend'");
    cv::xcam::CAMOverlayParams overlayParams;
    overlayParams.style = style == "seed" ? cv::xcam::CAM_OVERLAY_SEED : cv::xcam::CAM_OVERLAY_BLEND;
    overlayParams.alpha = parser.get<float>("alpha");
    overlayParams.threshold = parser.get<float>("threshold");
    overlayParams.colormap = parseColormap(parser.get<std::string>("colormap"));
    requireFile(modelPath, "model");
    requireFile(configPath, "config");
    requireFile(classesPath, "classes");

    // Options given on the command line win over the preset, which wins over the defaults.
    auto pick = [&](const char* key, auto fallback) {
        return parser.has(key) ? parser.get<decltype(fallback)>(key) : fallback;
    };
    const int width = pick("width", preset ? preset->width : 0);
    const int height = pick("height", preset ? preset->height : 0);
    const double scale = pick("scale", preset ? preset->scale : 1.0);
    const cv::Scalar mean = pick("mean", preset ? preset->mean : cv::Scalar());
    const bool rgb = pick("rgb", preset ? preset->rgb : false);
    const bool crop = pick("crop", preset ? preset->crop : false);
    const std::string feature = pick("feature", std::string(preset ? preset->feature : ""));
    const std::string fc = pick("fc", std::string(preset ? preset->fc : ""));

    cv::Ptr<cv::xcam::CAMModel> model = cv::xcam::CAMModel::create(modelPath, configPath);
    model->getNet().setPreferableBackend(parser.get<int>("backend"));
    model->getNet().setPreferableTarget(parser.get<int>("target"));
    model->setInputParams(scale, cv::Size(std::max(0, width), std::max(0, height)), mean, rgb, crop);
    model->setLayers(feature, fc);
    model->setBiasMode(bias == "spread" ? cv::xcam::CAM_BIAS_SPREAD : cv::xcam::CAM_BIAS_IGNORE);
    if (!classesPath.empty())
        model->setLabels(cv::xcam::readClassLabels(classesPath));

    FrameSource source(input, parser.get<bool>("gray"));
    if (!savePath.empty() && source.kind != FrameSource::IMAGE)
        CV_Error(cv::Error::StsBadArg, "--save needs a single image as --input");
    OverlaySink sink(parser.get<std::string>("output"), source.kind, source.fps());
    const std::string montagePath = parser.get<std::string>("montage");
    if (!montagePath.empty() && !cv::haveImageWriter(montagePath))
        CV_Error(cv::Error::StsBadArg, "--montage '" + montagePath + "' is not an image file name");
    std::vector<cv::Mat> tiles;
    const bool window = !parser.get<bool>("headless") && haveDisplay();
    const int total = source.total();
    const bool progress = source.kind != FrameSource::IMAGE && (total < 0 || total > 1);
    const char* windowName = "xcam: class activation map";
    if (window)
        cv::namedWindow(windowName, cv::WINDOW_AUTOSIZE);

    cv::Mat frame, overlay, cam;
    std::string name;
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<cv::Mat> maps;
    int rank = 0, frames = 0, snapshots = 0, camClass = -1;
    double fps = 0;
    int64 lastProgress = 0;
    bool quit = false;
    cv::TickMeter totalTime;
    totalTime.start();

    // The map shown: --class, else the rank-th most likely class (keys 1/2/3).
    auto drawOverlay = [&]() {
        camClass = requestedClass >= 0 ? requestedClass : ids[std::min<size_t>(rank, ids.size() - 1)];
        if (requestedClass >= 0)
            model->getCAM(requestedClass, cam);
        else
            cam = maps[std::min<size_t>(rank, maps.size() - 1)];
        cv::xcam::applyCAMOverlay(frame, cam, overlay, overlayParams);
    };

    while (!quit && (maxFrames == 0 || frames < maxFrames) && source.read(frame, name))
    {
        cv::TickMeter tm;
        tm.start();
        model->classify(frame, std::max(topK, 3), ids, probs, maps);
        drawOverlay();
        tm.stop();
        fps = fps == 0 ? 1.0 / tm.getTimeSec() : 0.9 * fps + 0.1 / tm.getTimeSec();
        ++frames;

        if (source.kind == FrameSource::IMAGE || source.kind == FrameSource::FOLDER)
        {
            const int k = std::min<int>(topK, (int)ids.size());
            std::vector<std::string> labels;
            const std::string prefix =
                source.kind == FrameSource::FOLDER ? fs::path(name).filename().string() + "\t" : "";
            for (int i = 0; i < k; ++i)
            {
                labels.push_back(model->getLabel(ids[i]));
                std::printf("%s%d %d %s %.4f\n", prefix.c_str(), i + 1, ids[i],
                            labels.back().empty() ? "-" : labels.back().c_str(), probs[i]);
            }
            std::fflush(stdout);
            if (!savePath.empty())
                saveResults(savePath, *model, std::vector<int>(ids.begin(), ids.begin() + k),
                            std::vector<float>(probs.begin(), probs.begin() + k),
                            classesPath.empty() ? std::vector<std::string>() : labels, camClass, cam);
        }
        sink.write(overlay, name);
        if (!montagePath.empty())
            tiles.push_back(montageTile(frame, cam, overlayParams, *model, ids, probs, name));

        if (progress && (cv::getTickCount() - lastProgress) > 0.5 * cv::getTickFrequency())
        {
            lastProgress = cv::getTickCount();
            std::fprintf(stderr, "\rxcam_cam: %d%s %s, %.1f fps   ", frames,
                         total > 0 ? ("/" + std::to_string(total)).c_str() : "",
                         source.kind == FrameSource::FOLDER ? "files" : "frames", fps);
        }

        // Window: show the figure; a still image stays up until q/Esc or the window is closed.
        const bool still = source.kind == FrameSource::IMAGE;
        while (window)
        {
            char status[160];
            std::snprintf(status, sizeof(status),
                          "map: %s (class %d)  %.1f fps   keys: 1/2/3 map, s snapshot, q quit",
                          requestedClass >= 0 ? "--class" : rank == 0 ? "1st" : rank == 1 ? "2nd" : "3rd",
                          camClass, fps);
            const cv::Mat shown = figure(frame, overlay, caption(*model, ids, probs), status);
            cv::imshow(windowName, shown);
            const int key = cv::waitKey(still ? 50 : 1) & 0xFF;
            if (key == 'q' || key == 27 || cv::getWindowProperty(windowName, cv::WND_PROP_VISIBLE) < 1)
            {
                quit = true;
                break;
            }
            if (key == 's')
            {
                const std::string file = "xcam_snapshot_" + std::to_string(++snapshots) + ".png";
                cv::imwrite(file, shown);
                std::fprintf(stderr, "xcam_cam: saved %s\n", file.c_str());
            }
            if (key >= '1' && key <= '3')
            {
                rank = key - '1';
                drawOverlay();
            }
            if (!still)
                break;
        }
    }
    totalTime.stop();
    if (frames == 0)
        CV_Error(cv::Error::StsError, "no frame could be read from '" + (input.empty() ? std::string("0") : input) + "'");
    if (progress)
        std::fprintf(stderr, "\rxcam_cam: %d%s %s in %.1f s, %.1f fps\n", frames,
                     total > 0 ? ("/" + std::to_string(total)).c_str() : "",
                     source.kind == FrameSource::FOLDER ? "files" : "frames", totalTime.getTimeSec(),
                     frames / totalTime.getTimeSec());
    if (!tiles.empty())
    {
        if (!cv::imwrite(montagePath, montage(tiles, tiles.size() > 4 ? 4 : (int)tiles.size())))
            CV_Error(cv::Error::StsError, "cannot write '" + montagePath + "'");
        std::fprintf(stderr, "xcam_cam: wrote montage %s (%d images)\n", montagePath.c_str(),
                     (int)tiles.size());
    }
    std::fprintf(stderr, "xcam_cam: feature layer %s, fc layer %s\n", model->getFeatureLayer().c_str(),
                 model->isClassMapMode() ? "none (class-map head)" : model->getFCLayer().c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    cv::CommandLineParser parser(argc, argv, keys);
    parser.about("Top classes and their Class Activation Map (cv::xcam) for an image, a video, a "
                 "folder of images or the webcam.");
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
    // One clear line on failure: OpenCV's own log lines would only repeat it.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
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
