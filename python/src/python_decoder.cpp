// DetectorModel.setDecoder's Python callable as a C++ DetectionDecoder (python_decoder.hpp).
#include "python_decoder.hpp"

#include "convert.hpp"

#include <stdexcept>
#include <string>

namespace py = pybind11;
using cv::xcam::Detection;

namespace xcam_py {
namespace {

/** A Python object that a C++ owner may drop without the GIL (DetectorModel replaces or drops
    its decoder inside calls that released it). */
struct GilSafeObject
{
    explicit GilSafeObject(py::object o) : object(std::move(o)) {}
    ~GilSafeObject()
    {
        py::gil_scoped_acquire gil;
        object = py::object();
    }
    py::object object;
};

/** One call of the Python decoder; every failure as py::error_already_set. */
std::vector<Detection> callDecoder(const py::object& decoder, const std::vector<cv::Mat>& outputs,
                                   const cv::Size& imageSize)
{
    py::list arrays;  // copies: the net reuses its blobs, and the decoder may keep the arrays
    for (const cv::Mat& out : outputs)
        arrays.append(arrayFromMat(out.clone()));
    py::object result = decoder(arrays, py::make_tuple(imageSize.width, imageSize.height));
    try
    {
        return result.cast<std::vector<Detection>>();
    }
    catch (const py::cast_error&)
    {
        const std::string got = py::str(py::type::handle_of(result).attr("__name__"));
        throw py::type_error("the decoder must return a list of xcam.Detection, got " + got);
    }
}

} // namespace

cv::xcam::DetectionDecoder pythonDecoder(const py::function& decoder,
                                         const std::shared_ptr<DecoderError>& error)
{
    auto callable = std::make_shared<GilSafeObject>(decoder);
    return [callable, error](const std::vector<cv::Mat>& outputs, const cv::Size& imageSize,
                             std::vector<Detection>& proposals) {
        py::gil_scoped_acquire gil;
        try
        {
            proposals = callDecoder(callable->object, outputs, imageSize);
        }
        catch (py::error_already_set& e)
        {
            error->exception = std::current_exception();
            throw std::runtime_error(std::string("the Python decoder raised ") + e.what());
        }
        catch (const py::builtin_exception& e)  // the type_error above
        {
            e.set_error();
            error->exception = std::make_exception_ptr(py::error_already_set());
            throw std::runtime_error(std::string("the Python decoder's result: ") + e.what());
        }
    };
}

void rethrowDecoderError(std::exception_ptr raised, const char* call)
{
    try
    {
        std::rethrow_exception(raised);
    }
    catch (py::error_already_set& e)
    {
        if (py::hasattr(e.value(), "add_note"))  // Python 3.11
            e.value().attr("add_note")(std::string("(raised by the decoder given to "
                                                   "DetectorModel.setDecoder, during ") +
                                       call + "())");
        throw;
    }
}

} // namespace xcam_py
