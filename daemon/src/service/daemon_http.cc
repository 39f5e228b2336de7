// DaemonLoop's HTTP server: its own threads serve the status the loop
// publishes on a StatusBoard, so that no request waits for an evaluation or
// a delivery, and none delays them.
#include <spdlog/spdlog.h>

#include "http/http_handler.h"
#include "http/http_server.h"
#include "http/status_board.h"
#include "service/daemon_loop.h"

namespace shihyo {

namespace {

bool SameListen(const std::optional<HttpConfig>& a, const std::optional<HttpConfig>& b) {
  if (!a || !b) return !a && !b;
  return a->host == b->host && a->port == b->port && a->write == b->write;
}

}  // namespace

void DaemonLoop::Publish(const std::function<void(DaemonStatus*)>& change) {
  if (board_) board_->Update(change);
}

Status DaemonLoop::SyncHttp() {
  if (!board_) {
    board_ = std::make_unique<StatusBoard>();
    Publish([this](DaemonStatus* s) {
      s->started_at = clock_.Now();
      s->rules = static_cast<int>(rules_.rules.size());
    });
  }
  Publish([this](DaemonStatus* s) {
    s->store = config_.store;
    s->state = config_.state;
    s->external_url = config_.external_url;
    s->write = config_.http && config_.http->write;
    s->token = config_.http ? config_.http->token : SecretSource{};
  });
  if (http_ && SameListen(http_config_, config_.http)) return Status::Ok();
  if (http_) spdlog::info("http stopped listen={}", http_config_->listen());
  http_.reset();
  http_config_ = config_.http;
  if (!config_.http) return Status::Ok();
  HttpServerOptions options;
  options.host = config_.http->host;
  options.port = config_.http->port;
  options.allow_writes = config_.http->write;
  auto server = HttpServer::Start(options, MakeShihyoHandler(board_.get()));
  if (!server.ok()) {
    http_config_.reset();
    return server.status();
  }
  http_ = std::move(server).value();
  spdlog::info("http listening listen={}", config_.http->listen());
  return Status::Ok();
}

}  // namespace shihyo
