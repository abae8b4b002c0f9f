# Warnings as errors on our own code only: third-party headers come in as SYSTEM includes.
add_library(oaiharvest_warnings INTERFACE)
target_compile_options(oaiharvest_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  # Aggregates with default member initializers are meant to be brace-initialized in part.
  -Wno-missing-field-initializers
  # GCC 12 reports std::string concatenation at -O3 as overlapping memcpy (GCC bug 105651).
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
