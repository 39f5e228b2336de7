#include "notify/email/smtp_notifier.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <utility>

#include "base/curl_handle.h"
#include "base/text.h"

namespace shihyo {

namespace {

// 39 bytes: 52 base64 characters, a 64-character encoded word, so that even
// "Subject: " and the first word fit in a 78-character line.
constexpr size_t kMaxWordBytes = 39;

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

// Control characters (CR, LF, TAB, …) become spaces: one header, one line.
std::string OneLine(const std::string& s) {
  std::string out;
  size_t pos = 0;
  char32_t cp;
  while (pos < s.size()) {
    size_t start = pos;
    if (!DecodeUtf8(s, &pos, &cp)) continue;  // invalid bytes are dropped
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029) {
      out += ' ';
    } else {
      out.append(s, start, pos - start);
    }
  }
  return out;
}

std::string RfcDate(TimePoint t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto local = std::chrono::floor<std::chrono::seconds>(t + std::chrono::hours(9));
  auto days = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day ymd{days};
  std::chrono::weekday wd{days};
  std::chrono::hh_mm_ss hms{local - days};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0900", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

std::string EncodeAddress(const std::string& address) {
  std::string a = OneLine(address);
  size_t lt = a.find('<');
  if (lt == std::string::npos || lt == 0) return a;
  std::string name = a.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return EncodeHeaderText(name) + " " + a.substr(lt);
}

namespace {

std::string AddressList(const std::vector<std::string>& addresses) {
  std::string out;
  for (const std::string& a : addresses) out += (out.empty() ? "" : ", ") + EncodeAddress(a);
  return out;
}

}  // namespace

std::string EncodeHeaderText(const std::string& utf8, const std::string& separator) {
  std::string line = OneLine(utf8);
  bool ascii = true;
  for (unsigned char c : line) ascii = ascii && c < 0x80;
  if (ascii) return line;
  std::string out;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t end = pos;
    size_t next = pos;
    char32_t cp;
    while (next < line.size()) {
      size_t probe = next;
      DecodeUtf8(line, &probe, &cp);
      if (probe - pos > kMaxWordBytes) break;
      next = probe;
    }
    end = next;
    out += (out.empty() ? "" : separator) + std::string("=?UTF-8?B?") +
           Base64(line.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string BareAddress(const std::string& address) {
  size_t lt = address.find('<');
  size_t gt = address.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    return address.substr(lt + 1, gt - lt - 1);
  }
  return address;
}

std::vector<std::string> EmailHeaders(const Message& m, const SmtpConfig& smtp, TimePoint date) {
  std::vector<std::string> h;
  h.push_back("Date: " + RfcDate(date));
  h.push_back("From: " + EncodeAddress(smtp.from));
  if (!m.to.empty()) h.push_back("To: " + AddressList(m.to));
  if (!m.cc.empty()) h.push_back("Cc: " + AddressList(m.cc));
  h.push_back("Subject: " + EncodeHeaderText(m.subject, "\r\n "));  // folded between words
  h.push_back("Message-ID: <" + OneLine(m.id) + ">");
  h.push_back("Auto-Submitted: auto-generated");
  h.push_back("X-Mailer: shihyo");
  h.push_back("X-Shihyo-Receiver: " + EncodeHeaderText(m.receiver));
  return h;
}

std::string RenderEmailPreview(const Message& m, const SmtpConfig& smtp, TimePoint date) {
  std::string out;
  for (const std::string& line : EmailHeaders(m, smtp, date)) out += line + "\n";
  if (!m.bcc.empty()) out += "(Bcc, not a header: " + AddressList(m.bcc) + ")\n";
  out += "(Subject decoded: " + OneLine(m.subject) + ")\n";
  out += "\n--- part 1: text/plain; charset=UTF-8 (base64) ---\n" + m.text;
  out += "\n--- part 2: text/html; charset=UTF-8 (base64) ---\n" + m.html;
  return out;
}

namespace {

long UseSsl(const SmtpConfig& smtp) {
  bool implicit_tls = smtp.url.rfind("smtps://", 0) == 0;
  if (implicit_tls || smtp.starttls == SmtpConfig::StartTls::kRequired) return CURLUSESSL_ALL;
  return smtp.starttls == SmtpConfig::StartTls::kOpportunistic ? CURLUSESSL_TRY : CURLUSESSL_NONE;
}

// multipart/mixed holding an inline multipart/alternative of text and HTML;
// |part_headers| must outlive the transfer, the caller frees the result.
curl_mime* TextAndHtml(CURL* c, const Message& m, CurlList* part_headers) {
  curl_mime* mime = curl_mime_init(c);
  if (m.html.empty()) {  // a shortened message: the text part alone
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_data(part, m.text.data(), m.text.size());
    curl_mime_type(part, "text/plain; charset=UTF-8");
    curl_mime_encoder(part, "base64");
    return mime;
  }
  curl_mime* alt = curl_mime_init(c);
  curl_mimepart* part = curl_mime_addpart(alt);
  curl_mime_data(part, m.text.data(), m.text.size());
  curl_mime_type(part, "text/plain; charset=UTF-8");
  curl_mime_encoder(part, "base64");
  part = curl_mime_addpart(alt);
  curl_mime_data(part, m.html.data(), m.html.size());
  curl_mime_type(part, "text/html; charset=UTF-8");
  curl_mime_encoder(part, "base64");
  part = curl_mime_addpart(mime);
  curl_mime_subparts(part, alt);  // |mime| owns |alt| from here
  curl_mime_type(part, "multipart/alternative");
  part_headers->Append("Content-Disposition: inline");
  curl_mime_headers(part, part_headers->get(), 0);
  return mime;
}

// Pairs each "RCPT TO:<addr>" sent with the server's answer (libcurl sends
// one command at a time): a 4xx/5xx answer is a refused recipient.
struct RcptAnswers {
  std::string pending;               // the address of the RCPT in flight
  std::vector<std::string> refused;  // "addr (550 5.1.1 …)"
};

std::string TrimEol(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

int OnSmtpDebug(CURL*, curl_infotype type, char* data, size_t size, void* p) {
  auto* answers = static_cast<RcptAnswers*>(p);
  std::string line = TrimEol(std::string_view(data, size));
  if (type == CURLINFO_HEADER_OUT) {
    bool rcpt = line.rfind("RCPT TO:", 0) == 0;
    answers->pending = rcpt ? BareAddress(line.substr(8)) : "";
  } else if (type == CURLINFO_HEADER_IN && !answers->pending.empty() && line.size() >= 3) {
    if (line.size() > 3 && line[3] == '-') return 0;  // a multi-line answer goes on
    if (line[0] == '4' || line[0] == '5') {
      answers->refused.push_back(OneLine(answers->pending) + " (" + OneLine(line.substr(0, 200)) +
                                 ")");
    }
    answers->pending.clear();
  }
  return 0;
}

// SMTP 5xx is permanent; 4xx and no answer at all are worth another try.
Status SmtpResult(const Status& s, long code) {
  if (s.ok()) return s;
  if (code >= 500 && code < 600) {
    return Status::InvalidArgument(s.message() + " (SMTP " + std::to_string(code) + ", permanent)");
  }
  return code ? Status::Unavailable(s.message() + " (SMTP " + std::to_string(code) + ")") : s;
}

// The server refused the message for its size: 552 (RFC 5321: exceeded
// storage allocation), the answer of a size limit to MAIL FROM SIZE= or DATA.
bool RefusedForSize(long code) { return code == 552; }

}  // namespace

Message Shortened(const Message& m) {
  Message out = m;
  out.html.clear();
  std::string_view text = m.text;
  // The footer (after the last "\n--\n": where to see everything) is kept.
  size_t footer_at = text.rfind("\n--\n");
  std::string_view footer =
      footer_at == std::string_view::npos ? std::string_view() : text.substr(footer_at);
  std::string_view body = text.substr(0, text.size() - footer.size());
  size_t omitted = 0;
  if (body.size() > kShortenedTextBytes) {
    size_t cut = body.rfind('\n', kShortenedTextBytes);
    cut = cut == std::string_view::npos ? kShortenedTextBytes : cut + 1;
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
    for (char ch : body.substr(cut)) omitted += ch == '\n' ? 1 : 0;
    body = body.substr(0, cut);
    omitted = std::max<size_t>(omitted, 1);
  }
  out.text =
      "※ このお知らせは大きすぎてメールサーバーに受け取られなかったため、"
      "短くして送り直しています（HTML版" +
      std::string(omitted ? "と後半の " + std::to_string(omitted) + " 行" : "") +
      "を省略）。すべてのアラートは `shihyo alerts` または下の詳細ページで確認できます。\n\n" +
      std::string(body) + (omitted ? "\n…（以下省略）…\n" : "") + std::string(footer);
  return out;
}

Status SmtpNotifier::Send(const Message& m) {
  notes_.clear();
  long code = 0;
  Status s = Transfer(m, &code);
  if (s.ok() || !RefusedForSize(code)) return s;
  // Once more, shortened, rather than dead: staff learn there is news.
  Message shorter = Shortened(m);
  Status again = Transfer(shorter, &code);
  if (!again.ok()) return again;
  notes_.push_back("shortened: the full message (" + std::to_string(m.text.size() + m.html.size()) +
                   " bytes of text) was refused for its size (" + s.message() +
                   "); sent the text part, " + std::to_string(shorter.text.size()) + " bytes");
  return again;
}

Status SmtpNotifier::Transfer(const Message& m, long* code_out) {
  refused_.clear();
  CurlHandle curl(smtp_.timeout, smtp_.tls_verify);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, smtp_.url.c_str());
  curl_easy_setopt(c, CURLOPT_USE_SSL, UseSsl(smtp_));
  std::string password;
  if (!smtp_.user.empty()) {
    Result<std::string> secret = ReadSecret(smtp_.password);
    if (!secret.ok()) return Status::Unavailable("SMTP password: " + secret.status().message());
    password = *secret;
    curl_easy_setopt(c, CURLOPT_USERNAME, smtp_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password.c_str());
  }
  std::string from = "<" + BareAddress(smtp_.from) + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  CurlList rcpt;
  for (const auto* list : {&m.to, &m.cc, &m.bcc}) {
    for (const std::string& a : *list) rcpt.Append("<" + BareAddress(a) + ">");
  }
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  // All refused is still an error. 7.88 spells it ALLLOWFAILS (renamed in 8.2).
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
  RcptAnswers answers;
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, OnSmtpDebug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &answers);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // for the debug function only
  CurlList headers;
  for (const std::string& line : EmailHeaders(m, smtp_, clock_.Now())) headers.Append(line);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  CurlList part_headers;
  curl_mime* mime = TextAndHtml(c, m, &part_headers);
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
  Status s = curl.Perform("SMTP " + smtp_.url);
  long code = curl.ResponseCode();
  curl_mime_free(mime);
  refused_ = s.ok() ? std::move(answers.refused) : std::vector<std::string>{};
  *code_out = code;
  return SmtpResult(s, code);
}

}  // namespace shihyo
