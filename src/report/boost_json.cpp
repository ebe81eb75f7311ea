// SPDX-License-Identifier: MIT
// Boost.JSON compiled into fanout (its header-only mode): one shared
// library fewer to load and relocate at every start.
#include <boost/json/src.hpp>
