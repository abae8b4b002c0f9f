# OAIHARVEST_SANITIZE: the sanitizers every target is compiled and linked with, as -fsanitize
# takes them ("address,undefined", "thread"); empty for none. scripts/test-hardened builds with
# it; docs/testing.md says how and why. A finding aborts the process (no recovery), so that a
# test or a spawned binary cannot pass with an error report on its stderr.
set(OAIHARVEST_SANITIZE "" CACHE STRING "Sanitizers to build with (-fsanitize=...), e.g. address,undefined")
if(OAIHARVEST_SANITIZE)
  add_compile_options(-fsanitize=${OAIHARVEST_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${OAIHARVEST_SANITIZE})
  # Code that sets resource limits or measures its memory checks this: a sanitizer's shadow
  # memory makes RLIMIT_AS and peak-RSS figures meaningless.
  add_compile_definitions(OAIHARVEST_SANITIZED=1)
endif()
