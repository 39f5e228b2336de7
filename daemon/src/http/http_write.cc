// Changes over HTTP, only with http.write: silences added and expired, dead
// messages queued again. Authorized by the token read at each request
// (Authorization: Bearer, or Basic with the token as password); requests
// with Basic auth (which a browser sends by itself) must also carry the CSRF
// token, and a cross-origin Origin is refused.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <random>
#include <variant>

#include "config/config.h"
#include "http/html_page.h"
#include "state/state_store.h"

namespace shihyo {

namespace {

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Hmac(const std::string& key, const std::string& text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", mac[i]);
    hex += buf;
  }
  return hex;
}

std::string Base64Decode(const std::string& in) {
  std::string out(in.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return "";
  out.resize(static_cast<size_t>(n));
  size_t pad = 0;
  for (size_t i = in.size(); i > 0 && in[i - 1] == '=' && pad < 2; --i) ++pad;
  out.resize(out.size() - std::min(pad, out.size()));
  return out;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> form;
  for (size_t start = 0; start <= body.size();) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string pair = body.substr(start, end - start);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      form.emplace(FormDecode(pair.substr(0, eq)),
                   eq == std::string::npos ? "" : FormDecode(pair.substr(eq + 1)));
    }
    start = end + 1;
  }
  return form;
}

std::string Header(const HttpRequest& r, const char* name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

HttpResponse Denied(int status, const std::string& why) {
  HttpResponse r = TextResponse(status, why);
  if (status == 401)
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"shihyo\", charset=\"UTF-8\"");
  return r;
}

// The user an authorized |r| acts as, or the response refusing it.
std::variant<std::string, HttpResponse> Authorize(const HttpRequest& r, const DaemonStatus& s,
                                                  const std::map<std::string, std::string>& form) {
  std::string origin = Header(r, "origin");
  if (!origin.empty() && origin != "http://" + Header(r, "host") &&
      origin != "https://" + Header(r, "host")) {
    return Denied(403, "cross-origin request refused");
  }
  Result<std::string> token = ReadSecret(s.token);
  if (!token.ok() || token->empty()) return Denied(503, "the write token cannot be read");
  std::string auth = Header(r, "authorization");
  if (auth.rfind("Bearer ", 0) == 0 && SameSecret(auth.substr(7), *token))
    return std::string("api");
  if (auth.rfind("Basic ", 0) == 0) {
    std::string pair = Base64Decode(auth.substr(6));
    size_t colon = pair.find(':');
    if (colon != std::string::npos && SameSecret(pair.substr(colon + 1), *token)) {
      auto field = form.find("csrf");
      std::string csrf = field != form.end() ? field->second : Header(r, "x-csrf-token");
      if (!SameSecret(csrf, Hmac(*token, "shihyo csrf")))
        return Denied(403, "CSRF token missing or wrong");
      return pair.substr(0, colon).empty() ? std::string("http") : pair.substr(0, colon);
    }
  }
  return Denied(401, "authorization required");
}

