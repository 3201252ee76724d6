// TwilioClient: Twilio's Messages API over libcurl (see twilio_client.h).
//
// One easy handle per client: curl_easy_reset() between requests clears the
// options but keeps the connection cache, so requests reuse the connection.
// CURLOPT_NOSIGNAL is set because clients live on worker threads.
#include "twilio/twilio_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <set>
#include <utility>

#include "base/logging.h"
#include "base/phone.h"
#include "twilio/errors.h"
#include "twilio/message_json.h"

namespace checkin {
namespace {

constexpr int kMaxListPages = 20;
constexpr int kListPageSize = 100;
// Our clock and Twilio's date_created may disagree by this much.
constexpr std::chrono::minutes kClockSkewAllowance{10};
constexpr const char* kWhatsappPrefix = "whatsapp:";

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool IsHexSid(const std::string& s, const char* prefix) {
  if (s.size() != 34 || s.compare(0, 2, prefix) != 0) return false;
  for (size_t i = 2; i < s.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

Status ValidateOptions(TwilioOptions& o) {
  if (!IsHexSid(o.account_sid, "AC")) {
    return Status::InvalidArgument("twilio account_sid must be 'AC' followed by 32 hex digits");
  }
  if (o.auth_token.empty()) return Status::InvalidArgument("twilio auth token is empty");
  if (o.from.empty() && o.messaging_service_sid.empty()) {
    return Status::InvalidArgument("twilio needs 'from' or 'messaging_service_sid'");
  }
  if (!o.messaging_service_sid.empty() && !IsHexSid(o.messaging_service_sid, "MG")) {
    return Status::InvalidArgument("twilio messaging_service_sid must be 'MG' followed by 32 hex digits");
  }
  while (!o.api_base.empty() && o.api_base.back() == '/') o.api_base.pop_back();
  if (o.api_base.rfind("http://", 0) != 0 && o.api_base.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("twilio api_base must start with http:// or https://");
  }
  if (o.connect_timeout.count() <= 0 || o.request_timeout.count() <= 0) {
    return Status::InvalidArgument("twilio timeouts must be positive");
  }
  return Status::OK();
}

// "whatsapp:+44..." for the WhatsApp channel; unchanged otherwise.
std::string Address(const std::string& number, Channel channel) {
  if (channel != Channel::kWhatsapp || number.rfind(kWhatsappPrefix, 0) == 0) return number;
  return kWhatsappPrefix + number;
}

std::optional<std::chrono::seconds> ParseRetryAfter(const std::string& value) {
  size_t i = 0;
  while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
  if (i == value.size() || !std::isdigit(static_cast<unsigned char>(value[i]))) return std::nullopt;
  long secs = std::strtol(value.c_str() + i, nullptr, 10);
  if (secs < 0 || secs > 24 * 3600) return std::nullopt;
  return std::chrono::seconds(secs);
}

struct HttpAnswer {
  CURLcode curl_code = CURLE_OK;
  std::string curl_error;
  long http_status = 0;  // 0: no complete answer
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
  bool never_sent = false;  // see NeverLeft
};

// Whether a failed perform cannot have sent any of the request: no
// connection was made (refused, or the name or proxy did not resolve).
// Every other failure may have happened after the request went out (a
// timeout or a reset once connected), so it stays in doubt. A dead reused
// connection is no exception: libcurl reconnects only after rewinding the
// body, which OnSeek refuses (CURLE_SEND_FAIL_REWIND, in doubt).
bool NeverLeft(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// The POST body is handed to curl through a read callback that cannot be
// rewound. libcurl silently resends a request whose reused connection died
// before any answer byte; for a send that could text a member twice (Twilio
// may have taken the first copy). Refusing the rewind turns that resend into
// CURLE_SEND_FAIL_REWIND: an in-doubt failure the dispatcher settles with
// ListSentTo.
struct BodyReader {
  const std::string* data;
  size_t pos = 0;
};

size_t OnRead(char* buffer, size_t size, size_t n, void* user) {
  auto* r = static_cast<BodyReader*>(user);
  const size_t len = std::min(size * n, r->data->size() - r->pos);
  std::memcpy(buffer, r->data->data() + r->pos, len);
  r->pos += len;
  return len;
}

int OnSeek(void*, curl_off_t, int) { return CURL_SEEKFUNC_CANTSEEK; }

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  static const std::string kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string head = line.substr(0, kName.size());
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == kName) {
      static_cast<HttpAnswer*>(user)->retry_after = ParseRetryAfter(line.substr(kName.size()));
    }
  }
  return size * n;
}

}  // namespace

struct TwilioClient::Impl {
  TwilioOptions opt;
  CURL* curl = nullptr;

  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  std::string MessagesUrl() const {
    return opt.api_base + "/2010-04-01/Accounts/" + opt.account_sid + "/Messages.json";
  }

