#include "http/http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace shihyo {

namespace {

// No scripts, no frames, no plugins; styles from the server only.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

MHD_Result CollectQuery(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* query = static_cast<std::map<std::string, std::string>*>(cls);
  if (key != nullptr) query->emplace(key, value != nullptr ? value : "");
  return MHD_YES;
}

MHD_Result Queue(MHD_Connection* connection, const HttpResponse& r) {
  MHD_Response* response = MHD_create_response_from_buffer(
      r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, "Content-Type", r.content_type.c_str());
  MHD_add_response_header(response, "Content-Security-Policy", kContentSecurityPolicy);
  MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(response, "X-Frame-Options", "DENY");
  MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(response, "Cache-Control", "no-store");
  for (const auto& [name, value] : r.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  MHD_Result ret = MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return ret;
}

HttpResponse Plain(int status, const std::string& text) {
  HttpResponse r;
  r.status = status;
  r.body = text + "\n";
  return r;
}

// What a request has read of its body so far.
struct Upload {
  std::string body;
};

void OnCompleted(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  delete static_cast<Upload*>(*con_cls);
  *con_cls = nullptr;
}

// On the first call (headers only): a response for a request refused before
// its body is read, or nullopt to go on.
std::optional<HttpResponse> Refuse(MHD_Connection* connection, const std::string& method,
                                   const HttpServerOptions& options) {
  const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
  bool chunked =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Transfer-Encoding") != nullptr;
  bool has_body = chunked || (length != nullptr && std::strcmp(length, "0") != 0);
  bool write = method == "POST" || method == "DELETE";
  if (method != "GET" && method != "HEAD" && !(write && options.allow_writes)) {
    HttpResponse r = Plain(405, "method not allowed");
    r.headers.emplace_back("Allow", options.allow_writes ? "GET, HEAD, POST, DELETE" : "GET, HEAD");
    return r;
  }
  if (has_body && (!write || chunked || std::strtoull(length, nullptr, 10) > options.max_body)) {
    return Plain(413, "request body not accepted");
  }
  return std::nullopt;
}

void ReadHeaders(MHD_Connection* connection, HttpRequest* request) {
  MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, CollectQuery, &request->query);
  for (const char* h : {"Authorization", "Content-Type", "Origin", "Host", "X-CSRF-Token"}) {
    const char* v = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, h);
    std::string name = h;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v != nullptr) request->headers[name] = v;
  }
}

MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char* url, const char* method,
                     const char*, const char* upload_data, size_t* upload_data_size,
                     void** con_cls) {
  const auto* server = static_cast<const HttpServer*>(cls);
  if (*con_cls == nullptr) {
    *con_cls = new Upload();
    if (auto refused = Refuse(connection, method, server->options())) {
      return Queue(connection, *refused);
    }
    return MHD_YES;
  }
  auto* upload = static_cast<Upload*>(*con_cls);
  if (*upload_data_size != 0) {
    size_t max = server->options().max_body;
    size_t room = max - std::min(max, upload->body.size());
    upload->body.append(upload_data, std::min(room, *upload_data_size));
    *upload_data_size = 0;
    return MHD_YES;
  }
  HttpRequest request;
  request.method = method;
  request.path = url;
  request.body = std::move(upload->body);
  ReadHeaders(connection, &request);
  HttpResponse response;
  try {
    response = server->Handle(request);
  } catch (const std::exception&) {
    response = Plain(500, "internal error");
  }
  return Queue(connection, response);
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler handler) {
  std::unique_ptr<HttpServer> server(new HttpServer(options, std::move(handler)));
  sockaddr_storage addr = {};
  bool v6 = options.host.find(':') != std::string::npos;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(options.port));
    if (inet_pton(AF_INET6, options.host.c_str(), &a->sin6_addr) != 1)
      return Status::InvalidArgument("http: not an IPv6 address: " + options.host);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(options.port));
    if (inet_pton(AF_INET, options.host.c_str(), &a->sin_addr) != 1)
      return Status::InvalidArgument("http: not an IPv4 address: " + options.host);
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | (v6 ? MHD_USE_IPv6 : 0);
  server->daemon_ = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &OnRequest, server.get(), MHD_OPTION_SOCK_ADDR, &addr,
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(options.max_connections),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(options.timeout_seconds),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, options.request_limit, MHD_OPTION_THREAD_POOL_SIZE,
      static_cast<unsigned>(options.threads), MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
      MHD_OPTION_NOTIFY_COMPLETED, &OnCompleted, nullptr, MHD_OPTION_END);
  if (server->daemon_ == nullptr) {
    return Status::IOError("http: cannot listen on " + options.host + ":" +
                           std::to_string(options.port) + ": " + std::strerror(errno));
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info != nullptr ? info->port : options.port;
  return server;
}

HttpServer::~HttpServer() {
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
}

}  // namespace shihyo
