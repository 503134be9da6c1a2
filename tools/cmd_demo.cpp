// `diaggauss demo`: the main job.  For now the dispatch report; later issues add the quick per-ISA table and
// the Monte Carlo seed table.
#include "tools/commands.hpp"

namespace diaggauss::cli {

int cmd_demo(const Args& args) { return cmd_info(args); }

}  // namespace diaggauss::cli
