#include "dispatch/names.hpp"

namespace diaggauss::detail {

namespace {
constexpr const char* kFamilyNames[] = {
#define DG_FAMILY_NAME(id) #id,
    DG_FAMILY_LIST(DG_FAMILY_NAME)
#undef DG_FAMILY_NAME
};
constexpr int kFamilyCount = static_cast<int>(sizeof kFamilyNames / sizeof kFamilyNames[0]);
constexpr const char* kSizeClassNames[kSizeClassCount] = {"l1", "l2", "llc", "mem"};

// "a, b, c" from a list of names.
template <class Name>
std::string join_names(int count, Name name) {
  std::string s;
  for (int i = 0; i < count; ++i) s += (i ? ", " : "") + std::string(name(i));
  return s;
}
}  // namespace

const char* isa_name(Isa isa) {
  const int i = static_cast<int>(isa);
  return i >= 0 && i < kIsaCount ? kIsaSpecs[i].name : "?";
}

const char* family_name(Family f) {
  const int i = static_cast<int>(f);
  return i >= 0 && i < kFamilyCount ? kFamilyNames[i] : "?";
}

bool parse_isa(const std::string& s, Isa& out) {
  for (const IsaSpec& spec : kIsaSpecs)
    if (s == spec.name) return out = spec.isa, true;
  return false;
}

bool parse_family(const std::string& s, Family& out) {
  for (int f = 0; f < kFamilyCount; ++f)
    if (s == kFamilyNames[f]) return out = static_cast<Family>(f), true;
  return false;
}

const char* all_isa_names() {
  static const std::string s = join_names(kIsaCount, [](int i) { return kIsaSpecs[i].name; });
  return s.c_str();
}

const char* all_family_names() {
  static const std::string s = join_names(kFamilyCount, [](int i) { return kFamilyNames[i]; });
  return s.c_str();
}

const char* operation_name(Operation k) {
  const int i = static_cast<int>(k);
  return i >= 0 && i < kOperationCount ? kOperationNames[i] : "?";
}

bool parse_operation(const std::string& s, Operation& out) {
  for (int k = 0; k < kOperationCount; ++k)
    if (s == kOperationNames[k]) return out = static_cast<Operation>(k), true;
  return false;
}

const char* size_class_name(SizeClass c) { return kSizeClassNames[static_cast<int>(c)]; }

bool parse_size_class(const std::string& s, SizeClass& out) {
  for (int c = 0; c < kSizeClassCount; ++c)
    if (s == kSizeClassNames[c]) return out = static_cast<SizeClass>(c), true;
  return false;
}

}  // namespace diaggauss::detail
