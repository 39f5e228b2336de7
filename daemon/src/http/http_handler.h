// The handler behind the HTTP server: status pages, /metrics, the JSON API
// and the health checks, read from the daemon's published status and, per
// request, the state DB and the indicator store (both only read). Thread-safe.
#pragma once

#include "http/http_server.h"

namespace shihyo {

class StatusBoard;

// Serves every path; 404 for unknown ones. |board| must outlive the handler.
HttpHandler MakeShihyoHandler(const StatusBoard* board);

}  // namespace shihyo
