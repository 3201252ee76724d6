# Installs systemd/checkind.service, run by `cmake --install` (install(SCRIPT)
# in CMakeLists.txt). It runs at install time so that `--prefix` given then
# is honoured: the unit's /usr/bin/checkind and /usr/share/doc/checkin paths
# become the install prefix's, and the unit goes to PREFIX/lib/systemd/system
# (/usr/local/lib/systemd/system is on systemd's search path too).
#
# CHECKIN_INSTALL_SYSTEMD (set by the caller): ON, OFF, or AUTO = only when
# the prefix is /usr or /usr/local, so that an install into a private
# directory (/opt/checkin, a home) writes no unit that points at it.
if(CHECKIN_INSTALL_SYSTEMD STREQUAL "AUTO")
  set(_want OFF)
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR CMAKE_INSTALL_PREFIX STREQUAL "/usr/local")
    set(_want ON)
  endif()
else()
  set(_want ${CHECKIN_INSTALL_SYSTEMD})
endif()
if(NOT _want)
  message(STATUS "Skipping the systemd unit (CHECKIN_INSTALL_SYSTEMD=${CHECKIN_INSTALL_SYSTEMD}, prefix ${CMAKE_INSTALL_PREFIX})")
  return()
endif()

file(READ "${CHECKIN_UNIT_SOURCE}" _unit)
string(REPLACE "/usr/bin/checkind" "${CMAKE_INSTALL_PREFIX}/bin/checkind" _unit "${_unit}")
string(REPLACE "/usr/share/doc/checkin" "${CMAKE_INSTALL_PREFIX}/share/doc/checkin" _unit "${_unit}")
set(_dest "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/system/checkind.service")
message(STATUS "Installing: ${_dest}")
file(WRITE "${_dest}" "${_unit}")
file(CHMOD "${_dest}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${_dest}")
