// Twilio stand-in: the admin routes (/_standin/...) listed in standin.h.
// They need no auth and never fault; they answer JSON.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <chrono>

#include "standin.h"
#include "standin_internal.h"

namespace checkin::standin {
namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

// Same shape as the API's errors, code 0: not a Twilio error.
void WriteAdminError(Response& res, int http_status, const std::string& message) {
  res.status = http_status;
  res.set_content(json{{"code", 0}, {"message", message}, {"status", http_status}}.dump(), "application/json");
}

// POST /_standin/inbound {"url","from","to","body"}.
void HandleInbound(TwilioStandIn& owner, const Request& req, Response& res) {
  const json j = json::parse(req.body, nullptr, false);
  if (!j.is_object()) return WriteAdminError(res, 400, "inbound: body is not a JSON object");
  std::string fields[4];
  const char* names[4] = {"url", "from", "to", "body"};
  for (int i = 0; i < 4; ++i) {
    auto it = j.find(names[i]);
    if (it == j.end() || !it->is_string()) {
      return WriteAdminError(res, 400, std::string("inbound: \"") + names[i] + "\" must be a string");
    }
    fields[i] = it->get<std::string>();
  }
  std::string twiml;
  Result<int> status = owner.PostInbound(fields[0], fields[1], fields[2], fields[3], &twiml);
  if (!status.ok()) {
    res.status = status.status().IsInvalidArgument() ? 400 : 502;
    return res.set_content(json{{"error", status.status().ToString()}}.dump(), "application/json");
  }
  res.set_content(json{{"status", *status}, {"twiml", twiml}}.dump(), "application/json");
}

}  // namespace

void AddAdminRoutes(httplib::Server& http, TwilioStandIn& owner) {
  http.Post("/_standin/faults", [&owner](const Request& req, Response& res) {
    Status s = owner.ApplyFaultsJson(req.body);
    if (!s.ok()) return WriteAdminError(res, 400, s.message());
    res.set_content(R"({"ok":true})", "application/json");
  });
  http.Get("/_standin/messages", [&owner](const Request&, Response& res) {
    json all = json::array();
    for (const auto& m : owner.Messages()) {
      json j = json::parse(MessageJson(m));
      j["status_callback"] = m.status_callback;
      // When it was accepted, to the microsecond (date_created, as Twilio
      // writes it, has whole seconds): for latency benchmarks.
      j["received_at_us"] =
          std::chrono::duration_cast<std::chrono::microseconds>(m.created.time_since_epoch()).count();
      all.push_back(std::move(j));
    }
    res.set_content(json{{"messages", all}}.dump(), "application/json");
  });
  http.Delete("/_standin/messages", [&owner](const Request&, Response& res) {
    owner.ClearMessages();
    res.status = 204;
  });
  http.Get("/_standin/requests", [&owner](const Request&, Response& res) {
    RequestCounts c = owner.Requests();
    json j = {{"total", c.total},       {"sends", c.sends},
              {"lists", c.lists},       {"fetches", c.fetches},
              {"faulted", c.faulted},   {"refused", c.refused},
              {"accepted", c.accepted}, {"callbacks_sent", c.callbacks_sent},
              {"callbacks_failed", c.callbacks_failed}, {"callbacks_dropped", c.callbacks_dropped}};
    res.set_content(j.dump(), "application/json");
  });
  http.Post("/_standin/inbound",
            [&owner](const Request& req, Response& res) { HandleInbound(owner, req, res); });
}

}  // namespace checkin::standin
