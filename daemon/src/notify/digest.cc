#include "notify/digest.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"
#include "notify/digest_model.h"
#include "notify/resolved_reason.h"

namespace shihyo {

std::string SeverityBadge(Severity s) { return "【" + std::string(SeverityLabel(s)) + "】"; }

const char* KindLabel(EntryKind k) {
  switch (k) {
    case EntryKind::kNew:
      return "新規";
    case EntryKind::kOngoing:
      return "継続";
    case EntryKind::kResolved:
      return "解消";
    case EntryKind::kRemoved:
      return "表から削除";
  }
  return "";
}

std::string MessageBody(const AlertFinding& f) {
  std::string message = f.message;
  std::string prefix = f.indicator + "：";
  if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
  return EscapeControls(message);
}

std::string CountsLine(const DigestModel& m) {
  std::string out = "新規 " + std::to_string(m.fresh) + "件・継続 " + std::to_string(m.ongoing) +
                    "件・解消 " + std::to_string(m.resolved) + "件";
  if (m.removed > 0) out += "・表から削除 " + std::to_string(m.removed) + "件";
  return out;
}

std::string SeverityLine(const DigestModel& m) {
  std::string out;
  for (Severity s : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
    auto it = m.by_severity.find(s);
    size_t count = it == m.by_severity.end() ? 0 : it->second;
    out += (out.empty() ? "" : "・") + std::string(SeverityLabel(s)) + " " + std::to_string(count) +
           "件";
  }
  return out;
}

std::string PlansOf(const GroupNotification& n) {
  std::set<std::string> plans;
  for (const auto* list : {&n.fresh, &n.ongoing, &n.resolved}) {
    for (const AlertRecord* a : *list) plans.insert(a->finding.plan);
  }
  std::string out;
  for (const std::string& p : plans) out += (out.empty() ? "" : "、") + p;
  return EscapeControls(out);
}

std::string AdminLine(const GroupNotification& n) {
  std::map<std::string, size_t> rules;
  for (const auto* list : {&n.fresh, &n.ongoing, &n.resolved}) {
    for (const AlertRecord* a : *list) ++rules[a->finding.rule];
  }
  std::string list;
  for (const auto& [rule, count] : rules) {
    list += (list.empty() ? "" : "・") + EscapeControls(rule) + " " + std::to_string(count) + "件";
  }
  std::string out = "ルール " + list;
  if (n.receiver) out += "／通知先 " + EscapeControls(n.receiver->name);
  return out;
}

std::string WhenLine(const DigestEntry& e) {
  const AlertRecord& a = *e.alert;
  switch (e.kind) {
    case EntryKind::kNew:
      return "新規・" + FormatJapaneseDate(a.starts_at) + "検出";
    case EntryKind::kOngoing:
      return "継続・" + FormatJapaneseDate(a.starts_at) + "から";
    case EntryKind::kResolved:
      return a.ends_at ? FormatJapaneseDate(*a.ends_at) + "に解消" : "解消";
    case EntryKind::kRemoved:
      return "表から削除されたため解消";
  }
  return "";
}

std::string BaseUrl(const DigestContext& ctx) {
  std::string url = ctx.external_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string AlertLink(const DigestContext& ctx, const AlertRecord& a) {
  std::string base = BaseUrl(ctx);
  if (base.empty() || a.fingerprint.empty()) return "";
  return base + "/alerts/" + a.fingerprint;
}

std::string IndicatorLink(const DigestContext& ctx, const AlertFinding& f) {
  std::string base = BaseUrl(ctx);
  if (base.empty() || !ctx.snapshot) return "";
  for (const Plan& p : *ctx.snapshot) {
    if (p.name == f.plan && p.id > 0) {
      return base + "/plans/" + std::to_string(p.id) + "#i" + std::to_string(f.ordinal);
    }
  }
  return "";
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : EscapeControls(s)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlPre(const std::string& text) {
  std::string out = "<pre>";
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += HtmlEscape(text.substr(start, nl - start));
    if (nl < text.size()) out += '\n';
    start = nl + 1;
  }
  return out + "</pre>";
}

const Indicator* CurrentIndicator(const std::vector<Plan>* snapshot, const AlertRecord& alert) {
  if (!snapshot) return nullptr;
  const AlertFinding& f = alert.finding;
  for (const Plan& p : *snapshot) {
    if (p.name != f.plan) continue;
    for (const Indicator& ind : p.indicators) {
      if (ind.name == f.indicator && ind.project == f.project && ind.measure == f.measure) {
        return &ind;
      }
    }
  }
  return nullptr;
}

std::string DigestSubject(const GroupNotification& n, const DigestContext& ctx) {
  std::vector<std::string> parts;
  if (!n.fresh.empty()) parts.push_back("新規アラート " + std::to_string(n.fresh.size()) + "件");
  if (n.reminder) parts.push_back("未解消のアラート " + std::to_string(n.ongoing.size()) + "件");
  size_t removed = std::count_if(n.resolved.begin(), n.resolved.end(), [&](const AlertRecord* a) {
    return ResolvedReasonOf(*a, ctx) == "indicator_removed";
  });
  if (n.resolved.size() > removed) {
    parts.push_back("解消 " + std::to_string(n.resolved.size() - removed) + "件");
  }
  if (removed > 0) parts.push_back("表から削除 " + std::to_string(removed) + "件");
  std::string subject = "[shihyo] ";
  for (size_t i = 0; i < parts.size(); ++i) subject += (i ? "・" : "") + parts[i];
  std::string where = PlansOf(n);
  for (const auto& [label, value] : n.group.labels) {
    if (label != "plan" && !value.empty()) where += " " + value;
  }
  if (!where.empty()) subject += " — " + where;
  return EscapeControls(subject);  // never a line break in a header
}

}  // namespace shihyo
