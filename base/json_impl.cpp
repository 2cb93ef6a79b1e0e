// Boost.JSON compiled into the plugin (header-only mode), once. Its symbols
// stay inside libcrmtier.so: the version script exports crmtier_* only, so a
// host that loaded another Boost.JSON never meets this one.
#include <boost/json/src.hpp>
