# Writes OUTPUT: the SQL migrations of schema/ (SQLite) and schema/postgresql/ compiled into the
# binary, in file-name order, so a binary needs no files beside it. Run at build time (see
# lib/store/CMakeLists.txt). Both backends share one list of version numbers: a PostgreSQL
# migration must have a SQLite one of the same number, and both lists must end at the same
# version, or the build stops here.
cmake_policy(SET CMP0057 NEW)  # if(IN_LIST) in a script run with -P
function(embed_list dir array_name out_var versions_var)
  file(GLOB migrations RELATIVE ${dir} ${dir}/[0-9][0-9][0-9]_*.sql)
  list(SORT migrations)
  list(LENGTH migrations count)
  set(text "inline constexpr std::array<Migration, ${count}> ${array_name}{{\n")
  set(versions "")
  foreach(file ${migrations})
    file(READ ${dir}/${file} sql)
    string(SUBSTRING ${file} 0 3 version)
    math(EXPR version "${version}")
    list(APPEND versions ${version})
    string(APPEND text "    {${version}, \"${file}\", R\"oaiharvest_sql(${sql})oaiharvest_sql\"},\n")
  endforeach()
  string(APPEND text "}};\n")
  set(${out_var} "${text}" PARENT_SCOPE)
  set(${versions_var} "${versions}" PARENT_SCOPE)
endfunction()

embed_list(${SCHEMA_DIR} k_migrations sqlite_text sqlite_versions)
embed_list(${SCHEMA_DIR}/postgresql k_postgres_migrations postgres_text postgres_versions)
foreach(version ${postgres_versions})
  if(NOT version IN_LIST sqlite_versions)
    message(FATAL_ERROR "schema/postgresql: version ${version} has no schema/ migration of the same number")
  endif()
endforeach()
list(GET sqlite_versions -1 sqlite_newest)
list(GET postgres_versions -1 postgres_newest)
if(NOT sqlite_newest EQUAL postgres_newest)
  message(FATAL_ERROR "schema/ ends at version ${sqlite_newest} but schema/postgresql/ at ${postgres_newest}: every version needs both")
endif()

set(body "// Generated from schema/*.sql and schema/postgresql/*.sql by cmake/embed_schema.cmake. Do not edit.\n#pragma once\n#include <array>\n#include <string_view>\nnamespace oaiharvest::store::detail {\nstruct Migration { int version; std::string_view name; std::string_view sql; };\n")
string(APPEND body "${sqlite_text}${postgres_text}")
string(APPEND body "}  // namespace oaiharvest::store::detail\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
