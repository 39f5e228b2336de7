#include "service/admin_notice.h"

#include "notify/receiver_registry.h"
#include "service/cycle.h"

namespace shihyo {

std::optional<Message> BuildAdminMessage(const Config& config, const Receiver& admin,
                                         const std::string& subject,
                                         const std::vector<std::string>& lines, TimePoint now) {
  const ReceiverKind* kind = FindReceiverKind(admin.kind);
  if (!kind) return std::nullopt;
  std::string joined;
  for (const std::string& l : lines) joined += l + "\n";
  AdminNotice notice;
  notice.id = "admin-" + NewMessageId(MessageIdDomain(config));
  notice.subject = subject;
  notice.text = subject + "\n\n" + joined + "\n直したら `shihyo check --config " + config.path +
                "` で確かめてください。"
                "保存すると自動で読み込み直します。\n";
  notice.lines = lines;
  notice.external_url = config.external_url;
  notice.created_at = now;
  return kind->AdminMessage(admin, notice);
}

}  // namespace shihyo
