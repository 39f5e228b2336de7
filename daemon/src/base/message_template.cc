#include "base/message_template.h"

#include <kainjow/mustache.hpp>

#include "base/text.h"

namespace shihyo {

namespace {

std::string Trim(std::string s) {
  std::string_view v = TrimSpace(s);
  return std::string(v);
}

std::string KnownList(const std::set<std::string>& known) {
  std::string out;
  for (const std::string& k : known) out += (out.empty() ? "" : ", ") + k;
  return out;
}

// Checks every {{tag}} of |source| against |known|; partials and delimiter
// changes are refused (a message has no partials, and changed delimiters
// would hide tags from this check).
Status CheckTags(const std::string& source, const std::set<std::string>& known, size_t* error_at) {
  size_t pos = 0;
  int depth = 0;  // open {{#…}} / {{^…}} sections
  while ((pos = source.find("{{", pos)) != std::string::npos) {
    size_t at = CharOffset(source, pos);
    if (error_at) *error_at = at;
    bool triple = source.compare(pos, 3, "{{{") == 0;
    size_t end = source.find(triple ? "}}}" : "}}", pos);
    if (end == std::string::npos) {
      return Status::InvalidArgument("unclosed tag");
    }
    std::string body = source.substr(pos + (triple ? 3 : 2), end - pos - (triple ? 3 : 2));
    pos = end + (triple ? 3 : 2);
    char kind = body.empty() ? ' ' : body[0];
    if (kind == '!') continue;
    if (kind == '>' || kind == '=') {
      return Status::InvalidArgument(std::string(kind == '>' ? "partials" : "delimiter changes") +
                                     " are not supported in messages");
    }
    std::string name =
        Trim((kind == '#' || kind == '^' || kind == '/' || kind == '&') ? body.substr(1) : body);
    if (name.empty()) {
      return Status::InvalidArgument("empty tag");
    }
    if (name != "." && !known.count(name)) {
      return Status::InvalidArgument("unknown placeholder '" + name + "'" +
                                     " (known: " + KnownList(known) + ")");
    }
    depth += kind == '#' || kind == '^' ? 1 : kind == '/' ? -1 : 0;
    if (depth > MessageTemplate::kMaxSectionDepth) {
      return Status::InvalidArgument("sections nested more than " +
                                     std::to_string(MessageTemplate::kMaxSectionDepth) + " deep");
    }
  }
  return Status::Ok();
}

}  // namespace

struct MessageTemplate::Parsed {
  explicit Parsed(const std::string& source) : tmpl(source) {
    tmpl.set_custom_escape([](const std::string& s) { return s; });
  }
  kainjow::mustache::mustache tmpl;
};

MessageTemplate::MessageTemplate(std::string source, std::unique_ptr<Parsed> parsed)
    : source_(std::move(source)), parsed_(std::move(parsed)) {}
MessageTemplate::~MessageTemplate() = default;

Result<std::shared_ptr<const MessageTemplate>> MessageTemplate::Compile(
    const std::string& source, const std::set<std::string>& known, size_t* error_at) {
  if (source.size() > kMaxSourceBytes) {
    if (error_at) *error_at = std::string::npos;
    return Status::InvalidArgument("the template is " + std::to_string(source.size()) +
                                   " bytes long (at most " + std::to_string(kMaxSourceBytes) + ")");
  }
  Status tags = CheckTags(source, known, error_at);
  if (!tags.ok()) return tags;
  auto parsed = std::make_unique<Parsed>(source);
  if (!parsed->tmpl.is_valid()) {
    if (error_at) *error_at = std::string::npos;
    return Status::InvalidArgument(parsed->tmpl.error_message());
  }
  return std::shared_ptr<const MessageTemplate>(new MessageTemplate(source, std::move(parsed)));
}

namespace {

kainjow::mustache::data ToData(const nlohmann::json& j) {
  using kainjow::mustache::data;
  if (j.is_object()) {
    data d;
    for (const auto& [k, v] : j.items()) d.set(k, ToData(v));
    return d;
  }
  if (j.is_array()) {
    if (j.empty()) return data(false);
    data list = data::type::list;
    for (const auto& v : j) list.push_back(ToData(v));
    return list;
  }
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    return s.empty() ? data(false) : data(s);
  }
  if (j.is_boolean()) return data(j.get<bool>());
  if (j.is_null()) return data(false);
  return data(j.dump());  // numbers
}

std::string JsonEscape(const std::string& s) {
  std::string quoted =
      nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

std::string MessageTemplate::RenderJson(const nlohmann::json& values, bool json_escape) const {
  kainjow::mustache::mustache tmpl{source_};
  if (json_escape) {
    tmpl.set_custom_escape(JsonEscape);
  } else {
    tmpl.set_custom_escape([](const std::string& s) { return s; });
  }
  return tmpl.render(ToData(values));
}

std::string MessageTemplate::Render(const std::map<std::string, std::string>& values) const {
  kainjow::mustache::data data;
  for (const auto& [key, value] : values) {
    if (value.empty()) {
      data.set(key, kainjow::mustache::data(false));
    } else {
      data.set(key, value);
    }
  }
  return parsed_->tmpl.render(data);
}

}  // namespace shihyo
