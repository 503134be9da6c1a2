// The boundary every extern "C" entry point goes through: no C++ exception may cross into a C caller (it would
// call std::terminate).  guarded() clears the thread's last error (so dg_last_error() is "" after a success),
// runs the body, and turns an escaping exception into a status: std::bad_alloc (scratch buffers, error
// strings) -> DG_E_NOMEM, anything else -> DG_E_INTERNAL.  The error record is a fixed thread-local buffer, so
// recording "out of memory" cannot itself allocate (src/errors.cpp).
#pragma once
#include <exception>
#include <new>

#include "src/errors.hpp"

namespace diaggauss::detail {

template <class Body>
int guarded(const char* fn, Body&& body) noexcept {
  clear_error();
  try {
    return body(fn);
  } catch (const std::bad_alloc&) {
    return fail_static(DG_E_NOMEM, fn, "out of memory (a scratch buffer could not be allocated)");
  } catch (const std::exception& e) {
    return fail_static(DG_E_INTERNAL, fn, e.what());
  } catch (...) {
    return fail_static(DG_E_INTERNAL, fn, "unknown exception");
  }
}

}  // namespace diaggauss::detail
