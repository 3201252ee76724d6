// The word model (see word_model.h).
#include "safeguarding/word_model.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "text/utf8.h"

namespace checkin::safeguarding {

namespace {

// The stem lengths, in characters: a word longer than one of them also
// gives its first that many letters as a feature.
constexpr size_t kStemLengths[] = {4, 6};

// The first `n` characters of `word`, or "" when it has no more than that.
std::string Stem(const std::string& word, size_t n) {
  size_t i = 0, count = 0;
  while (i < word.size() && count < n) {
    NextCodePoint(word, i);
    ++count;
  }
  return count == n && i < word.size() ? word.substr(0, i) : std::string();
}

bool ParseNumber(const std::string& s, double* out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return errno == 0 && end == s.c_str() + s.size() && std::isfinite(*out);
}

}  // namespace

std::vector<std::string> WordModelFeatures(const MessageWords& words, const std::vector<bool>& masked,
                                           const std::vector<std::string>& concepts) {
  std::vector<std::string> features;
  for (size_t i = 0; i < concepts.size(); ++i) {
    features.push_back("c:" + concepts[i]);
    for (size_t j = i + 1; j < concepts.size(); ++j) {
      features.push_back("c:" + std::min(concepts[i], concepts[j]) + "+" + std::max(concepts[i], concepts[j]));
    }
  }
  auto shown = [&](size_t i) { return masked.empty() || !masked[i]; };
  for (size_t i = 0; i < words.size(); ++i) {
    if (!shown(i)) continue;
    const std::string& w = words.keys[i];
    features.push_back("w:" + w);
    for (size_t n : kStemLengths) {
      std::string stem = Stem(w, n);
      if (!stem.empty()) features.push_back("s:" + stem);
    }
    if (i + 1 < words.size() && shown(i + 1) && words.clause[i + 1] == words.clause[i]) {
      features.push_back("b:" + w + " " + words.keys[i + 1]);
    }
  }
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  return features;
}

Result<WordModel> WordModel::Parse(std::string_view text, const std::string& file_name) {
  WordModel model;
  bool has_bias = false, has_threshold = false;
  size_t start = 0;
  for (int line_no = 1; start < text.size(); ++line_no) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument(file_name + ":" + std::to_string(line_no) + ": " + why);
    };
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) return bad("expected name<TAB>value");
    const std::string name = line.substr(0, tab), value = line.substr(tab + 1);
    if (name == "trained_on") {
      model.trained_on_ = value;
      continue;
    }
    double number = 0;
    if (!ParseNumber(value, &number)) return bad("\"" + value + "\" is not a number");
    if (name == "bias") {
      model.bias_ = number;
      has_bias = true;
    } else if (name == "threshold") {
      model.threshold_ = number;
      has_threshold = true;
    } else if (name.size() > 2 && name[1] == ':' && std::string("cwsb").find(name[0]) != std::string::npos) {
      if (!model.weights_.emplace(name, number).second) return bad("feature \"" + name + "\" given twice");
    } else {
      return bad("\"" + name + "\" is neither bias, threshold, trained_on nor a c:, w:, s: or b: feature");
    }
  }
  if (!has_bias || !has_threshold) {
    return Status::InvalidArgument(file_name + ": needs a bias and a threshold line");
  }
  return model;
}

double WordModel::Score(const std::vector<std::string>& features) const {
  double score = bias_;
  for (const std::string& f : features) {
    auto it = weights_.find(f);
    if (it != weights_.end()) score += it->second;
  }
  return score;
}

}  // namespace checkin::safeguarding
