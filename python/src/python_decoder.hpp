// A Python callable as a cv::xcam::DetectionDecoder (DetectorModel.setDecoder): called with the
// GIL taken, from inside detect() and explain() (which run without it). A Python exception the
// callable raises is kept and raised again by the binding in place of the cv::Exception that
// DetectorModel makes of it, so the caller gets the decoder's own exception (type, traceback).
#ifndef XCAM_PY_PYTHON_DECODER_HPP
#define XCAM_PY_PYTHON_DECODER_HPP

#include "locked_model.hpp"

#include <exception>
#include <memory>
#include <string>
#include <utility>

namespace xcam_py {

/** The exception a Python decoder raised during the current call (written with the GIL, within
    the model's lock). */
struct DecoderError
{
    std::exception_ptr exception;
};

/** A DetectorModel with the slot its Python decoder reports exceptions to. */
struct LockedDetector : Locked<cv::xcam::DetectorModel>
{
    using Locked::Locked;
    std::shared_ptr<DecoderError> decoderError = std::make_shared<DecoderError>();
};

/** decoder(outputs: list[numpy.ndarray], imageSize: (w, h)) -> list[Detection] as a C++
    decoder; its exceptions (and a result that is not a list of Detection: TypeError) go to
    `error` and leave the C++ decoder as a std::runtime_error naming them. */
cv::xcam::DetectionDecoder pythonDecoder(const pybind11::function& decoder,
                                         const std::shared_ptr<DecoderError>& error);

/** Raises the exception of a Python decoder again (the GIL held), with a note naming `call`. */
[[noreturn]] void rethrowDecoderError(std::exception_ptr raised, const char* call);

/** f(model) as withModel() runs it; when it fails because the Python decoder raised, that
    exception is raised instead (with a note naming the call). The decoder's slot is reset and
    read under the model's lock, so a call on the same model from another thread cannot take
    this call's exception. */
template <typename F>
auto withDetector(LockedDetector& self, const char* call, F&& f)
{
    std::exception_ptr raised;
    try
    {
        return withModel(self, [&](const cv::Ptr<cv::xcam::DetectorModel>& m) {
            DecoderError& slot = *self.decoderError;
            slot.exception = nullptr;
            try
            {
                return f(m);
            }
            catch (const cv::Exception&)
            {
                std::swap(raised, slot.exception);
                throw;
            }
        });
    }
    catch (const cv::Exception& e)
    {
        // DetectorModel names the decoder's failure; any other error is raised as it is.
        if (!raised || e.err.find("the Python decoder") == std::string::npos)
            throw;
        rethrowDecoderError(raised, call);
    }
}

} // namespace xcam_py

#endif
