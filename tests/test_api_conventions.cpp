// One parameter convention across the C API (issue 17): weights are normalised (one rule,
// dg_normalize_weights_*), samplers take variances through the _var variants, responsibilities are the
// normalised posteriors (scikit-learn's predict_proba) while dg_gmm_logpdf_*'s last argument stays the
// per-component log-density.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "diaggauss/diaggauss.h"
#include "diaggauss/diaggauss.hpp"

namespace {

std::string last() { return dg_last_error(); }

// A 3-component, 2-D model and a few points around it.
struct Model {
  std::vector<double> w = {0.2, 0.3, 0.5};
  std::vector<double> means = {-2, 0, 1, 1, 3, -1};
  std::vector<double> vars = {0.5, 1.0, 2.0, 0.25, 1.5, 3.0};
  std::vector<double> X = {-2, 0.1, 0.5, 0.5, 3, -2, 10, 10, 0, 0};
  std::size_t np = 5, dim = 2, k = 3;
};

TEST(ApiConventions, WeightsAreNormalisedWherePositiveAndFinite) {
  Model m;
  std::vector<double> ref(m.np), scaled(m.np), w3 = m.w;
  for (double& v : w3) v *= 3.7;  // unnormalised, e.g. counts
  ASSERT_EQ(dg_gmm_logpdf_f64(m.np, m.dim, m.k, m.X.data(), m.w.data(), m.means.data(), m.vars.data(), ref.data(),
                              nullptr), DG_OK) << last();
  ASSERT_EQ(dg_gmm_logpdf_f64(m.np, m.dim, m.k, m.X.data(), w3.data(), m.means.data(), m.vars.data(),
                              scaled.data(), nullptr), DG_OK) << last();
  for (std::size_t p = 0; p < m.np; ++p) EXPECT_NEAR(scaled[p], ref[p], 1e-13 * (1 + std::fabs(ref[p]))) << p;

  std::vector<double> n(3);
  ASSERT_EQ(dg_normalize_weights_f64(3, w3.data(), n.data()), DG_OK);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(n[i], m.w[i], 1e-16) << i;
  std::vector<float> wf = {1.f, 1.f, 2.f};
  ASSERT_EQ(dg_normalize_weights_f32(3, wf.data(), wf.data()), DG_OK);  // in place
  EXPECT_EQ(wf[0], 0.25f);
  EXPECT_EQ(wf[2], 0.5f);

  const std::vector<std::vector<double>> bad = {{0, 0, 0}, {1, -1, 1}, {1, NAN, 1}, {1, INFINITY, 1}};
  for (const auto& b : bad) {
    std::vector<double> out(3, -7);
    EXPECT_EQ(dg_normalize_weights_f64(3, b.data(), out.data()), DG_E_BAD_WEIGHTS);
    EXPECT_NE(last().find("weights"), std::string::npos) << last();
    EXPECT_EQ(out[0], -7);  // nothing written
  }
  EXPECT_EQ(dg_normalize_weights_f64(0, m.w.data(), n.data()), DG_E_BAD_WEIGHTS);
}

TEST(ApiConventions, ResponsibilitiesAreNormalisedPosteriors) {
  Model m;
  std::vector<double> out(m.np), comp(m.np * m.k), resp(m.np * m.k), out2(m.np, -7);
  ASSERT_EQ(dg_gmm_logpdf_f64(m.np, m.dim, m.k, m.X.data(), m.w.data(), m.means.data(), m.vars.data(), out.data(),
                              comp.data()), DG_OK);
  ASSERT_EQ(dg_gmm_responsibilities_f64(m.np, m.dim, m.k, m.X.data(), m.w.data(), m.means.data(), m.vars.data(),
                                        out2.data(), resp.data()), DG_OK) << last();
  for (std::size_t p = 0; p < m.np; ++p) {
    EXPECT_EQ(out2[p], out[p]);
    double sum = 0;
    for (std::size_t c = 0; c < m.k; ++c) {
      const double want = std::exp(comp[p * m.k + c] + std::log(m.w[c]) - out[p]);
      EXPECT_NEAR(resp[p * m.k + c], want, 1e-12) << p << "," << c;
      sum += resp[p * m.k + c];
    }
    EXPECT_NEAR(sum, 1.0, 1e-14) << p;
  }
  // The far point (10, 10) still gets finite responsibilities (softmax with the maximum subtracted).
  for (std::size_t c = 0; c < m.k; ++c) EXPECT_TRUE(std::isfinite(resp[3 * m.k + c]));
  // out is optional; resp is not.
  std::vector<double> resp2(m.np * m.k);
  ASSERT_EQ(dg_gmm_responsibilities_f64(m.np, m.dim, m.k, m.X.data(), m.w.data(), m.means.data(), m.vars.data(),
                                        nullptr, resp2.data()), DG_OK);
  EXPECT_EQ(resp2, resp);
  EXPECT_EQ(dg_gmm_responsibilities_f64(m.np, m.dim, m.k, m.X.data(), m.w.data(), m.means.data(), m.vars.data(),
                                        nullptr, nullptr), DG_E_NULL_POINTER);
  EXPECT_NE(last().find("resp"), std::string::npos) << last();
  std::vector<float> Xf(m.X.begin(), m.X.end()), wf(m.w.begin(), m.w.end()), mf(m.means.begin(), m.means.end()),
      vf(m.vars.begin(), m.vars.end()), rf(m.np * m.k);
  ASSERT_EQ(dg_gmm_responsibilities_f32(m.np, m.dim, m.k, Xf.data(), wf.data(), mf.data(), vf.data(), nullptr,
                                        rf.data()), DG_OK);
  for (std::size_t i = 0; i < rf.size(); ++i) EXPECT_NEAR(rf[i], resp[i], 1e-5) << i;
}

TEST(ApiConventions, VarianceSamplersEqualStddevSamplersBitForBit) {
  Model m;
  const std::size_t np = 37;
  std::vector<double> sd(m.vars.size());
  for (std::size_t i = 0; i < sd.size(); ++i) sd[i] = std::sqrt(m.vars[i]);
  std::vector<double> a(np * m.dim), b(np * m.dim);
  ASSERT_EQ(dg_sample_diag_f64(9, 2, 5, np, m.dim, m.means.data(), sd.data(), a.data()), DG_OK);
  ASSERT_EQ(dg_sample_diag_var_f64(9, 2, 5, np, m.dim, m.means.data(), m.vars.data(), b.data()), DG_OK) << last();
  EXPECT_EQ(a, b);
  std::vector<std::uint32_t> la(np), lb(np);
  ASSERT_EQ(dg_sample_gmm_f64(9, 2, 5, np, m.dim, m.k, m.w.data(), m.means.data(), sd.data(), a.data(), la.data()),
            DG_OK);
  ASSERT_EQ(dg_sample_gmm_var_f64(9, 2, 5, np, m.dim, m.k, m.w.data(), m.means.data(), m.vars.data(), b.data(),
                                  lb.data()), DG_OK) << last();
  EXPECT_EQ(a, b);
  EXPECT_EQ(la, lb);
  std::vector<float> mf(m.means.begin(), m.means.end()), vf(m.vars.begin(), m.vars.end()), sf(vf.size());
  for (std::size_t i = 0; i < sf.size(); ++i) sf[i] = std::sqrt(vf[i]);
  std::vector<float> fa(np * m.dim), fb(np * m.dim);
  ASSERT_EQ(dg_sample_diag_f32(9, 2, 5, np, m.dim, mf.data(), sf.data(), fa.data()), DG_OK);
  ASSERT_EQ(dg_sample_diag_var_f32(9, 2, 5, np, m.dim, mf.data(), vf.data(), fb.data()), DG_OK);
  EXPECT_EQ(fa, fb);
  // Errors name the variance argument and index; nothing is written.
  std::vector<double> badv = {1, -1}, out(np * m.dim, -7);
  EXPECT_EQ(dg_sample_diag_var_f64(1, 0, 0, np, m.dim, m.means.data(), badv.data(), out.data()),
            DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("var[1]"), std::string::npos) << last();
  std::vector<double> badvars = m.vars;
  badvars[4] = NAN;
  EXPECT_EQ(dg_sample_gmm_var_f64(1, 0, 0, np, m.dim, m.k, m.w.data(), m.means.data(), badvars.data(), out.data(),
                                  nullptr), DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("vars[2][0]"), std::string::npos) << last();
  EXPECT_EQ(dg_sample_diag_var_f64(1, 0, 0, np, m.dim, m.means.data(), nullptr, out.data()), DG_E_NULL_POINTER);
  for (double v : out) EXPECT_EQ(v, -7);
}

TEST(ApiConventions, CppWrappersFollowTheSameConvention) {
  Model m;
  std::vector<double> resp(m.np * m.k), resp_c(m.np * m.k), a(6), b(6), n(3);
  diaggauss::gmm_responsibilities(m.np, m.dim, m.k, m.X.data(), m.w.data(), m.means.data(), m.vars.data(),
                                  resp.data());
  ASSERT_EQ(dg_gmm_responsibilities_f64(m.np, m.dim, m.k, m.X.data(), m.w.data(), m.means.data(), m.vars.data(),
                                        nullptr, resp_c.data()), DG_OK);
  EXPECT_EQ(resp, resp_c);
  std::vector<double> sd = {std::sqrt(m.vars[0]), std::sqrt(m.vars[1])};
  diaggauss::sample_diag_var(3, 0, 0, 3, 2, m.means.data(), m.vars.data(), a.data());
  diaggauss::sample_diag(3, 0, 0, 3, 2, m.means.data(), sd.data(), b.data());
  EXPECT_EQ(a, b);
  const std::vector<double> counts = {2, 2, 4};
  diaggauss::normalize_weights(3, counts.data(), n.data());
  EXPECT_EQ(n, (std::vector<double>{0.25, 0.25, 0.5}));
  const std::vector<double> zero = {0, 0, 0};
  EXPECT_THROW(diaggauss::normalize_weights(3, zero.data(), n.data()), diaggauss::Error);
}

// Points no component gives a positive density: every responsibility is NaN (0/0, as predict_proba), documented in
// diaggauss.h and docs/numerics.md; the other rows stay finite and sum to 1, a weight-0 component gets exactly 0.
TEST(ApiConventions, ResponsibilitiesOfPointsNoComponentExplainsAreNaN) {
  const std::vector<double> w = {0.5, 0.0, 0.5}, means = {0, 0, 1, 1, -1, 2}, vars = {1, 1, 2, 2, 0.5, 3};
  const std::vector<double> X = {NAN, 0, INFINITY, 0, 0, -INFINITY, 1e200, 0, 0.5, -0.5};
  const std::size_t np = 5, dim = 2, k = 3;
  std::vector<double> out(np), resp(np * k);
  ASSERT_EQ(dg_gmm_responsibilities_f64(np, dim, k, X.data(), w.data(), means.data(), vars.data(), out.data(),
                                        resp.data()),
            DG_OK) << last();
  for (std::size_t p = 0; p < 4; ++p)
    for (std::size_t c = 0; c < k; ++c) EXPECT_TRUE(std::isnan(resp[p * k + c])) << p << "," << c;
  EXPECT_TRUE(std::isnan(out[0]));
  for (std::size_t p = 1; p < 4; ++p) EXPECT_EQ(out[p], -INFINITY) << p;
  EXPECT_EQ(resp[4 * k + 1], 0.0);
  EXPECT_NEAR(resp[4 * k] + resp[4 * k + 2], 1.0, 1e-15);
  EXPECT_TRUE(std::isfinite(out[4]));
}

}  // namespace
