#include "test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace checkin::testing {

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() failed");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::vector<std::string> CapturedLog::Lines(spdlog::level::level_enum level) const {
  std::vector<std::string> out;
  for (const auto& msg : sink->last_raw()) {
    if (msg.level >= level) out.emplace_back(msg.payload.data(), msg.payload.size());
  }
  return out;
}

std::string CapturedLog::Joined(spdlog::level::level_enum level) const {
  std::string out;
  for (const auto& l : Lines(level)) out += l + "\n";
  return out;
}

CapturedLog CaptureLog(const std::string& name) {
  CapturedLog c;
  c.sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(4096);
  c.logger = std::make_shared<spdlog::logger>(name, c.sink);
  c.logger->set_level(spdlog::level::trace);
  return c;
}

std::string TestKeyPrefix() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string p = "t:";
  if (info) p += std::string(info->test_suite_name()) + "." + info->name();
  return p + ":";
}

}  // namespace checkin::testing
