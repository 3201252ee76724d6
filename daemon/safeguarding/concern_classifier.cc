// Concern detection (see concern_classifier.h).
//
// Create compiles every phrase once, per language, and indexes it by the
// word keys a match can start with. Check then:
//  1. reads the text as word keys by clause (message_words.h);
//  2. marks the words covered by idioms of the languages checked ("dying
//     for a cuppa"); an idiom lies within one clause;
//  3. tries, at each word, the concern phrases that can start with it; a
//     phrase's words may not be marked ones (a gap may step over them),
//     unless the phrase starts with `!`;
//  4. reports the most urgent category found (ConcernCategory's order),
//     the earliest phrase of it;
//  5. when no phrase matched, asks the word model (word_model.h), which
//     reads the same words, without those idioms cover.
#include "safeguarding/concern_classifier.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <unordered_map>

#include "safeguarding/concern_pattern.h"
#include "safeguarding/message_words.h"
#include "safeguarding/phrase_file.h"
#include "safeguarding/word_model.h"

namespace checkin {

namespace {

using safeguarding::MessageWords;
using safeguarding::Pattern;
using safeguarding::PatternNode;
using safeguarding::PhraseFileLanguage;

struct CategoryName {
  const char* name;
  ConcernCategory category;
};
constexpr CategoryName kCategories[] = {
    {"suicide", ConcernCategory::kSuicide},     {"harm_to_baby", ConcernCategory::kHarmToBaby},
    {"self_harm", ConcernCategory::kSelfHarm},  {"abuse", ConcernCategory::kAbuse},
    {"psychosis", ConcernCategory::kPsychosis}, {"distress", ConcernCategory::kDistress},
};
constexpr const char* kIdiomGroup = "idioms";

struct CompiledPhrase {
  Pattern pattern;
  ConcernCategory category;
  std::string source;
  bool added;
  int concept = -1;  // in the concepts list: the concept's index in Tables::concept_names
};

// The phrases of one role (concerns or idioms) in one language, indexed by
// the word keys a match can start with.
class PhraseList {
 public:
  void Add(CompiledPhrase phrase) {
    const auto index = static_cast<uint32_t>(phrases_.size());
    for (const std::string& key : phrase.pattern.first_keys()) by_first_key_[key].push_back(index);
    if (phrase.pattern.starts_anywhere()) anywhere_.push_back(index);
    phrases_.push_back(std::move(phrase));
  }

  // Calls f(phrase) for each phrase that may match from a word `key`.
  template <typename F>
  void ForEachStartingWith(const std::string& key, F&& f) const {
    auto it = by_first_key_.find(key);
    if (it != by_first_key_.end()) {
      for (uint32_t i : it->second) f(phrases_[i]);
    }
    for (uint32_t i : anywhere_) f(phrases_[i]);
  }

