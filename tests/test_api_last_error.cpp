// diaggauss.h promises that every status-returning function clears dg_last_error() on entry, so that after a
// success it is "" and after a failure it holds that call's message.  The weights' normaliser, the _var samplers,
// the _ld layouts and the profile functions once skipped the common boundary (src/guard.hpp) and left the previous
// call's message in place after a success.  This test calls each function with valid arguments after a failure,
// and reads the header's list of functions so that one added later without a call here fails the test.
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "diaggauss/diaggauss.h"

namespace {

// The header, found from the test data folder (tests/data -> include/diaggauss/diaggauss.h).
std::string header_text() {
  std::ifstream in(std::string(DG_TEST_DATA_DIR) + "/../../include/diaggauss/diaggauss.h");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every `DG_API int dg_name(` of the header except dg_stream_version (it returns a number, not a status).
std::vector<std::string> status_functions() {
  const std::string text = header_text();
  std::vector<std::string> names;
  const std::regex decl(R"(DG_API\s+int\s+(dg_\w+)\s*\()");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), decl); it != std::sregex_iterator(); ++it)
    if ((*it)[1] != "dg_stream_version") names.push_back((*it)[1]);
  return names;
}

void leave_an_error() {
  const double w = 1;
  double out;
  ASSERT_EQ(dg_normalize_weights_f64(0, &w, &out), DG_E_BAD_WEIGHTS);
  ASSERT_STRNE(dg_last_error(), "");
}

template <class T>
struct Data {
  // 3 points of dim 2, 2 components; all values valid for every function.
  std::vector<T> X = {0.5, -1, 2, 0.25, -3, 1};
  std::vector<T> mean = {0, 1}, sd = {1, 2}, var = {1, 4};
  std::vector<T> w = {1, 3}, means = {0, 1, -1, 2}, sds = {1, 2, 0.5, 1}, vars = {1, 4, 0.25, 1};
  std::vector<T> d = {2, -4, 8}, b = {1, 2, 3}, x = std::vector<T>(3), out = std::vector<T>(6),
                 resp = std::vector<T>(6), Z = std::vector<T>(6);
  std::vector<std::uint32_t> labels = std::vector<std::uint32_t>(3);
};

