// Email delivery over SMTP with libcurl: the headers are built here (pure,
// also used by preview), the multipart/alternative body with libcurl's MIME
// API. Nothing from an indicator or rule can add or change a header: header
// values are stripped of control characters and non-ASCII text is RFC 2047
// encoded.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "notify/message.h"
#include "notify/notifier.h"

namespace shihyo {

// "=?UTF-8?B?…?=" words (each at most 75 characters, split between UTF-8
// characters) joined by |separator|; plain ASCII without controls is
// returned as is.
std::string EncodeHeaderText(const std::string& utf8, const std::string& separator = " ");

// An address for a header: "Name <addr>" with a non-ASCII name encoded.
std::string EncodeAddress(const std::string& address);

// The header lines of |m| as sent, in order: Date, From, To, Cc, Subject,
// Message-ID, Auto-Submitted, X-Mailer, X-Shihyo-Receiver. A long Subject
// is folded ("\r\n " between encoded words, RFC 5322); no other CR or LF
// occurs.
std::vector<std::string> EmailHeaders(const Message& m, const SmtpConfig& smtp, TimePoint date);

// The bare address of "Name <addr>" or "addr".
std::string BareAddress(const std::string& address);

// What preview shows for an email: the headers, then each part with its type
// and its text (as decoded by the recipient's mail program).
std::string RenderEmailPreview(const Message& m, const SmtpConfig& smtp, TimePoint date);

// What is sent when the server refuses |m| for its size (SMTP 552): the
// text part alone, cut at a line to kShortenedTextBytes, with the footer
// (where to see every alert) and a note at the top saying it was shortened.
inline constexpr size_t kShortenedTextBytes = 16 * 1024;
Message Shortened(const Message& m);

class SmtpNotifier : public Notifier {
 public:
  // |smtp| and |clock| (the Date header) must outlive the notifier.
  SmtpNotifier(const SmtpConfig& smtp, const Clock& clock) : smtp_(smtp), clock_(clock) {}
  // Delivers to every recipient the server accepts
  // (CURLOPT_MAIL_RCPT_ALLOWFAILS); fails only when all are refused. A
  // message refused for its size (552) is sent once more Shortened().
  Status Send(const Message& message) override;
  std::vector<std::string> TakeRefused() override { return std::move(refused_); }
  std::vector<std::string> TakeNotes() override { return std::move(notes_); }

 private:
  // One SMTP transaction; |*code| is the server's last reply code (0: none).
  Status Transfer(const Message& message, long* code);
  const SmtpConfig& smtp_;
  const Clock& clock_;
  std::vector<std::string> refused_;  // by the last Send
  std::vector<std::string> notes_;    // by the last Send
};

}  // namespace shihyo
