// Concern phrases compiled and matched (see concern_pattern.h; the syntax is
// documented at the top of concern_phrases.yaml).
#include "safeguarding/concern_pattern.h"

#include <algorithm>
#include <cctype>

#include "text/normalize.h"
#include "text/utf8.h"

namespace checkin::safeguarding {

namespace {

using Kind = PatternNode::Kind;

// Limits that catch a pasted paragraph, not real phrases: the words one
// match reads, and the source (alternatives included).
constexpr size_t kMaxWords = 24;
constexpr size_t kMaxSourceBytes = 1024;
constexpr int kMaxDepth = 3;
constexpr size_t kMinPrefixLetters = 3;

bool IsStandaloneEdge(char c) { return c == ' ' || c == '(' || c == ')' || c == '|'; }

// Recursive descent over the source: literal text is collected and
// normalised word by word when a syntax character ends it.
class Parser {
 public:
  Parser(std::string_view source, const WordSetLookup* sets) : src_(source), sets_(sets) {}

  Result<PatternSequence> Parse() {
    PatternSequence top;
    CHECKIN_RETURN_IF_ERROR(ParseSequence(top, 0));
    if (pos_ < src_.size()) return Status::InvalidArgument(std::string("'") + src_[pos_] + "' outside brackets");
    return top;
  }

 private:
  bool At(std::string_view token) const { return src_.substr(pos_, token.size()) == token; }
  bool StandsAlone(size_t length) const {
    const bool before = pos_ == 0 || IsStandaloneEdge(src_[pos_ - 1]);
    const bool after = pos_ + length >= src_.size() || IsStandaloneEdge(src_[pos_ + length]);
    return before && after;
  }

  // Items until the end, or the ')' or '|' that ends an alternative.
  Status ParseSequence(PatternSequence& out, int depth) {
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == ')' || c == '|') {
        if (depth == 0) break;
        FlushText(out);
        return Status::OK();
      }
      CHECKIN_RETURN_IF_ERROR(ParseItem(out, depth));
    }
    if (depth > 0) return Status::InvalidArgument("unclosed '('");
    FlushText(out);
    return Status::OK();
  }

  Status ParseItem(PatternSequence& out, int depth) {
    const char c = src_[pos_];
    if (c == '(') return ParseChoice(out, depth);
    if (c == '*') return MarkPrefix(out);
    if (c == '@') return ParseSetReference(out);
    if (At("...") || At("\u2026")) return ParseGap(out);
    if (c == '#' || c == '$' || c == '^') {
      if (!StandsAlone(1)) return Status::InvalidArgument(std::string("'") + c + "' must stand alone");
      FlushText(out);
      const Kind kind = c == '#' ? Kind::kNumber : c == '$' ? Kind::kClauseEnd : Kind::kClauseStart;
      out.push_back(PatternNode{kind, "", 0, {}});
      ++pos_;
      return Status::OK();
    }
    text_ += c;
    ++pos_;
    return Status::OK();
  }

  Status ParseChoice(PatternSequence& out, int depth) {
    if (depth + 1 > kMaxDepth) return Status::InvalidArgument("brackets nested too deep");
    FlushText(out);
    PatternNode choice{Kind::kChoice, "", 0, {}};
    ++pos_;  // '('
    while (true) {
      PatternSequence alternative;
      CHECKIN_RETURN_IF_ERROR(ParseSequence(alternative, depth + 1));
      choice.alternatives.push_back(std::move(alternative));
      const char c = src_[pos_++];  // ParseSequence stopped at ')' or '|'
      if (c == ')') break;
    }
    out.push_back(std::move(choice));
    return Status::OK();
  }

  Status MarkPrefix(PatternSequence& out) {
    const unsigned char last = text_.empty() ? ' ' : static_cast<unsigned char>(text_.back());
    if (last < 0x80 && !std::isalnum(last)) return Status::InvalidArgument("'*' must end a word");
    const size_t before = out.size();
    FlushText(out);
    if (out.size() == before || out.back().kind != Kind::kWord) return Status::InvalidArgument("'*' must end a word");
    ++pos_;
    if (pos_ < src_.size() && !IsStandaloneEdge(src_[pos_])) return Status::InvalidArgument("'*' must end a word");
    if (CodePointCount(out.back().key) < kMinPrefixLetters) {
      return Status::InvalidArgument("'" + out.back().key + "*' is too short a start of a word (at least " +
                                     std::to_string(kMinPrefixLetters) + " letters)");
    }
    out.back().kind = Kind::kPrefix;
    return Status::OK();
  }

