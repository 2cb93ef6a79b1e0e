// Boost.JSON compiled into the test program (header-only use).
#include <boost/json/src.hpp>
