// A Python callable as a cv::xcam::DetectionDecoder (DetectorModel.setDecoder): called with the
// GIL taken, from inside detect() and explain() (which run without it). A Python exception the
// callable raises is kept and raised again by the binding in place of the cv::Exception that
// DetectorModel makes of it, so the caller gets the decoder's own exception (type, traceback).
#ifndef XCAM_PY_PYTHON_DECODER_HPP
#define XCAM_PY_PYTHON_DECODER_HPP

#include "locked_model.hpp"

#include <exception>
#include <memory>

namespace xcam_py {

/** The exception a Python decoder raised during the current call (set and read under the GIL). */
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
    exception is raised instead (with a note naming the call). */
template <typename F>
auto withDetector(LockedDetector& self, const char* call, F&& f)
{
    self.decoderError->exception = nullptr;
    try
    {
        return withModel(self, std::forward<F>(f));
    }
    catch (const cv::Exception&)
    {
        std::exception_ptr raised = self.decoderError->exception;
        self.decoderError->exception = nullptr;
        if (!raised)
            throw;
        rethrowDecoderError(raised, call);
    }
}

} // namespace xcam_py

#endif
