# Writes OUTPUT: a C++ file defining checkin::safeguarding::FUNCTION() as the
# text of INPUT (concern_phrases.yaml, concern_model.tsv), declared in
# HEADER, so the shipped data is inside the binary and reviewed as a data
# file.
# Run with: cmake -DINPUT=... -DOUTPUT=... -DFUNCTION=... -DHEADER=... -P embed_data.cmake
file(READ "${INPUT}" body)
if(body MATCHES "\\)CHECKIN_DATA\"")
  message(FATAL_ERROR "${INPUT} holds the raw-string delimiter )CHECKIN_DATA\"")
endif()
get_filename_component(name "${INPUT}" NAME)
set(content "// Generated from daemon/safeguarding/${name} by embed_data.cmake. Do not edit.\n")
string(APPEND content "#include \"${HEADER}\"\n\nnamespace checkin::safeguarding {\n\n")
string(APPEND content "std::string_view ${FUNCTION}() {\n")
string(APPEND content "  static constexpr char kText[] = R\"CHECKIN_DATA(${body})CHECKIN_DATA\";\n")
string(APPEND content "  return std::string_view(kText, sizeof(kText) - 1);\n}\n")
string(APPEND content "\n}  // namespace checkin::safeguarding\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
