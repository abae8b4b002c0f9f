#pragma once
// The web pages, one function each, as web.cpp routes them (the routes and their parameters
// are listed there and in docs/serving.md). Each reads what it shows from the Store it is
// given, on the calling thread, and answers 400 or 404 with a page saying why when the request
// names nothing it can show.

#include "serve/web/params.hpp"
#include "serve/web/web.hpp"
#include "store/store.hpp"

namespace oaiharvest::serve::web {

WebReply home_page(store::Store& store, const Params& params);
WebReply search_page(store::Store& store, const Params& params);

// An endpoint's records: all of them, in a set, of a year, by an author.
WebReply endpoint_page(store::Store& store, const Params& params);
WebReply set_page(store::Store& store, const Params& params);
WebReply year_page(store::Store& store, const Params& params);
WebReply author_page(store::Store& store, const Params& params);

// What to browse an endpoint by: its sets, years, authors.
WebReply sets_page(store::Store& store, const Params& params);
WebReply years_page(store::Store& store, const Params& params);
WebReply authors_page(store::Store& store, const Params& params);

WebReply record_page(store::Store& store, const Params& params);

}  // namespace oaiharvest::serve::web