  Status ParseSetReference(PatternSequence& out) {
    FlushText(out);
    size_t end = pos_ + 1;
    while (end < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[end])) || src_[end] == '_')) ++end;
    const std::string name(src_.substr(pos_ + 1, end - pos_ - 1));
    if (name.empty()) return Status::InvalidArgument("'@' must name a word set");
    if (sets_ == nullptr) return Status::InvalidArgument("a word set may not use another (@" + name + ")");
    const PatternNode* set = (*sets_)(name);
    if (set == nullptr) return Status::InvalidArgument("unknown word set @" + name);
    out.push_back(*set);
    pos_ = end;
    return Status::OK();
  }

  Status ParseGap(PatternSequence& out) {
    if (sets_ == nullptr) return Status::InvalidArgument("a word set may not hold a gap");
    FlushText(out);
    pos_ += At("...") ? 3 : std::string_view("\u2026").size();
    int gap = kDefaultGap;
    if (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) {
      gap = 0;
      while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_])) && gap <= kMaxGap) {
        gap = gap * 10 + (src_[pos_++] - '0');
      }
    }
    if (gap < 1 || gap > kMaxGap) {
      return Status::InvalidArgument("a gap is of 1 to " + std::to_string(kMaxGap) + " words");
    }
    if (!out.empty() && out.back().kind == Kind::kGap) return Status::InvalidArgument("two gaps in a row");
    out.push_back(PatternNode{Kind::kGap, "", gap, {}});
    return Status::OK();
  }

  // The literal text collected so far, as word nodes.
  void FlushText(PatternSequence& out) {
    for (std::string& key : WordKeys(NormalizeText(text_).text)) {
      out.push_back(PatternNode{Kind::kWord, std::move(key), 0, {}});
    }
    text_.clear();
  }

  std::string_view src_;
  const WordSetLookup* sets_;
  size_t pos_ = 0;
  std::string text_;
};

// --- checks on a parsed sequence ---

// The most words one match can read, gaps aside.
size_t MaxMatchWords(const PatternSequence& seq) {
  size_t words = 0;
  for (const PatternNode& n : seq) {
    if (n.kind == Kind::kWord || n.kind == Kind::kPrefix || n.kind == Kind::kNumber) ++words;
    if (n.kind != Kind::kChoice) continue;
    size_t longest = 0;
    for (const PatternSequence& a : n.alternatives) longest = std::max(longest, MaxMatchWords(a));
    words += longest;
  }
  return words;
}

// Whether `seq` holds a `^` or `$` anywhere.
bool HasClauseEdge(const PatternSequence& seq) {
  return std::any_of(seq.begin(), seq.end(), [](const PatternNode& n) {
    if (n.kind == Kind::kClauseStart || n.kind == Kind::kClauseEnd) return true;
    return std::any_of(n.alternatives.begin(), n.alternatives.end(), HasClauseEdge);
  });
}

bool CanBeEmpty(const PatternSequence& seq);
bool NodeCanBeEmpty(const PatternNode& n) {
  switch (n.kind) {
    case Kind::kGap:
    case Kind::kClauseStart:
    case Kind::kClauseEnd: return true;
    case Kind::kChoice:
      return std::any_of(n.alternatives.begin(), n.alternatives.end(), [](const auto& a) { return CanBeEmpty(a); });
    default: return false;
  }
}
bool CanBeEmpty(const PatternSequence& seq) { return std::all_of(seq.begin(), seq.end(), NodeCanBeEmpty); }

// Whether some match could read stop words (and numbers) only.
bool OnlyStops(const PatternSequence& seq, const std::set<std::string>& stops);
bool NodeOnlyStops(const PatternNode& n, const std::set<std::string>& stops) {
  switch (n.kind) {
    case Kind::kWord: return stops.count(n.key) > 0;
    case Kind::kPrefix: return false;
    case Kind::kChoice:
      return std::any_of(n.alternatives.begin(), n.alternatives.end(),
                         [&](const auto& a) { return OnlyStops(a, stops); });
    default: return true;
  }
}
bool OnlyStops(const PatternSequence& seq, const std::set<std::string>& stops) {
  return std::all_of(seq.begin(), seq.end(), [&](const PatternNode& n) { return NodeOnlyStops(n, stops); });
}

// What a match can start with (or end with, from_end): word keys, whether
// something else (word*, #), and whether a gap. Returns whether all of
// `seq` can be empty, so the edge lies further in.
struct Edge {
  std::vector<std::string> keys;
  bool anywhere = false;
  bool gap = false;
};
bool CollectEdge(const PatternSequence& seq, bool from_end, Edge& edge) {
  for (size_t k = 0; k < seq.size(); ++k) {
    const PatternNode& n = seq[from_end ? seq.size() - 1 - k : k];
    switch (n.kind) {
      case Kind::kWord: edge.keys.push_back(n.key); return false;
      case Kind::kPrefix:
      case Kind::kNumber: edge.anywhere = true; return false;
      case Kind::kGap: edge.gap = true; return false;
      case Kind::kClauseStart:
      case Kind::kClauseEnd: break;  // zero width: the edge lies further in
      case Kind::kChoice: {
        bool empty = false;
        for (const PatternSequence& a : n.alternatives) empty |= CollectEdge(a, from_end, edge);
        if (!empty) return false;
        break;
      }
    }
  }
  return true;
}

// --- matching ---

// What is left to match once a bracketed alternative is done: the rest of
// the enclosing sequences, innermost first.
struct Continuation {
  const PatternSequence* seq;
  size_t next;
  const Continuation* up;
};

