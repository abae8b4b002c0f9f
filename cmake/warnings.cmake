# Warnings as errors on our own code only: third-party headers come in as SYSTEM includes.
add_library(oaiharvest_warnings INTERFACE)
target_compile_options(oaiharvest_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
