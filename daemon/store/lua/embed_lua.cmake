# Writes OUTPUT: a C++ file defining checkin::lua::<name>() for every Lua
# script in SCRIPTS (paths separated by "|"), so the scripts ship inside the
# binary.
# Run with: cmake -DOUTPUT=... -DSCRIPTS=... -P embed_lua.cmake
set(content "// Generated from daemon/store/lua/*.lua by embed_lua.cmake. Do not edit.\n")
string(APPEND content "#include \"store/lua_scripts.h\"\n\nnamespace checkin::lua {\n")
string(REPLACE "|" ";" SCRIPTS "${SCRIPTS}")
foreach(script IN LISTS SCRIPTS)
  get_filename_component(name "${script}" NAME_WE)
  file(READ "${script}" body)
  string(APPEND content "\nconst RedisScript& ${name}() {\n")
  string(APPEND content "  static const RedisScript s(\"${name}.lua\", R\"CHECKIN_LUA(${body})CHECKIN_LUA\");\n")
  string(APPEND content "  return s;\n}\n")
endforeach()
string(APPEND content "\n}  // namespace checkin::lua\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