 private:
  std::vector<CompiledPhrase> phrases_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_first_key_;
  std::vector<uint32_t> anywhere_;
};

struct LanguageTable {
  std::set<std::string> stop_words;
  std::map<std::string, PatternNode> word_sets;
  PhraseList concerns;
  PhraseList idioms;
  PhraseList concepts;  // the word model's concepts (concern_concepts.yaml)
};

std::string AsciiLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool IsLanguageCode(const std::string& code) {
  return !code.empty() && std::all_of(code.begin(), code.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

// The lists read for `code`: its own, its base language's, English.
std::vector<std::string> LanguageChain(const std::string& code) {
  std::vector<std::string> chain;
  for (const std::string& l : {code, code.substr(0, code.find_first_of("-_")), std::string("en")}) {
    if (!l.empty() && std::find(chain.begin(), chain.end(), l) == chain.end()) chain.push_back(l);
  }
  return chain;
}

// The category a group key names by its first word ("suicide roman"), or
// nullopt for an idiom group; *known is false for any other word.
std::optional<ConcernCategory> GroupCategory(const std::string& group, bool* known) {
  const std::string first = group.substr(0, group.find(' '));
  *known = true;
  for (const CategoryName& c : kCategories) {
    if (first == c.name) return c.category;
  }
  *known = first == kIdiomGroup;
  return std::nullopt;
}

std::string CategoryList() {
  std::string list;
  for (const CategoryName& c : kCategories) list += std::string(c.name) + ", ";
  return list + kIdiomGroup;
}

// Builds the tables: the phrase file first (stop words and word sets of
// every language, then the groups), then the extra phrases.
class TableBuilder {
 public:
  Status AddFile(const std::vector<PhraseFileLanguage>& languages, const std::string& file_name) {
    for (const PhraseFileLanguage& lang : languages) CHECKIN_RETURN_IF_ERROR(AddStopWordsAndSets(lang, file_name));
    for (const PhraseFileLanguage& lang : languages) CHECKIN_RETURN_IF_ERROR(AddGroups(lang, file_name));
    return Status::OK();
  }

  Status AddExtra(const ConcernClassifier::ExtraPhrases& extra) {
    for (const auto& [code, phrases] : extra) {
      const std::string path = "safeguarding.phrases." + code;
      if (!IsLanguageCode(code)) {
        return Status::InvalidArgument("safeguarding.phrases: \"" + code + "\" is no language code");
      }
      for (const std::string& text : phrases) {
        CHECKIN_RETURN_IF_ERROR(AddPhrase(AsciiLower(code), text, ConcernCategory::kAdded, /*added=*/true)
                                    .WithContext(path));
      }
    }
    return Status::OK();
  }

  // The concepts file (concern_concepts.yaml): per language, concept name
  // -> patterns, compiled with that language's word sets; stop words are
  // allowed ("not" is a concept).
  Status AddConcepts(const std::vector<PhraseFileLanguage>& languages, const std::string& file_name) {
    for (const PhraseFileLanguage& lang : languages) {
      if (!lang.stop_words.empty() || !lang.word_sets.empty()) {
        return Status::InvalidArgument(Where(file_name, lang.line) + lang.code +
                                       ": a concepts file holds concepts only (stop words and word sets are "
                                       "the phrase file's)");
      }
      const std::string code = AsciiLower(lang.code);
      for (const auto& group : lang.groups) {
        auto known = std::find(concept_names_.begin(), concept_names_.end(), group.name);
        const int index = static_cast<int>(known - concept_names_.begin());
        if (known == concept_names_.end()) concept_names_.push_back(group.name);
        for (const auto& entry : group.entries) {
          Result<Pattern> pattern = Pattern::Compile(entry.text, SetsFor(code), {});
          if (!pattern.ok()) {
            return pattern.status().WithContext(Where(file_name, entry.line) + lang.code + "." + group.name + ": \"" +
                                                entry.text + "\"");
          }
          tables_[code].concepts.Add(
              CompiledPhrase{std::move(*pattern), ConcernCategory::kWords, entry.text, false, index});
        }
      }
    }
    return Status::OK();
  }

  std::map<std::string, LanguageTable> Take() { return std::move(tables_); }
  std::vector<std::string> TakeConceptNames() { return std::move(concept_names_); }

 private:
  static std::string Where(const std::string& file_name, int line) {
    return file_name + ":" + std::to_string(line) + ": ";
  }

  Status AddStopWordsAndSets(const PhraseFileLanguage& lang, const std::string& file_name) {
    LanguageTable& table = tables_[AsciiLower(lang.code)];
    for (const auto& word : lang.stop_words) {
      Result<std::string> key = safeguarding::StopWordKey(word.text);
      if (!key.ok()) return key.status().WithContext(Where(file_name, word.line) + lang.code + ".stop_words");
      table.stop_words.insert(*key);
    }
    for (const auto& set : lang.word_sets) {
      std::vector<std::string> entries;
      for (const auto& e : set.entries) entries.push_back(e.text);
      Result<PatternNode> node = safeguarding::CompileWordSet(entries);
      if (!node.ok()) {
        return node.status().WithContext(Where(file_name, set.line) + lang.code + ".word_sets." + set.name);
      }
      table.word_sets[set.name] = std::move(*node);
    }
    return Status::OK();
  }

  Status AddGroups(const PhraseFileLanguage& lang, const std::string& file_name) {
    for (const auto& group : lang.groups) {
      bool known = false;
      const std::optional<ConcernCategory> category = GroupCategory(group.name, &known);
      if (!known) {
        return Status::InvalidArgument(Where(file_name, group.line) + lang.code + "." + group.name +
                                       ": a group is named for its category (" + CategoryList() + ")");
      }
      for (const auto& entry : group.entries) {
        CHECKIN_RETURN_IF_ERROR(AddPhrase(AsciiLower(lang.code), entry.text, category, /*added=*/false)
                                    .WithContext(Where(file_name, entry.line) + lang.code + "." + group.name));
      }
    }
    return Status::OK();
  }

  // A concern phrase (category given) or an idiom (nullopt) of `code`.
  Status AddPhrase(const std::string& code, const std::string& text, std::optional<ConcernCategory> category,
                   bool added) {
    const std::vector<std::string> chain = LanguageChain(code);
    std::set<std::string> stops;
    for (const std::string& l : chain) {
      auto it = tables_.find(l);
      if (it != tables_.end()) stops.insert(it->second.stop_words.begin(), it->second.stop_words.end());
    }
    Result<Pattern> pattern = Pattern::Compile(text, SetsFor(code), stops);
    if (!pattern.ok()) return pattern.status().WithContext("\"" + text + "\"");
    LanguageTable& table = tables_[code];
    PhraseList& list = category ? table.concerns : table.idioms;
    list.Add(CompiledPhrase{std::move(*pattern), category.value_or(ConcernCategory::kAdded), text, added});
    return Status::OK();
  }

  // The word sets a phrase of `code` may use: its own, its base
  // language's, English's.
  safeguarding::WordSetLookup SetsFor(const std::string& code) const {
    return [this, chain = LanguageChain(code)](const std::string& name) -> const PatternNode* {
      for (const std::string& l : chain) {
        auto t = tables_.find(l);
        if (t == tables_.end()) continue;
        auto s = t->second.word_sets.find(name);
        if (s != t->second.word_sets.end()) return &s->second;
      }
      return nullptr;
    };
  }

  std::map<std::string, LanguageTable> tables_;
  std::vector<std::string> concept_names_;
};

using TableRef = std::pair<const std::string*, const LanguageTable*>;  // code, table

// One past the last word of each word's clause.
std::vector<size_t> ClauseEnds(const MessageWords& words) {
  std::vector<size_t> ends(words.size());
  for (size_t i = words.size(); i-- > 0;) {
    ends[i] = (i + 1 == words.size() || words.clause[i + 1] != words.clause[i]) ? i + 1 : ends[i + 1];
  }
  return ends;
}

// Step 2: the words idioms cover.
std::vector<bool> MaskIdioms(const MessageWords& words, const std::vector<TableRef>& tables) {
  std::vector<bool> masked(words.size(), false);
  const std::vector<size_t> clause_end = ClauseEnds(words);
  for (size_t p = 0; p < words.size(); ++p) {
    for (const TableRef& t : tables) {
      t.second->idioms.ForEachStartingWith(words.keys[p], [&](const CompiledPhrase& idiom) {
        size_t end = 0;
        if (idiom.pattern.MatchAt(words, p, clause_end[p], nullptr, &end)) {
          std::fill(masked.begin() + p, masked.begin() + end, true);
        }
      });
    }
  }
  return masked;
}

// The names of the concepts (concern_concepts.yaml) some pattern of which
// matches `words` outside the `masked` ones.
std::vector<std::string> ConceptsIn(const MessageWords& words, const std::vector<bool>& masked,
                                    const std::vector<TableRef>& tables, const std::vector<std::string>& names) {
  std::vector<bool> found(names.size(), false);
  for (size_t p = 0; p < words.size(); ++p) {
    for (const TableRef& t : tables) {
      t.second->concepts.ForEachStartingWith(words.keys[p], [&](const CompiledPhrase& c) {
        size_t end = 0;
        if (!found[c.concept] && c.pattern.MatchAt(words, p, words.size(), &masked, &end)) found[c.concept] = true;
      });
    }
  }
  std::vector<std::string> present;
  for (size_t i = 0; i < names.size(); ++i) {
    if (found[i]) present.push_back(names[i]);
  }
  return present;
}

}  // namespace

const char* ConcernCategoryName(ConcernCategory category) {
  if (category == ConcernCategory::kAdded) return "added";
  if (category == ConcernCategory::kWords) return "words";
  for (const CategoryName& c : kCategories) {
    if (c.category == category) return c.name;
  }
  return "added";
}

struct ConcernClassifier::Tables {
  std::map<std::string, LanguageTable> by_language;
  std::vector<std::string> concept_names;
  std::optional<safeguarding::WordModel> model;

  // The tables read for a member of `language` (all of them when "").
  std::vector<TableRef> For(const std::string& language) const {
    std::vector<TableRef> refs;
    if (language.empty()) {
      for (const auto& [code, table] : by_language) refs.emplace_back(&code, &table);
      return refs;
    }
    for (const std::string& l : LanguageChain(AsciiLower(language))) {
      auto it = by_language.find(l);
      if (it != by_language.end()) refs.emplace_back(&it->first, &it->second);
    }
    return refs;
  }
};

Result<ConcernClassifier> ConcernClassifier::Create(const ExtraPhrases& extra_phrases) {
  return Build(safeguarding::ShippedConcernPhrases(), safeguarding::kShippedConcernPhrasesName, extra_phrases,
               /*with_model=*/true);
}

Result<ConcernClassifier> ConcernClassifier::CreateFromPhraseFile(std::string_view phrase_file,
                                                                  const std::string& file_name,
                                                                  const ExtraPhrases& extra_phrases) {
  return Build(phrase_file, file_name, extra_phrases, /*with_model=*/false);
}

Result<ConcernClassifier> ConcernClassifier::Build(std::string_view phrase_file, const std::string& file_name,
                                                   const ExtraPhrases& extra_phrases, bool with_model) {
  Result<std::vector<PhraseFileLanguage>> languages = safeguarding::ParsePhraseFile(phrase_file, file_name);
  if (!languages.ok()) return languages.status();
  TableBuilder builder;
  CHECKIN_RETURN_IF_ERROR(builder.AddFile(*languages, file_name));
  CHECKIN_RETURN_IF_ERROR(builder.AddExtra(extra_phrases));
  auto tables = std::make_shared<Tables>();
  if (with_model) {
    Result<std::vector<PhraseFileLanguage>> concepts = safeguarding::ParsePhraseFile(
        safeguarding::ShippedConcernConcepts(), safeguarding::kShippedConcernConceptsName);
    if (!concepts.ok()) return concepts.status();
    CHECKIN_RETURN_IF_ERROR(builder.AddConcepts(*concepts, safeguarding::kShippedConcernConceptsName));
    auto model = safeguarding::WordModel::Parse(safeguarding::ShippedConcernModel(),
                                                safeguarding::kShippedConcernModelName);
    if (!model.ok()) return model.status();
    tables->model = std::move(*model);
  }
  tables->by_language = builder.Take();
  tables->concept_names = builder.TakeConceptNames();
  return ConcernClassifier(std::move(tables));
}

ConcernClassifier::Reading ConcernClassifier::Read(std::string_view body, const std::string& language) const {
  return Scan(body, language, Features::kAlways);
}

ConcernClassifier::Reading ConcernClassifier::Scan(std::string_view body, const std::string& language,
                                                   Features features) const {
  Reading reading;
  const MessageWords words = safeguarding::MessageWordsOf(body);
  if (words.size() == 0) return reading;
  const std::vector<TableRef> tables = tables_->For(language);
  const std::vector<bool> masked = MaskIdioms(words, tables);
  const CompiledPhrase* best = nullptr;
  const std::string* best_language = nullptr;
  auto rank = [](const CompiledPhrase& p) { return static_cast<int>(p.category); };
  for (size_t p = 0; p < words.size(); ++p) {
    for (const TableRef& t : tables) {
      t.second->concerns.ForEachStartingWith(words.keys[p], [&](const CompiledPhrase& phrase) {
        size_t end = 0;
        if (best != nullptr && rank(phrase) >= rank(*best)) return;
        const std::vector<bool>* hidden = phrase.pattern.ignores_idioms() ? nullptr : &masked;
        if (!phrase.pattern.MatchAt(words, p, words.size(), hidden, &end)) return;
        best = &phrase;
        best_language = t.first;
      });
    }
    if (best != nullptr && rank(*best) == 0) break;  // nothing is more urgent
  }
  if (best != nullptr) reading.phrase = ConcernMatch{best->category, *best_language, best->source, best->added};
  if (features == Features::kAlways || (features == Features::kWithoutPhrase && !reading.phrase)) {
    reading.features =
        safeguarding::WordModelFeatures(words, masked, ConceptsIn(words, masked, tables, tables_->concept_names));
  }
  return reading;
}

std::optional<ConcernMatch> ConcernClassifier::Check(std::string_view body, const std::string& language) const {
  // The concepts are read only when the model will be asked.
  Reading reading = Scan(body, language, tables_->model ? Features::kWithoutPhrase : Features::kNever);
  if (reading.phrase || !tables_->model) return reading.phrase;
  const double score = tables_->model->Score(reading.features);
  if (score < tables_->model->threshold()) return std::nullopt;
  ConcernMatch match;
  match.category = ConcernCategory::kWords;
  match.score = score;
  return match;
}

std::vector<std::string> ConcernClassifier::Languages() const {
  std::vector<std::string> codes;
  for (const auto& entry : tables_->by_language) codes.push_back(entry.first);
  return codes;
}

}  // namespace checkin
