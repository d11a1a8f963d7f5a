// The presets of --preset: preprocessing and layer names of the seed's models' usual public
// releases (URLs and checksums: samples/download_models.sh).
#include "numbers.hpp"
#include "options.hpp"

namespace xcam_samples {

namespace {

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

} // namespace

bool applyPreset(const std::string& name, ModelOptions& model, std::string& error)
{
    for (const Preset& p : kPresets)
        if (name == p.name)
        {
            model.width = p.width;
            model.height = p.height;
            model.scale = p.scale;
            model.mean = p.mean;
            model.rgb = p.rgb;
            model.crop = p.crop;
            model.feature = p.feature;
            model.fc = p.fc;
            return true;
        }
    std::string known;
    for (const Preset& p : kPresets)
        known += std::string(known.empty() ? "" : ", ") + p.name;
    error = "--preset '" + printable(name) + "' is unknown; presets: " + known;
    return false;
}

} // namespace xcam_samples
