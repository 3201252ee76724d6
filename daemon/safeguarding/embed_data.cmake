# Writes OUTPUT: a C++ file defining checkin::safeguarding::ShippedConcernPhrases()
# as the text of INPUT (concern_phrases.yaml), so the shipped phrase lists
# are inside the binary and reviewed as a data file.
# Run with: cmake -DINPUT=... -DOUTPUT=... -P embed_phrases.cmake
file(READ "${INPUT}" body)
if(body MATCHES "\\)CHECKIN_PHRASES\"")
  message(FATAL_ERROR "${INPUT} holds the raw-string delimiter )CHECKIN_PHRASES\"")
endif()
set(content "// Generated from daemon/safeguarding/concern_phrases.yaml by embed_phrases.cmake. Do not edit.\n")
string(APPEND content "#include \"safeguarding/phrase_file.h\"\n\nnamespace checkin::safeguarding {\n\n")
string(APPEND content "std::string_view ShippedConcernPhrases() {\n")
string(APPEND content "  static constexpr char kText[] = R\"CHECKIN_PHRASES(${body})CHECKIN_PHRASES\";\n")
string(APPEND content "  return std::string_view(kText, sizeof(kText) - 1);\n}\n")
string(APPEND content "\n}  // namespace checkin::safeguarding\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