// One valid call per declared function; each returns its status.
std::map<std::string, std::function<int()>> valid_calls(Data<double>& D, Data<float>& F, std::string& json) {
  std::map<std::string, std::function<int()>> c;
  c["dg_force_isa"] = [] { return dg_force_isa("auto"); };
  c["dg_force_impl"] = [] { return dg_force_impl("auto"); };
  c["dg_load_profile"] = [] { return dg_load_profile(nullptr); };
  c["dg_profile_status"] = [] {
    char* state = nullptr;
    const int st = dg_profile_status(nullptr, &state, nullptr);
    dg_free(state);
    return st;
  };
  c["dg_profile_export"] = [] {
    char* j = nullptr;
    const int st = dg_profile_export(&j);
    dg_free(j);
    return st;
  };
  c["dg_profile_import"] = [&json] { return dg_profile_import(json.c_str()); };
  c["dg_uniform_u32"] = [] {
    std::uint32_t w[5];
    return dg_uniform_u32(1, 2, 3, 5, w);
  };
#define DG_TYPED(T, S, A)                                                                                            \
  c["dg_solve_diag_" S] = [&A] { return dg_solve_diag_##T(3, A.d.data(), A.b.data(), A.x.data(), nullptr); };     \
  c["dg_reciprocal_" S] = [&A] { return dg_reciprocal_##T(3, A.d.data(), A.x.data(), nullptr); };                 \
  c["dg_solve_diag_inv_" S] = [&A] { return dg_solve_diag_inv_##T(3, A.d.data(), A.b.data(), A.x.data()); };      \
  c["dg_solve_diag_multi_" S] = [&A] {                                                                             \
    return dg_solve_diag_multi_##T(3, 2, A.d.data(), A.X.data(), 2, A.Z.data(), 2, nullptr);                       \
  };                                                                                                                \
  c["dg_whiten_" S] = [&A] { return dg_whiten_##T(3, 2, A.X.data(), A.mean.data(), A.sd.data(), A.Z.data()); };   \
  c["dg_diag_logpdf_" S] = [&A] {                                                                                  \
    return dg_diag_logpdf_##T(3, 2, A.X.data(), A.mean.data(), A.var.data(), A.out.data());                        \
  };                                                                                                                \
  c["dg_gmm_logpdf_" S] = [&A] {                                                                                   \
    return dg_gmm_logpdf_##T(3, 2, 2, A.X.data(), A.w.data(), A.means.data(), A.vars.data(), A.out.data(),         \
                             A.resp.data());                                                                        \
  };                                                                                                                \
  c["dg_gmm_responsibilities_" S] = [&A] {                                                                         \
    return dg_gmm_responsibilities_##T(3, 2, 2, A.X.data(), A.w.data(), A.means.data(), A.vars.data(),            \
                                       A.out.data(), A.resp.data());                                                \
  };                                                                                                                \
  c["dg_normalize_weights_" S] = [&A] { return dg_normalize_weights_##T(2, A.w.data(), A.out.data()); };          \
  c["dg_uniform_" S] = [&A] { return dg_uniform_##T(1, 2, 3, 6, A.out.data()); };                                 \
  c["dg_normal_" S] = [&A] { return dg_normal_##T(1, 2, 3, 6, A.out.data()); };                                   \
  c["dg_sample_diag_" S] = [&A] {                                                                                  \
    return dg_sample_diag_##T(1, 2, 3, 3, 2, A.mean.data(), A.sd.data(), A.Z.data());                              \
  };                                                                                                                \
  c["dg_sample_gmm_" S] = [&A] {                                                                                   \
    return dg_sample_gmm_##T(1, 2, 3, 3, 2, 2, A.w.data(), A.means.data(), A.sds.data(), A.Z.data(),              \
                             A.labels.data());                                                                      \
  };                                                                                                                \
  c["dg_sample_diag_var_" S] = [&A] {                                                                              \
    return dg_sample_diag_var_##T(1, 2, 3, 3, 2, A.mean.data(), A.var.data(), A.Z.data());                         \
  };                                                                                                                \
  c["dg_sample_gmm_var_" S] = [&A] {                                                                               \
    return dg_sample_gmm_var_##T(1, 2, 3, 3, 2, 2, A.w.data(), A.means.data(), A.vars.data(), A.Z.data(),         \
                                 A.labels.data());                                                                  \
  };                                                                                                                \
  /* The _ld calls use column-major with a padded leading dimension, so they go through the row buffer. */        \
  c["dg_whiten_ld_" S] = [&A] {                                                                                    \
    return dg_whiten_ld_##T(DG_COL_MAJOR, 2, 2, A.X.data(), 3, A.mean.data(), A.sd.data(), A.Z.data(), 3);         \
  };                                                                                                                \
  c["dg_diag_logpdf_ld_" S] = [&A] {                                                                               \
    return dg_diag_logpdf_ld_##T(DG_COL_MAJOR, 2, 2, A.X.data(), 3, A.mean.data(), A.var.data(), A.out.data());    \
  };                                                                                                                \
  c["dg_gmm_logpdf_ld_" S] = [&A] {                                                                                \
    return dg_gmm_logpdf_ld_##T(DG_COL_MAJOR, 2, 2, 2, A.X.data(), 3, A.w.data(), A.means.data(), A.vars.data(),   \
                                A.out.data(), A.resp.data());                                                       \
  };                                                                                                                \
  c["dg_sample_diag_ld_" S] = [&A] {                                                                               \
    return dg_sample_diag_ld_##T(DG_COL_MAJOR, 1, 2, 3, 2, 2, A.mean.data(), A.sd.data(), A.Z.data(), 3);          \
  };                                                                                                                \
  c["dg_sample_gmm_ld_" S] = [&A] {                                                                                \
    return dg_sample_gmm_ld_##T(DG_COL_MAJOR, 1, 2, 3, 2, 2, 2, A.w.data(), A.means.data(), A.sds.data(),         \
                                A.Z.data(), 3, A.labels.data());                                                    \
  };
  DG_TYPED(f64, "f64", D)
  DG_TYPED(f32, "f32", F)
#undef DG_TYPED
  return c;
}

TEST(ApiLastError, EveryStatusFunctionClearsTheMessageOfTheCallBefore) {
  Data<double> D;
  Data<float> F;
  // A profile to import: the one in force (exported), or a minimal valid document when none is loaded.
  std::string json;
  {
    char* j = nullptr;
    if (dg_profile_export(&j) == DG_OK) json = j;
    dg_free(j);
  }
  auto calls = valid_calls(D, F, json);
  const std::vector<std::string> names = status_functions();
  ASSERT_GT(names.size(), 40u) << "the header's declarations were not found";
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    auto it = calls.find(name);
    if (it == calls.end()) {
      ADD_FAILURE() << name << " is declared in diaggauss.h but has no valid call in this test";
      continue;
    }
    leave_an_error();
    const int st = it->second();
    const std::string msg = dg_last_error();
    if (name == "dg_load_profile" || name == "dg_profile_export" || (name == "dg_profile_import" && json.empty())) {
      // No profile file may exist here: then these fail, with their own message, not the one before.
      if (st != DG_OK) {
        EXPECT_EQ(msg.rfind(name, 0), 0u) << "status " << st << ", message: " << msg;
        continue;
      }
    }
    EXPECT_EQ(st, DG_OK) << msg;
    EXPECT_EQ(msg, "") << "after a successful call";
  }
}

}  // namespace
