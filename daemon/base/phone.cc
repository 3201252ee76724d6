#include "base/phone.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace checkin {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// Ofcom keeps +44 7700 900000-900999 for drama and documentation; they are
// never issued, so demos and tests use them. libphonenumber calls them
// "possible" but not "valid", so they are allowed here by name.
bool IsOfcomDramaNumber(const std::string& e164) {
  return e164.size() == 13 && e164.compare(0, 10, "+447700900") == 0;
}

}  // namespace

Result<std::string> NormalizePhone(const std::string& raw, const std::string& region) {
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  auto err = util->Parse(raw, region, &number);
  if (err != PhoneNumberUtil::NO_PARSING_ERROR) {
    switch (err) {
      case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return Status::InvalidArgument("phone number has no valid country code (region " + region + ")");
      case PhoneNumberUtil::TOO_SHORT_NSN:
      case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
        return Status::InvalidArgument("phone number is too short");
      case PhoneNumberUtil::TOO_LONG_NSN:
        return Status::InvalidArgument("phone number is too long");
      default:
        return Status::InvalidArgument("phone number is not a phone number");
    }
  }
  std::string out;
  util->Format(number, PhoneNumberUtil::E164, &out);
  if (!util->IsValidNumber(number) && !IsOfcomDramaNumber(out)) {
    return Status::InvalidArgument("phone number is not a valid number for its country");
  }
  return out;
}

std::string MaskPhone(const std::string& phone) {
  static const std::string kWhatsapp = "whatsapp:";
  if (phone.rfind(kWhatsapp, 0) == 0) return kWhatsapp + MaskPhone(phone.substr(kWhatsapp.size()));
  constexpr size_t kHead = 3, kTail = 4;
  if (phone.size() < kHead + kTail + 2) return std::string(phone.size(), '*');
  return phone.substr(0, kHead) + std::string(phone.size() - kHead - kTail, '*') +
         phone.substr(phone.size() - kTail);
}

}  // namespace checkin
