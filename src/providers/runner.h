#pragma once

#include "mcp/inventory.h"
#include "providers/context.h"
#include "providers/turn.h"

namespace omk::providers {

// The run's tool plane: where `TurnRequest::mcp_servers` are looked up and which skills go
// along. Null: the turn gets no MCP servers and no skills (naming a server is then an error).
struct ToolPlane {
  const mcp::ToolPlaneInventory* inventory = nullptr;
  mcp::ServerGrants grants;
};

// Runs one turn. `request.provider` is a policy (auto, authority, primary, omk) or an id: it is
// resolved, or checked, to a provider healthy on all four answers before anything starts
// (UserError exit 4 naming each candidate otherwise; exit 2 for an unknown name).
//
// For a CLI: the turn's risk decides its capabilities, its sandbox profile (read turns always
// read-only) and the adapter's own flags; a write-capable turn on a CLI that cannot ask in
// headless mode is asked about through `request.approve` under --execution ask and refused
// under never. The child runs in omk's sandbox (network allowed: it must reach its model) with
// the safety layer's child environment (the adapter's own credential variables only), a
// private HOME holding the adapter's config files, the prompt on stdin or in a 0600 file, and
// its output parsed into the common result as it streams.
//
// For an API provider: one streamed Chat Completions call (read/review/advisory only).
//
// Failures come back categorised in the result (never thrown); a 429 is recorded in
// .omk/state/provider-health.json. Throws UserError otherwise only for an unresolvable provider
// (above), a server outside the tool plane or a sandbox `require` cannot meet (exit 3).
TurnResult run_turn(const ProviderContext& context, const TurnRequest& request,
                    const ToolPlane& tools = {});

// The sandbox profile a turn gets: read-only for read turns; otherwise the request's, else
// [runtime] sandbox (full access only when asked for explicitly).
sandbox::Profile turn_profile(const ProviderContext& context, const TurnRequest& request);

}  // namespace omk::providers
