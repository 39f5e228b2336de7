// The HTTP server (libmicrohttpd): a few threads of its own poll the
// connections, with a connection limit, an idle timeout and a bound on each
// request's headers; bodies are refused unless writes are allowed (and then
// bounded). Every
// response carries a strict Content-Security-Policy. |handler| is called on
// the server's threads, concurrently. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

struct MHD_Daemon;

namespace shihyo {

struct HttpRequest {
  std::string method;  // GET or HEAD; POST and DELETE only when writes are allowed
  std::string path;    // percent-decoded, without the query
  std::map<std::string, std::string> query;  // decoded; the first of repeated keys
  // authorization, content-type, origin, host, x-csrf-token (lower-case names).
  std::map<std::string, std::string> headers;
  std::string body;  // at most HttpServerOptions::max_body bytes
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 literal
  int port = 9387;
  int max_connections = 256;         // more are refused at once
  int timeout_seconds = 10;          // an idle or slow connection is closed after this
  size_t request_limit = 16 * 1024;  // bytes of memory per connection (headers and all)
  int threads = 4;
  bool allow_writes = false;   // POST and DELETE reach the handler
  size_t max_body = 8 * 1024;  // a longer body is refused with 413
};

class HttpServer {
 public:
  // Binds and starts serving; kIOError when the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler handler);
  // Stops: closes the listening socket and waits for the requests in flight.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port bound (useful when |options.port| was 0).
  int port() const { return port_; }

  // For the callback in http_server.cc.
  HttpResponse Handle(const HttpRequest& request) const { return handler_(request); }
  const HttpServerOptions& options() const { return options_; }

 private:
  HttpServer(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  HttpServerOptions options_;
  HttpHandler handler_;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
};

}  // namespace shihyo