  std::string Escape(const std::string& s) {
    char* e = curl_easy_escape(curl, s.c_str(), static_cast<int>(s.size()));
    std::string out = e != nullptr ? e : "";
    curl_free(e);
    return out;
  }

  void AddField(std::string& form, const char* name, const std::string& value) {
    if (!form.empty()) form += '&';
    form += name;
    form += '=';
    form += Escape(value);
  }

  std::string SendForm(const OutgoingMessage& msg) {
    std::string form;
    AddField(form, "To", Address(msg.to, msg.channel));
    if (!opt.messaging_service_sid.empty()) AddField(form, "MessagingServiceSid", opt.messaging_service_sid);
    if (!opt.from.empty()) AddField(form, "From", Address(opt.from, msg.channel));
    AddField(form, "Body", msg.body);
    if (!msg.status_callback.empty()) AddField(form, "StatusCallback", msg.status_callback);
    return form;
  }

  // One HTTP exchange; `form` non-null makes it a POST.
  HttpAnswer Perform(const std::string& url, const std::string* form) {
    HttpAnswer a;
    curl_easy_reset(curl);
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opt.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(opt.request_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, opt.account_sid.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, opt.auth_token.c_str());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "checkind/0.1");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &a);
    BodyReader reader{form, 0};
    curl_slist* headers = nullptr;
    if (form != nullptr) {
      headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
      headers = curl_slist_append(headers, "Expect:");
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, OnRead);
      curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
      curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, OnSeek);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form->size()));
    }
    a.curl_code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (a.curl_code == CURLE_SEND_FAIL_REWIND) {
      a.curl_error = "connection closed before an answer (the message may have been taken)";
      return a;
    }
    if (a.curl_code != CURLE_OK) {
      a.curl_error = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(a.curl_code);
      a.http_status = 0;  // a half-read answer is no answer
      a.never_sent = NeverLeft(a.curl_code);
      return a;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.http_status);
    return a;
  }

  SendResult Failure(const HttpAnswer& a) {
    SendResult r;
    r.http_status = static_cast<int>(a.http_status);
    r.retry_after = a.retry_after;
    if (a.http_status == 0) {
      r.never_sent = a.never_sent;
      r.error_message = (a.never_sent ? "not sent, Twilio not reached: " : "no answer from Twilio: ") + a.curl_error;
    } else {
      r.error_code = ParseErrorCode(a.body);
      // Twilio's own message may quote the number, so it is not passed on.
      std::string meaning = TwilioErrorMeaning(r.error_code);
      r.error_message = "HTTP " + std::to_string(a.http_status) + ": " +
                        (meaning.empty() ? "Twilio error " + std::to_string(r.error_code) : meaning);
    }
    r.kind = ClassifyTwilioError(r.http_status, r.error_code);
    return r;
  }

  SendResult Accepted(const HttpAnswer& a) {
    const std::optional<SentMessage> m = ParseMessage(a.body);
    if (!m) {
      SendResult r = Failure(a);
      r.kind = SendResult::Kind::kRetryable;  // in doubt: settle with ListSentTo
      r.error_message = "HTTP " + std::to_string(a.http_status) + ": unreadable acceptance";
      return r;
    }
    SendResult r;
    r.kind = SendResult::Kind::kAccepted;
    r.http_status = static_cast<int>(a.http_status);
    r.sid = m->sid;
    r.status = m->status;
    r.segments = m->segments;
    return r;
  }

  Result<MessagePage> ReadPage(const std::string& url);
};

TwilioClient::TwilioClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TwilioClient::~TwilioClient() = default;