struct MatchState {
  const MessageWords& words;
  size_t limit;
  const std::vector<bool>* masked;
  size_t end = 0;
};

bool WordMatches(const PatternNode& n, const std::string& word) {
  switch (n.kind) {
    case Kind::kWord: return word == n.key;
    case Kind::kPrefix: return word.compare(0, n.key.size(), n.key) == 0;
    case Kind::kNumber:
      return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    default: return false;
  }
}

bool MatchFrom(const PatternSequence& seq, size_t i, size_t pos, const Continuation* up, MatchState& st) {
  if (i == seq.size()) {
    if (up == nullptr) {
      st.end = pos;
      return true;
    }
    return MatchFrom(*up->seq, up->next, pos, up->up, st);
  }
  const PatternNode& n = seq[i];
  switch (n.kind) {
    case Kind::kGap:
      for (size_t g = 0; g <= static_cast<size_t>(n.gap) && pos + g <= st.limit; ++g) {
        if (MatchFrom(seq, i + 1, pos + g, up, st)) return true;
      }
      return false;
    case Kind::kClauseStart:
      return st.words.ClauseStartsAt(pos) && MatchFrom(seq, i + 1, pos, up, st);
    case Kind::kClauseEnd:
      return st.words.ClauseEndsAt(pos) && MatchFrom(seq, i + 1, pos, up, st);
    case Kind::kChoice: {
      const Continuation rest{&seq, i + 1, up};
      for (const PatternSequence& a : n.alternatives) {
        if (MatchFrom(a, 0, pos, &rest, st)) return true;
      }
      return false;
    }
    default:
      if (pos >= st.limit || (st.masked != nullptr && (*st.masked)[pos])) return false;
      return WordMatches(n, st.words.keys[pos]) && MatchFrom(seq, i + 1, pos + 1, up, st);
  }
}

}  // namespace

Result<Pattern> Pattern::Compile(std::string_view source, const WordSetLookup& sets,
                                 const std::set<std::string>& stop_words) {
  if (source.size() > kMaxSourceBytes) {
    return Status::InvalidArgument("too long: " + std::to_string(source.size()) + " bytes (at most " +
                                   std::to_string(kMaxSourceBytes) + ")");
  }
  const bool ignores_idioms = !source.empty() && source.front() == '!';
  if (ignores_idioms) source.remove_prefix(1);
  Result<PatternSequence> seq = Parser(source, &sets).Parse();
  if (!seq.ok()) return seq.status();
  if (CanBeEmpty(*seq)) return Status::InvalidArgument("empty: no words to look for");
  if (const size_t words = MaxMatchWords(*seq); words > kMaxWords) {
    return Status::InvalidArgument("too long: a match of " + std::to_string(words) + " words (at most " +
                                   std::to_string(kMaxWords) + ")");
  }
  Edge first, last;
  CollectEdge(*seq, /*from_end=*/false, first);
  CollectEdge(*seq, /*from_end=*/true, last);
  if (first.gap) return Status::InvalidArgument("a phrase may not start with a gap ('...')");
  if (last.gap) return Status::InvalidArgument("a phrase may not end with a gap ('...')");
  if (OnlyStops(*seq, stop_words)) {
    return Status::InvalidArgument("only stop words: it would match almost every message");
  }
  Pattern p;
  p.sequence_ = std::move(*seq);
  std::sort(first.keys.begin(), first.keys.end());
  first.keys.erase(std::unique(first.keys.begin(), first.keys.end()), first.keys.end());
  p.first_keys_ = std::move(first.keys);
  p.starts_anywhere_ = first.anywhere;
  p.ignores_idioms_ = ignores_idioms;
  return p;
}

bool Pattern::MatchAt(const MessageWords& words, size_t start, size_t limit, const std::vector<bool>* masked,
                      size_t* end) const {
  MatchState st{words, std::min(limit, words.size()), masked};
  if (!MatchFrom(sequence_, 0, start, nullptr, st)) return false;
  *end = st.end;
  return true;
}

Result<PatternNode> CompileWordSet(const std::vector<std::string>& entries) {
  PatternNode set{Kind::kChoice, "", 0, {}};
  for (const std::string& entry : entries) {
    Result<PatternSequence> seq = Parser(entry, nullptr).Parse();
    if (!seq.ok()) return seq.status().WithContext("\"" + entry + "\"");
    if (HasClauseEdge(*seq)) return Status::InvalidArgument("\"" + entry + "\": a word set may not hold '^' or '$'");
    if (seq->empty()) return Status::InvalidArgument("\"" + entry + "\": empty");
    set.alternatives.push_back(std::move(*seq));
  }
  if (set.alternatives.empty()) return Status::InvalidArgument("a word set needs at least one entry");
  return set;
}

Result<std::string> StopWordKey(std::string_view word) {
  std::vector<std::string> keys = WordKeys(NormalizeText(word).text);
  if (keys.size() != 1) return Status::InvalidArgument("\"" + std::string(word) + "\": a stop word is one word");
  return std::move(keys.front());
}

}  // namespace checkin::safeguarding
