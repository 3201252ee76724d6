// Time zones and local wall time (see zone.h).
#include "time/zone.h"

#include <date/date.h>
#include <fmt/format.h>

#include <exception>

namespace checkin {

using std::chrono::minutes;

const date::time_zone* FindTimeZone(const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool IsKnownTimeZone(const std::string& name) { return FindTimeZone(name) != nullptr; }

LocalSeconds ToLocal(const date::time_zone* zone, Instant t) {
  if (zone == nullptr) return LocalSeconds{t.time_since_epoch()};
  return zone->to_local(t);
}

date::local_days LocalDay(const date::time_zone* zone, Instant t) { return date::floor<date::days>(ToLocal(zone, t)); }

int LocalMinuteOfDay(const date::time_zone* zone, Instant t) {
  const LocalSeconds local = ToLocal(zone, t);
  return static_cast<int>(date::floor<minutes>(local - LocalDay(zone, t)).count());
}

LocalCandidates ResolveLocal(const date::time_zone* zone, LocalSeconds local) {
  const Instant naive{local.time_since_epoch()};
  if (zone == nullptr) return {naive, naive};  // treated as UTC
  const date::local_info info = zone->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
      return {naive - info.first.offset, naive - info.first.offset};
    case date::local_info::nonexistent: {
      // Read with the offset in force before the gap: 01:30 in a one-hour
      // gap becomes 02:30 on the new clock, i.e. forward by the gap.
      const Instant shifted = naive - info.first.offset;
      return {shifted, shifted};
    }
    case date::local_info::ambiguous:
      // first is the period before the change (the larger offset in autumn).
      return {naive - info.first.offset, naive - info.second.offset};
  }
  return {naive, naive};
}

Instant LocalToInstant(const date::time_zone* zone, int year, unsigned month, unsigned day, int minute_of_day) {
  const date::local_days d{date::year(year) / date::month(month) / date::day(day)};
  return ResolveLocal(zone, LocalSeconds{d} + minutes(minute_of_day)).earlier;
}

std::string ShortLocalTime(Instant t, const date::time_zone* zone) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const LocalSeconds local = ToLocal(zone, t);
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::seconds> hms(local - day);
  return fmt::format("{} {} {} {:02}:{:02}", kDays[date::weekday(day).c_encoding()], unsigned(ymd.day()),
                     kMonths[unsigned(ymd.month()) - 1], hms.hours().count(), hms.minutes().count());
}

std::string LocalRfc3339(Instant t, const date::time_zone* zone) {
  if (zone == nullptr) return date::format("%FT%T+00:00", t);
  return date::format("%FT%T%Ez", date::make_zoned(zone, t));
}

}  // namespace checkin
