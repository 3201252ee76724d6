// The shipped reply words (see reply_words.h). Entries are written as people
// text them; case, accents and apostrophes do not matter, and a letter
// doubled for emphasis matches too ("yesss", "noooo", "haaan").
//
// When adding words: a phrase may be in one role only per language (the
// IntentWords.ShippedListsAreConsistent test checks), and a longer phrase
// wins over the words inside it ("not sure" is maybe, though "not" is no).
#include "config/reply_words.h"

namespace checkin {

namespace {

// English. "probably", "should" and "if" are maybe: a coordinator counting
// chairs wants to know who is not certain.
ReplyWords English() {
  ReplyWords w;
  w.yes = {
      "yes", "y", "ye", "yeah", "yea", "yeh", "yep", "yup", "ya", "yah", "yas", "yay", "aye",
      "sure", "ok", "okay", "okey", "okie", "k", "kk", "alright", "all right", "sounds good",
      "absolutely", "definitely", "certainly", "of course", "course", "ofc", "yes please",
      "see you", "see you there", "see ya", "see u", "c u", "cu", "cya",
      "be there", "will be there", "i'll be there", "we'll be there",
      "coming", "will come", "i'll come", "i will", "i will come", "we will come", "going",
      "count me in", "i'm in", "can come", "can make it", "make it", "attending",
      "looking forward", "can't wait", "wouldn't miss it", "love to", "i'd love to", "would love to",
      "👍", "👌", "✅", "✔", "☑", "🙋",
  };
  w.no = {
      "no", "n", "nope", "nah", "na", "naw", "no thanks", "no thank you", "sorry no",
      "not this time", "not this week", "not today", "not tomorrow",
      "next time", "see you next time", "see you next week", "maybe next time", "maybe next week",
      "probably not", "prob not", "definitely not", "absolutely not", "of course not",
      "don't think so", "i don't think so", "afraid not",
      "too busy", "unavailable", "skip", "skipping", "give it a miss", "count me out", "i'm out", "love to but",
      "have to miss", "going to miss", "gonna miss", "will miss", "i'll miss",
      "👎", "❌", "🚫", "✖",
  };
  w.maybe = {
      "maybe", "mayb", "mabye", "perhaps", "possibly", "poss", "probably", "prob", "probs",
      "might", "might do", "might not", "may", "should", "maybe not",
      "not sure", "not really sure", "not too sure", "not so sure", "not sure yet", "unsure",
      "dunno", "don't know", "i don't know", "idk", "no idea",
      "depends", "depending", "it depends", "if", "hopefully", "hope", "hope so",
      "try", "trying", "will try", "i'll try", "i will try", "going to try", "gonna try",
      "fingers crossed", "will see", "we'll see", "we will see", "see how", "see how it goes",
      "let you know", "tbc", "can't promise", "can't say", "50/50",
      "🤞", "🤔", "🤷",
  };
  return w;
}

// Polish. Reminders ask for T (tak) or N (nie); TAK and NIE work too.
ReplyWords Polish() {
  ReplyWords w;
  w.yes = {
      "tak", "t", "jasne", "pewnie", "oczywiście", "na pewno", "okej", "dobrze", "dobra", "spoko",
      "super", "chętnie", "z przyjemnością", "będę", "będziemy", "przyjdę", "przyjdziemy",
      "wpadnę", "wpadniemy", "dam radę", "do zobaczenia", "nie mogę się doczekać",
  };
  w.no = {
      "n", "niestety", "nie dam rady", "nie tym razem", "następnym razem", "może następnym razem",
      "chyba nie", "raczej nie", "na pewno nie",
  };
  w.maybe = {
      "może", "być może", "możliwe", "może tak", "może nie", "chyba", "chyba tak", "raczej tak",
      "nie wiem", "nie wiem jeszcze", "jeszcze nie wiem", "nie jestem pewna", "nie jestem pewien",
      "nie jestem pewny", "zobaczę", "zobaczymy", "postaram się", "spróbuję", "jeśli", "jeżeli",
      "jak się uda", "dam znać",
  };
  return w;
}

// Urdu, in Urdu script and romanised (several spellings each, as texted).
// Verbs are in the forms a mum, a dad or a family would use.
ReplyWords Urdu() {
  ReplyWords w;
  w.yes = {
      "haan", "han", "haa", "haanji", "hanji", "haan ji", "han ji", "ji", "jee", "ji haan",
      "jee haan", "ji han", "zaroor", "zarur", "bilkul", "theek hai", "thik hai", "acha", "achha",
      "aaungi", "aaunga", "aungi", "aunga", "aa jaungi", "aa jaunga", "aa jayenge", "aa jaenge",
      "aayenge", "aa rahi hoon", "aa raha hoon", "aa rahe hain", "aa sakti", "aa sakta", "aa sakte",
      "milte hain",
      "ہاں", "جی", "جی ہاں", "ہاں جی", "ضرور", "بالکل", "ٹھیک ہے", "اچھا", "آؤں گی", "آؤں گا",
      "آ جاؤں گی", "آ جاؤں گا", "آئیں گے", "آ رہی ہوں", "آ رہا ہوں", "آ سکتی", "آ سکتا",
      "ملتے ہیں",
  };
  w.no = {
      "ji nahi", "jee nahi", "nahi ji", "agli baar", "agli dafa",
      "جی نہیں", "اگلی بار",
  };
  w.maybe = {
      "shayad", "shaayad", "shaid", "pata nahi", "nahi pata", "maloom nahi", "agar",
      "koshish karungi", "koshish karunga", "koshish karenge", "dekhti hoon", "dekhta hoon",
      "dekhte hain", "ho sakta hai",
      "شاید", "پتہ نہیں", "معلوم نہیں", "اگر", "کوشش کروں گی", "کوشش کروں گا", "دیکھتے ہیں",
      "ہو سکتا ہے",
  };
  return w;
}

const std::map<std::string, ReplyGrammar>& Grammars() {
  static const std::map<std::string, ReplyGrammar> kGrammars = {
      {"en",
       // "will not" and "i will not" outrank the yes phrase "i will".
       {{"not", "can't", "cannot", "won't", "will not", "i will not", "don't", "unable", "never", "couldn't",
         "ain't"},
        {"no problem", "no probs", "no prob", "no worries", "not a problem", "don't worry", "never mind",
         "can't stop", "or not", "if that's ok", "if that is ok", "if that's alright", "if it's ok",
         "if ok", "hope you", "hope all", "who's coming", "who is coming", "who else is coming"}}},
      {"pl",
       {{"nie"},
        // "no" is colloquial "well/yeah" and "na" is "on/at" in Polish.
        {"no", "na", "nie ma problemu", "nie ma sprawy", "nie martw się", "nie ma za co"}}},
      {"ur",
       {{"nahi", "nahin", "nai", "nhi", "na", "نہیں", "نہ", "نا"},
        {"inshallah", "insha allah", "inshaallah", "ان شاء اللہ", "انشاءاللہ", "ya nahi", "یا نہیں",
         "koi baat nahi", "کوئی بات نہیں"}}},
  };
  return kGrammars;
}

}  // namespace

const std::map<std::string, ReplyWords>& DefaultReplyWords() {
  static const std::map<std::string, ReplyWords> kWords = {{"en", English()}, {"pl", Polish()}, {"ur", Urdu()}};
  return kWords;
}

const ReplyGrammar& BuiltInReplyGrammar(const std::string& language) {
  static const ReplyGrammar kNone;
  auto it = Grammars().find(language);
  return it == Grammars().end() ? kNone : it->second;
}

}  // namespace checkin
