# Debian's hardening (what dpkg-buildflags gives a package on Debian 12) for the optimized
# builds, which are the ones packaged (scripts/package): stack canaries on functions with
# arrays or address-taken locals, and glibc's checked variants of memcpy, snprintf and the like
# where the object sizes are known at compile time (lintian's hardening-no-fortify-functions).
# PIE is g++'s default on Debian, and the binary links with full RELRO (daemon/CMakeLists.txt).
# Not in the sanitizer and fuzzing builds: ASan replaces those checks with its own. Not in a
# Debug build: _FORTIFY_SOURCE needs optimization. A _FORTIFY_SOURCE already in CXXFLAGS (from
# dpkg-buildflags, say) is kept, not redefined.
if(NOT OAIHARVEST_SANITIZE AND NOT OAIHARVEST_FUZZ)
  set(_optimized $<CONFIG:Release,RelWithDebInfo,MinSizeRel>)
  add_compile_options($<${_optimized}:-fstack-protector-strong>)
  if(NOT CMAKE_CXX_FLAGS MATCHES "_FORTIFY_SOURCE")
    add_compile_definitions($<${_optimized}:_FORTIFY_SOURCE=2>)
  endif()
endif()