Result<std::unique_ptr<TwilioClient>> TwilioClient::Create(TwilioOptions options) {
  CHECKIN_RETURN_IF_ERROR(ValidateOptions(options));
  if (!options.logger) options.logger = NullLogger();
  GlobalInitOnce();
  auto impl = std::make_unique<Impl>();
  impl->opt = std::move(options);
  impl->curl = curl_easy_init();
  if (impl->curl == nullptr) return Status::Internal("curl_easy_init failed");
  return std::unique_ptr<TwilioClient>(new TwilioClient(std::move(impl)));
}

SendResult TwilioClient::Send(const OutgoingMessage& msg) {
  auto& log = *impl_->opt.logger;
  const std::string masked = MaskPhone(Address(msg.to, msg.channel));
  log.debug("POST Messages.json to={} body_bytes={} callback={}", masked, msg.body.size(),
            msg.status_callback.empty() ? "none" : "set");
  const std::string form = impl_->SendForm(msg);
  HttpAnswer a = impl_->Perform(impl_->MessagesUrl(), &form);
  SendResult r = (a.http_status >= 200 && a.http_status < 300) ? impl_->Accepted(a) : impl_->Failure(a);
  if (r.accepted()) {
    log.debug("accepted {} to={} status={} segments={}", r.sid, masked, r.status, r.segments);
  } else if (r.kind == SendResult::Kind::kAccountError) {
    // Said once a minute, for every daemon, by the pause it causes (dispatch/account_pause.h).
    log.info("send to={} refused for the account: {}", masked, r.error_message);
  } else {
    log.warn("send to={} {}: {}", masked,
             r.kind == SendResult::Kind::kRetryable ? "retryable" : "permanent", r.error_message);
  }
  return r;
}

Result<MessagePage> TwilioClient::Impl::ReadPage(const std::string& url) {
  HttpAnswer a = Perform(url, nullptr);
  if (a.http_status == 0) return Status::Unavailable("twilio list: " + a.curl_error);
  if (a.http_status != 200) {
    SendResult f = Failure(a);
    if (f.kind == SendResult::Kind::kRetryable) return Status::Unavailable("twilio list: " + f.error_message);
    return Status::Permanent("twilio list: " + f.error_message);
  }
  return ParseMessagePage(a.body);
}

// No DateSent filter: it leaves out what Twilio has not sent yet (queued,
// accepted), which is exactly what an in-doubt attempt may have left there
// (message_json.h). So the member's list is read newest first and kept back
// to `since` by date_created, until ListingPassed says the rest is older.
Result<std::vector<SentMessage>> TwilioClient::ListSentTo(const std::string& to, Channel channel, Instant since) {
  auto& log = *impl_->opt.logger;
  const Instant cutoff = since - kClockSkewAllowance;
  std::string url = impl_->MessagesUrl() + "?To=" + impl_->Escape(Address(to, channel)) +
                    "&PageSize=" + std::to_string(kListPageSize);
  log.debug("GET Messages.json to={} created since {}", MaskPhone(to), cutoff.time_since_epoch().count());
  std::vector<SentMessage> all;
  std::set<std::string> seen_urls;
  for (int page = 0; page < kMaxListPages; ++page) {
    seen_urls.insert(url);
    auto read = impl_->ReadPage(url);
    if (!read.ok()) return read.status();
    for (auto& m : read->messages) {
      if (CreatedSince(m, cutoff)) all.push_back(std::move(m));
    }
    if (!read->messages.empty() && ListingPassed(read->messages.back(), cutoff)) break;
    const std::string& next = read->next_page_uri;
    if (next.empty()) break;
    if (next.front() != '/') {
      // Twilio's page URIs are relative; never send credentials elsewhere.
      log.warn("twilio list: ignoring a next_page_uri that is not relative");
      break;
    }
    url = impl_->opt.api_base + next;
    if (seen_urls.count(url) != 0) {
      log.warn("twilio list: next_page_uri repeats a page; stopping");
      break;
    }
    if (page + 1 == kMaxListPages) log.warn("twilio list: stopped after {} pages", kMaxListPages);
  }
  // A page boundary moving under us can repeat a message: keep the first.
  std::set<std::string> sids;
  std::vector<SentMessage> unique;
  for (auto& m : all) {
    if (m.sid.empty() || sids.insert(m.sid).second) unique.push_back(std::move(m));
  }
  log.debug("list to={} found {}", MaskPhone(to), unique.size());
  return unique;
}

}  // namespace checkin
