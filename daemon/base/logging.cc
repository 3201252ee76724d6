#include "base/logging.h"

#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

namespace checkin {
namespace {

// The syslog priority journald reads from a "<N>" line prefix.
int SyslogPriority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return 7;
    case spdlog::level::info: return 6;
    case spdlog::level::warn: return 4;
    case spdlog::level::err: return 3;
    case spdlog::level::critical: return 2;
    default: return 6;
  }
}

class PriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string prefix = "<" + std::to_string(SyslogPriority(msg.level)) + ">";
    dest.append(prefix.data(), prefix.data() + prefix.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<PriorityFlag>(); }
};

// The loggers ChildLogger made, by the sink they write to, so that
// SetFamilyLevel finds them: spdlog's registry only knows loggers made by
// spdlog::create, and clone() does not register. Weak, so a destroyed
// daemon's loggers go; expired ones are dropped as new ones arrive.
class Families {
 public:
  static Families& Get() {
    static Families families;
    return families;
  }

  void Add(const std::shared_ptr<spdlog::logger>& logger) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& members = by_sink_[SinkOf(*logger)];
    members.erase(std::remove_if(members.begin(), members.end(), [](const auto& w) { return w.expired(); }),
                  members.end());
    const bool known = std::any_of(members.begin(), members.end(),
                                   [&](const auto& w) { return w.lock() == logger; });
    if (!known) members.push_back(logger);
  }

  void SetLevel(const spdlog::logger& logger, spdlog::level::level_enum level) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_sink_.find(SinkOf(logger));
    if (it == by_sink_.end()) return;
    for (const auto& w : it->second) {
      if (auto l = w.lock()) l->set_level(level);
    }
  }

 private:
  static const void* SinkOf(const spdlog::logger& logger) {
    const auto& sinks = logger.sinks();
    return sinks.empty() ? nullptr : sinks.front().get();
  }

  std::mutex mu_;
  std::map<const void*, std::vector<std::weak_ptr<spdlog::logger>>> by_sink_;
};

}  // namespace

std::shared_ptr<spdlog::logger> MakeJournalLogger(const std::string& name, spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<PriorityFlag>('*').set_pattern("%*%n: %v");
  sink->set_formatter(std::move(formatter));
  auto logger = std::make_shared<spdlog::logger>(name, sink);
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::shared_ptr<spdlog::logger> ChildLogger(const std::shared_ptr<spdlog::logger>& parent, const std::string& name) {
  auto child = parent->clone(name);
  child->set_level(parent->level());
  Families::Get().Add(parent);
  Families::Get().Add(child);
  return child;
}

void SetFamilyLevel(const std::shared_ptr<spdlog::logger>& logger, spdlog::level::level_enum level) {
  logger->set_level(level);
  Families::Get().SetLevel(*logger, level);
}

std::shared_ptr<spdlog::logger> NullLogger() {
  static const auto logger =
      std::make_shared<spdlog::logger>("null", std::make_shared<spdlog::sinks::null_sink_mt>());
  return logger;
}

Result<spdlog::level::level_enum> ParseLogLevel(const std::string& name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "warn" || name == "warning") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  return Status::InvalidArgument("log level '" + name + "' is not one of trace, debug, info, warn, error");
}

}  // namespace checkin
