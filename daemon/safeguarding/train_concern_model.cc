// concern-train: learns the word model (word_model.h) from labelled concern
// cases (concern_cases.h) and writes it in the concern_model.tsv format.
//
//   concern-train --out FILE [--folds 5] [--flagged 0.03] [--concern-weight 2]
//                 [--l2 0.0001] [--epochs 40] [--features cwsb] CASES.tsv...
//
// --features: the kinds of feature used (word_model.h: c concepts, w words,
// s stems, b neighbours); all by default. For comparing what each adds.
//
// Logistic regression over the features the classifier reads, trained by
// AdaGrad in a fixed order (the same files give the same model). The
// threshold is chosen by cross-validation: each case is scored by a model
// trained without its fold, and the threshold is the lowest at which the
// phrases and the model together flag at most --flagged of the ordinary
// cases. It then prints, per language, what cross-validation measured, and
// what each file scores with a model trained on the other files alone (the
// closest thing to a new author's texts), and trains on everything.
//
// Written here rather than with a library: Debian 12 packages no C++
// machine-learning library that fits, and the model is a few lines of
// arithmetic that must read exactly the features the classifier reads.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/sha256.h"
#include "safeguarding/concern_cases.h"
#include "safeguarding/concern_classifier.h"
#include "safeguarding/phrase_file.h"
#include "safeguarding/word_model.h"

namespace checkin {
namespace {

struct Options {
  std::string out;
  std::string kinds;  // the kinds of feature to use ("cw": concepts and words); "" all
  std::vector<std::string> files;
  int folds = 5, epochs = 40;
  double flagged = 0.03, concern_weight = 2.0, l2 = 1e-4;
};

struct Example {
  std::vector<std::string> features;
  bool concern = false, phrase = false;
  size_t file = 0;
  std::string language;
};

struct Model {
  double bias = 0;
  std::unordered_map<std::string, double> weights;

  double Score(const Example& e) const {
    double z = bias;
    for (const std::string& f : e.features) {
      auto it = weights.find(f);
      if (it != weights.end()) z += it->second;
    }
    return z;
  }
};

Model Train(const std::vector<const Example*>& train, const Options& o) {
  std::unordered_map<std::string, int> seen;  // cases a feature is in
  for (const Example* e : train) {
    for (const std::string& f : e->features) ++seen[f];
  }
  std::unordered_map<std::string, int> id;
  std::vector<std::string> names;
  for (const Example* e : train) {
    for (const std::string& f : e->features) {
      if (seen[f] >= 2 && id.emplace(f, static_cast<int>(names.size())).second) names.push_back(f);
    }
  }
  std::vector<std::vector<int>> rows;
  for (const Example* e : train) {
    std::vector<int> row;
    for (const std::string& f : e->features) {
      auto it = id.find(f);
      if (it != id.end()) row.push_back(it->second);
    }
    rows.push_back(std::move(row));
  }
  std::vector<double> w(names.size(), 0.0), g2(names.size(), 1e-8);
  double bias = 0, bias_g2 = 1e-8;
  constexpr double kRate = 0.5;
  std::vector<size_t> order(train.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(20261202);
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t i : order) {
      double z = bias;
      for (int j : rows[i]) z += w[j];
      const double p = 1.0 / (1.0 + std::exp(-z));
      const double y = train[i]->concern ? 1.0 : 0.0;
      const double g = (p - y) * (train[i]->concern ? o.concern_weight : 1.0);
      bias_g2 += g * g;
      bias -= kRate * g / std::sqrt(bias_g2);
      for (int j : rows[i]) {
        const double gj = g + o.l2 * w[j];
        g2[j] += gj * gj;
        w[j] -= kRate * gj / std::sqrt(g2[j]);
      }
    }
  }
  Model m;
  m.bias = bias;
  for (size_t j = 0; j < names.size(); ++j) {
    if (std::fabs(w[j]) >= 0.005) m.weights[names[j]] = w[j];
  }
  return m;
}

// The lowest threshold at which phrases and model together flag at most
// `share` of the ordinary cases, given each case's score.
double ChooseThreshold(const std::vector<Example>& all, const std::vector<double>& score, double share,
                       const std::vector<bool>& include) {
  int ordinary = 0, by_phrase = 0;
  std::vector<double> others;  // scores of ordinary cases no phrase flagged
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].concern || !include[i]) continue;
    ++ordinary;
    if (all[i].phrase) {
      ++by_phrase;
    } else {
      others.push_back(score[i]);
    }
  }
  std::sort(others.rbegin(), others.rend());
  const long allowed = static_cast<long>(std::floor(share * ordinary)) - by_phrase;
  if (others.empty()) return 0;
  if (allowed < 0) return others.front() + 1;
  if (static_cast<size_t>(allowed) >= others.size()) return others.back();
  return std::nextafter(others[allowed], INFINITY);
}

