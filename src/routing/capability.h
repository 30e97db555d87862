#pragma once

#include "providers/capabilities.h"

namespace omk::routing {

// What a runtime can be asked to do: the providers layer's capabilities, so a routing decision
// and the turn the providers layer runs speak about the same set.
using providers::all_capabilities;
using providers::Capability;
using providers::CapabilitySet;
using providers::parse_capability;
using providers::to_string;

}  // namespace omk::routing
