#include "base/curl_handle.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <utility>

#include "base/text.h"

namespace shihyo {

namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

std::function<bool()>& Interrupt() {
  static std::function<bool()> interrupted;
  return interrupted;
}

std::atomic<int> g_socket{-1};  // the socket of the transfer in flight
std::atomic<bool> g_interrupted{false};

curl_socket_t OpenSocket(void*, curlsocktype, curl_sockaddr* a) {
  int fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
  if (fd >= 0) g_socket.store(fd);
  return fd >= 0 ? fd : CURL_SOCKET_BAD;
}

int CloseSocket(void*, curl_socket_t fd) {
  int expected = fd;
  g_socket.compare_exchange_strong(expected, -1);
  return close(fd);
}

int Progress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return Interrupt() && Interrupt()() ? 1 : 0;  // non-zero aborts the transfer
}

}  // namespace

void SetTransferInterrupt(std::function<bool()> interrupted) {
  Interrupt() = std::move(interrupted);
}

void InterruptTransfer() {
  g_interrupted.store(true);
  int fd = g_socket.load();
  if (fd >= 0) shutdown(fd, SHUT_RDWR);
}

CurlHandle::CurlHandle(std::chrono::seconds timeout, bool tls_verify) {
  static GlobalInit init;  // once, before the first handle
  curl_ = curl_easy_init();
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  long ms = static_cast<long>(std::chrono::milliseconds(timeout).count());
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, ms);
  // SMTP (pingpong) replies: without it libcurl waits 120 s for the answer
  // to the end of DATA, whatever CURLOPT_TIMEOUT says.
  curl_easy_setopt(curl_, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, Progress);
  curl_easy_setopt(curl_, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(curl_, CURLOPT_CLOSESOCKETFUNCTION, CloseSocket);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, tls_verify ? 1L : 0L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, tls_verify ? 2L : 0L);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);
}

CurlHandle::~CurlHandle() { curl_easy_cleanup(curl_); }

Status CurlHandle::Perform(const std::string& what) {
  error_[0] = '\0';
  g_interrupted.store(false);
  CURLcode rc = curl_easy_perform(curl_);
  if (rc == CURLE_OK) return Status::Ok();
  if (rc == CURLE_ABORTED_BY_CALLBACK || g_interrupted.load())
    return Status::Unavailable(what + ": interrupted (stopping)");
  std::string detail = error_[0] ? error_ : curl_easy_strerror(rc);
  return Status::Unavailable(what + ": " + detail);
}

long CurlHandle::ResponseCode() const {
  long code = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

Status HttpStatus(long code, const std::string& what, const std::string& body) {
  if (code >= 200 && code < 300) return Status::Ok();
  std::string msg = what + ": HTTP " + std::to_string(code);
  // The server's words, bounded and with control characters escaped: they
  // end up in logs and in the admin's email.
  if (!body.empty())
    msg += ": " + EscapeControls(body.substr(0, 200)) + (body.size() > 200 ? "…" : "");
  if (code == 408 || code == 429 || code >= 500) return Status::Unavailable(msg);
  return Status::InvalidArgument(msg);
}

}  // namespace shihyo