void Report(const char* what, const std::vector<Example>& all, const std::vector<double>& score, double threshold,
            const std::vector<bool>& include) {
  std::map<std::string, ConcernTally> by_language;
  ConcernTally total;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!include[i]) continue;
    const bool flagged = all[i].phrase || score[i] >= threshold;
    by_language[all[i].language].Add(all[i].concern, flagged);
    total.Add(all[i].concern, flagged);
  }
  std::printf("%s\n", what);
  for (const auto& [language, t] : by_language) std::printf("  %s: %s\n", language.c_str(), t.Summary().c_str());
  std::printf("  all: %s\n", total.Summary().c_str());
}

int Run(const Options& o) {
  auto classifier = ConcernClassifier::Create({});
  if (!classifier.ok()) {
    std::cerr << "concern-train: " << classifier.status().ToString() << "\n";
    return 1;
  }
  std::vector<Example> all;
  // What the model depends on: the phrases and concepts it was trained
  // with, then the cases (ConcernModel.TrainedOnTheFilesInTheTree checks).
  std::string fingerprint = std::string(safeguarding::ShippedConcernPhrases()) +
                            std::string(safeguarding::ShippedConcernConcepts()),
              names;
  for (size_t f = 0; f < o.files.size(); ++f) {
    std::ifstream in(o.files[f], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << "concern-train: cannot read " << o.files[f] << "\n";
      return 1;
    }
    fingerprint += text.str();
    names += " " + o.files[f].substr(o.files[f].find_last_of('/') + 1);
    auto cases = ReadConcernCases(text, o.files[f]);
    if (!cases.ok()) {
      std::cerr << "concern-train: " << cases.status().ToString() << "\n";
      return 1;
    }
    for (const ConcernCase& c : *cases) {
      ConcernClassifier::Reading r = classifier->Read(c.text, c.language);
      if (!o.kinds.empty()) {
        r.features.erase(std::remove_if(r.features.begin(), r.features.end(),
                                        [&](const std::string& x) { return o.kinds.find(x[0]) == std::string::npos; }),
                         r.features.end());
      }
      all.push_back(Example{std::move(r.features), c.concern, r.phrase.has_value(), f, c.language});
    }
  }

  // Cross-validation: folds of a fixed shuffle.
  std::vector<size_t> fold(all.size());
  {
    std::vector<size_t> order(all.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937 rng(7);
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t i = 0; i < order.size(); ++i) fold[order[i]] = i % o.folds;
  }
  std::vector<double> cv(all.size());
  for (int k = 0; k < o.folds; ++k) {
    std::vector<const Example*> train;
    for (size_t i = 0; i < all.size(); ++i) {
      if (fold[i] != static_cast<size_t>(k)) train.push_back(&all[i]);
    }
    const Model m = Train(train, o);
    for (size_t i = 0; i < all.size(); ++i) {
      if (fold[i] == static_cast<size_t>(k)) cv[i] = m.Score(all[i]);
    }
  }
  const std::vector<bool> everything(all.size(), true);
  const double threshold = ChooseThreshold(all, cv, o.flagged, everything);
  std::vector<double> none(all.size(), -INFINITY);
  Report("phrases alone:", all, none, 0, everything);
  Report(("phrases and model, " + std::to_string(o.folds) + "-fold cross-validation:").c_str(), all, cv, threshold,
         everything);
  for (size_t f = 0; f < o.files.size() && o.files.size() > 1; ++f) {
    std::vector<const Example*> train;
    std::vector<bool> held(all.size(), false);
    for (size_t i = 0; i < all.size(); ++i) {
      held[i] = all[i].file == f;
      if (all[i].file != f) train.push_back(&all[i]);
    }
    const Model m = Train(train, o);
    std::vector<double> s(all.size());
    for (size_t i = 0; i < all.size(); ++i) s[i] = m.Score(all[i]);
    Report((o.files[f] + " with a model trained on the other files:").c_str(), all, s, threshold, held);
    Report(("  the same, at the threshold that flags " + std::to_string(o.flagged) + " of its ordinary cases:").c_str(),
           all, s, ChooseThreshold(all, s, o.flagged, held), held);
  }

  std::vector<const Example*> train;
  for (const Example& e : all) train.push_back(&e);
  const Model model = Train(train, o);
  std::ofstream out(o.out, std::ios::binary);
  out << "# The concern word model (daemon/safeguarding/word_model.h), written by\n"
         "# scripts/train-concern-model.sh from the labelled cases named below.\n"
         "# Do not edit: change the cases or the phrases, then train again.\n"
         "# feature<TAB>weight: w: a word, s: the first letters of a longer word,\n"
         "# b: two neighbouring words. A text scoring bias + its weights >= threshold\n"
         "# is a concern.\n";
  char buf[64];
  out << "trained_on\t" << Sha256Hex(fingerprint) << names << "\n";
  std::snprintf(buf, sizeof buf, "%.6f", model.bias);
  out << "bias\t" << buf << "\n";
  std::snprintf(buf, sizeof buf, "%.6f", threshold);
  out << "threshold\t" << buf << "\n";
  std::map<std::string, double> sorted(model.weights.begin(), model.weights.end());
  for (const auto& [name, weight] : sorted) {
    std::snprintf(buf, sizeof buf, "%.4f", weight);
    out << name << "\t" << buf << "\n";
  }
  if (!out) {
    std::cerr << "concern-train: cannot write " << o.out << "\n";
    return 1;
  }
  std::printf("wrote %s: %zu features, threshold %.3f\n", o.out.c_str(), sorted.size(), threshold);
  return 0;
}

}  // namespace
}  // namespace checkin

int main(int argc, char** argv) {
  checkin::Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "concern-train: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--out") {
      o.out = value();
    } else if (a == "--folds") {
      o.folds = std::max(2, std::stoi(value()));
    } else if (a == "--epochs") {
      o.epochs = std::max(1, std::stoi(value()));
    } else if (a == "--flagged") {
      o.flagged = std::stod(value());
    } else if (a == "--concern-weight") {
      o.concern_weight = std::stod(value());
    } else if (a == "--features") {
      o.kinds = value();
    } else if (a == "--l2") {
      o.l2 = std::stod(value());
    } else if (a.rfind("--", 0) == 0) {
      std::cerr << "concern-train: unknown option " << a << "\n";
      return 2;
    } else {
      o.files.push_back(a);
    }
  }
  if (o.out.empty() || o.files.empty()) {
    std::cerr << "usage: concern-train --out FILE [--folds 5] [--flagged 0.03] [--concern-weight 2] [--l2 0.0001] "
                 "[--epochs 40] [--features cwsb] CASES.tsv...\n";
    return 2;
  }
  return checkin::Run(o);
}
