// A/B harness for sampler kernels: calls two builds of a kernel file alternately on the same sizes, 41 rounds of
// 20 calls each, and prints each side's min and median ns per normal, B's speed relative to A (medians), and
// whether the two produce the same bits.  Alternating in one process cancels the slow drifts of a shared machine
// that make two separate benchmark runs disagree by more than the effect being measured.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" {
void ab_normal_f64_A(std::uint64_t, std::uint64_t, std::size_t, double*, unsigned);
void ab_normal_f64_B(std::uint64_t, std::uint64_t, std::size_t, double*, unsigned);
void ab_normal_f32_A(std::uint64_t, std::uint64_t, std::size_t, float*, unsigned);
void ab_normal_f32_B(std::uint64_t, std::uint64_t, std::size_t, float*, unsigned);
}

template <class T>
using Fn = void (*)(std::uint64_t, std::uint64_t, std::size_t, T*, unsigned);

template <class T>
double ns_per_value(Fn<T> f, std::vector<T>& v, unsigned ilv) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k < 20; ++k) f(42, 1000 * k, v.size(), v.data(), ilv);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / (20.0 * v.size()) * 1e9;
}

template <class T>
void compare(const char* name, Fn<T> fa, Fn<T> fb, unsigned ilv_a, unsigned ilv_b) {
  std::vector<T> a(16384), b(16384);
  fa(7, 3, a.size(), a.data(), ilv_a);
  fb(7, 3, b.size(), b.data(), ilv_b);
  const bool same = std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
  std::vector<double> ta, tb;
  for (int r = 0; r < 41; ++r) {
    ta.push_back(ns_per_value(fa, a, ilv_a));
    tb.push_back(ns_per_value(fb, b, ilv_b));
  }
  std::sort(ta.begin(), ta.end());
  std::sort(tb.begin(), tb.end());
  std::printf("%s  A (ilv %u): min %.3f med %.3f ns   B (ilv %u): min %.3f med %.3f ns   B/A speed %.3f   bits %s\n",
              name, ilv_a, ta[0], ta[20], ilv_b, tb[0], tb[20], ta[20] / tb[20], same ? "equal" : "DIFFER");
}

int main(int argc, char** argv) {
  const unsigned ia = argc > 1 ? std::atoi(argv[1]) : 2, ib = argc > 2 ? std::atoi(argv[2]) : ia;
  for (int rep = 0; rep < 2; ++rep) {
    compare<double>("f64", ab_normal_f64_A, ab_normal_f64_B, ia, ib);
    compare<float>("f32", ab_normal_f32_A, ab_normal_f32_B, ia, ib);
  }
}
