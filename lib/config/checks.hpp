#pragma once
// The checks of text values that the config file and the command line share, so that a name,
// a prefix, a set or a header value is held to one rule wherever it is given. Pure functions;
// thread-safe. Each returns what is wrong, in words for the user, or "" when the value is fine.

#include <string>
#include <string_view>

namespace oaiharvest::config {

// An endpoint name: not empty, only A-Z a-z 0-9 . _ - (it appears in logs and commands).
std::string endpoint_name_problem(std::string_view name);

// A metadataPrefix or setSpec: not empty, only what OAI-PMH 2.0 allows in them.
std::string oai_token_problem(std::string_view token);

// An HTTP header value (user_agent): no control character, since a CR or LF would end the
// header and start another (header injection).
std::string header_value_problem(std::string_view value);

// A listening address: HOST:PORT or [IPv6]:PORT, the port 0-65535 (0: any free port).
std::string listen_address_problem(std::string_view address);

// An e-mail address, as Identify's adminEmail must be: one @, something on each side, a dot in
// the domain, no space.
std::string email_problem(std::string_view address);

// A MIME type as a document's Content-Type names it: type/subtype, lower case, tokens only
// (no parameters), e.g. application/pdf.
std::string mime_type_problem(std::string_view type);

// A host name or IP address a document may come from: no scheme, port, path or space, e.g.
// files.example.org (compared without case with the host of each URL and redirect).
std::string host_name_problem(std::string_view host);

}  // namespace oaiharvest::config