std::string NewSilenceId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// POST /api/v1/silences: {"matchers": [{label, value, regex}], "ends_at" or
// "duration", "comment", "created_by"}.
HttpResponse AddSilence(const HttpRequest& r, const DaemonStatus& status, const std::string& user) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return JsonResponse(400, {{"error", "expected a JSON object"}});
  Silence s;
  s.id = NewSilenceId();
  s.starts_at = std::chrono::system_clock::now();
  try {
    for (const auto& m : j.at("matchers")) {
      s.matchers.push_back({m.at("label").get<std::string>(), m.at("value").get<std::string>(),
                            m.value("regex", false), nullptr, m.value("negate", false)});
    }
    if (j.contains("ends_at")) {
      Result<TimePoint> end = ParseTime(j.at("ends_at").get<std::string>());
      if (!end.ok()) return JsonResponse(400, {{"error", end.status().message()}});
      s.ends_at = *end;
    } else {
      std::optional<Seconds> d = ParseDuration(j.at("duration").get<std::string>());
      if (!d) return JsonResponse(400, {{"error", "duration: expected 2h, 7d …"}});
      s.ends_at = s.starts_at + *d;
    }
    s.comment = j.at("comment").get<std::string>();
    s.created_by = j.value("created_by", user);
  } catch (const nlohmann::json::exception& e) {
    return JsonResponse(400, {{"error", std::string("bad silence: ") + e.what()}});
  }
  if (s.matchers.empty()) return JsonResponse(400, {{"error", "a silence needs matchers"}});
  if (s.ends_at <= s.starts_at) return JsonResponse(400, {{"error", "ends before it starts"}});
  if (Status c = CompileSilence(&s); !c.ok()) return JsonResponse(400, {{"error", c.message()}});
  auto state = OpenState(status);
  if (!state.ok()) return Unavailable(state.status());
  if (Status added = (*state)->silences().AddSilence(s); !added.ok()) return Unavailable(added);
  return JsonResponse(201, {{"id", s.id}});
}

// Silence |id| ended now; 404 when there is none.
Status ExpireSilence(const std::string& id, const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return state.status();
  return (*state)->silences().ExpireSilence(id, std::chrono::system_clock::now());
}

Result<int> RetryDead(const DaemonStatus& status) {
  auto state = OpenState(status);
  if (!state.ok()) return state.status();
  return (*state)->outbox().Requeue({}, std::chrono::system_clock::now());
}

HttpResponse SeeOther(const std::string& where) {
  HttpResponse r = TextResponse(303, "see " + where);
  r.headers.emplace_back("Location", where);
  return r;
}

HttpResponse RouteWrite(const HttpRequest& r, const DaemonStatus& status, const std::string& user) {
  const std::string& p = r.path;
  const std::string kSilence = "/api/v1/silences/", kForm = "/silences/";
  bool form = p.rfind(kForm, 0) == 0 && p.size() > kForm.size() + 7 &&
              p.compare(p.size() - 7, 7, "/expire") == 0;
  if (r.method == "POST" && p == "/api/v1/silences") return AddSilence(r, status, user);
  if ((r.method == "DELETE" && p.rfind(kSilence, 0) == 0) || (r.method == "POST" && form)) {
    std::string id =
        form ? p.substr(kForm.size(), p.size() - kForm.size() - 7) : p.substr(kSilence.size());
    Status s = ExpireSilence(id, status);
    if (s.IsNotFound()) return JsonResponse(404, {{"error", "no silence " + id}});
    if (!s.ok()) return Unavailable(s);
    return form ? SeeOther("/silences") : JsonResponse(200, {{"expired", id}});
  }
  if (r.method == "POST" && (p == "/api/v1/outbox/retry" || p == "/outbox/retry")) {
    Result<int> n = RetryDead(status);
    if (!n.ok()) return Unavailable(n.status());
    return p == "/outbox/retry" ? SeeOther("/outbox") : JsonResponse(200, {{"requeued", *n}});
  }
  return JsonResponse(404, {{"error", "not found"}});
}

}  // namespace

std::string CsrfToken(const DaemonStatus& status) {
  if (!status.write) return "";
  Result<std::string> token = ReadSecret(status.token);
  return token.ok() && !token->empty() ? Hmac(*token, "shihyo csrf") : "";
}

HttpResponse ServeWrite(const HttpRequest& request, const DaemonStatus& status) {
  if (!status.write) return Denied(405, "writes are off (http.write)");
  std::map<std::string, std::string> form;
  if (Header(request, "content-type").rfind("application/x-www-form-urlencoded", 0) == 0) {
    form = ParseForm(request.body);
  }
  auto who = Authorize(request, status, form);
  if (auto* refused = std::get_if<HttpResponse>(&who)) return *refused;
  return RouteWrite(request, status, std::get<std::string>(who));
}

}  // namespace shihyo
