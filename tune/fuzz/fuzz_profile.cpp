// libFuzzer target for the profile loader: any byte string must be refused, ignored or accepted — never a crash,
// a hang, an exception or a sanitizer report.  Built and run briefly by ctest (tune/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <string>

#include "dispatch/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace diaggauss::detail;
  static const CpuInfo cpu = [] {
    CpuInfo c;
    c.arch = "x86_64";
    c.vendor = "AuthenticAMD";
    c.family = 25;
    c.model = 1;
    c.sse42 = c.popcnt = c.avx = c.avx2 = c.fma = true;
    return c;
  }();
  ProfileData out;
  std::string msg;
  const ProfileVerdict v = parse_profile_text(std::string(reinterpret_cast<const char*>(data), size), cpu, out, msg);
  if (v != ProfileVerdict::ok && msg.empty()) __builtin_trap();  // every refusal must say why
  return 0;
}
