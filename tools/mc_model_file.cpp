#include "tools/mc_model_file.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diaggauss/diaggauss.h"

namespace diaggauss::cli {

static std::string read_matrix(const nlohmann::json& j, const char* key, std::size_t K, std::vector<double>& out,
                               std::size_t& D) {
  if (!j.contains(key) || !j[key].is_array()) return std::string("'") + key + "' must be an array of K arrays";
  const auto& rows = j[key];
  if (rows.size() != K) return std::string("'") + key + "' has " + std::to_string(rows.size()) + " rows, weights has " + std::to_string(K);
  for (std::size_t k = 0; k < K; ++k) {
    if (!rows[k].is_array()) return std::string("'") + key + "'[" + std::to_string(k) + "] must be an array";
    if (rows[k].empty()) return std::string("'") + key + "'[" + std::to_string(k) + "] is empty (dim must be at least 1)";
    if (D == 0) D = rows[k].size();
    if (rows[k].size() != D)
      return std::string("'") + key + "' is ragged: row " + std::to_string(k) + " has " + std::to_string(rows[k].size()) +
             " entries, expected " + std::to_string(D);
    for (std::size_t d = 0; d < D; ++d) {
      if (!rows[k][d].is_number()) return std::string("'") + key + "'[" + std::to_string(k) + "][" + std::to_string(d) + "] is not a number";
      out.push_back(rows[k][d].get<double>());
    }
  }
  return "";
}

std::string load_model(const std::string& path, mc::Mixture& m) {
  std::ifstream f(path);
  if (!f) return "cannot read model file '" + path + "'";
  // Parse errors keep nlohmann's line and column; a key given twice in one object is refused (nlohmann would keep
  // the last silently, so `"weights"` twice would use one of them without a word).
  std::vector<std::set<std::string>> keys;  // per open object
  std::string duplicate;
  const nlohmann::json::parser_callback_t cb = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& v) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) keys.emplace_back();
    else if (event == E::object_end && !keys.empty()) keys.pop_back();
    else if (event == E::key && !keys.empty() && !keys.back().insert(v.get<std::string>()).second && duplicate.empty())
      duplicate = v.get<std::string>();
    return true;
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f, cb);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    if (what.rfind("[json.exception.", 0) == 0 && what.find("] ") != std::string::npos) what = what.substr(what.find("] ") + 2);
    return "model file '" + path + "' is not valid JSON: " + what;
  }
  if (!duplicate.empty()) return "model file '" + path + "': key '" + duplicate + "' appears twice in one object";
  if (!j.is_object()) return "model file '" + path + "' is not a JSON object";
  if (!j.contains("weights") || !j["weights"].is_array() || j["weights"].empty()) return "'weights' must be a non-empty array";
  m = mc::Mixture{};
  m.components = j["weights"].size();
  for (std::size_t k = 0; k < m.components; ++k) {
    if (!j["weights"][k].is_number()) return "'weights'[" + std::to_string(k) + "] is not a number";
    m.weights.push_back(j["weights"][k].get<double>());
  }
  // The library's one weights rule (finite, >= 0, positive finite sum; then divided by the sum): the model file
  // accepts exactly what dg_gmm_logpdf / dg_sample_gmm accept, and stores the weights normalised.
  if (dg_normalize_weights_f64(m.components, m.weights.data(), m.weights.data()) != DG_OK)
    return std::string("'weights': ") + dg_last_error();
  std::size_t D = 0;
  if (auto e = read_matrix(j, "means", m.components, m.means, D); !e.empty()) return e;
  if (auto e = read_matrix(j, "variances", m.components, m.variances, D); !e.empty()) return e;
  m.dim = D;
  for (std::size_t i = 0; i < m.variances.size(); ++i)
    if (!(m.variances[i] > 0) || !std::isfinite(m.variances[i]))
      return "'variances'[" + std::to_string(i / D) + "][" + std::to_string(i % D) + "] must be finite and > 0";
  // The library's numeric contract (docs/numerics.md): a variance must be a normal number whose reciprocal is
  // normal too, so every path (diagonal, simd, LAPACK) sees the same model instead of 1/var = inf on some.
  constexpr double kMinNormal = std::numeric_limits<double>::min();
  for (std::size_t i = 0; i < m.variances.size(); ++i)
    if (m.variances[i] < kMinNormal || m.variances[i] > 1 / kMinNormal)
      return "'variances'[" + std::to_string(i / D) + "][" + std::to_string(i % D) +
             "] is subnormal or too large: variances must lie in [2.2250738585072014e-308, 4.4942328371557898e+307]";
  for (std::size_t i = 0; i < m.means.size(); ++i)
    if (!std::isfinite(m.means[i])) return "'means'[" + std::to_string(i / D) + "][" + std::to_string(i % D) + "] is not finite";
  return "";
}

std::string model_json(const mc::Mixture& m) {
  nlohmann::ordered_json mj;
  mj["weights"] = m.weights;
  for (const char* key : {"means", "variances"}) {
    const std::vector<double>& v = std::string(key) == "means" ? m.means : m.variances;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < m.components; ++k)
      rows.push_back(std::vector<double>(v.begin() + k * m.dim, v.begin() + (k + 1) * m.dim));
    mj[key] = rows;
  }
  return mj.dump(1) + "\n";
}

}  // namespace diaggauss::cli
