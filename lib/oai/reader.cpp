#include "oai/reader.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <vector>

#include "oai/detail/char_repair.hpp"
#include "oai/detail/response_builder.hpp"
#include "oai/detail/xml_event.hpp"

namespace oaiharvest::oai {

namespace {

// Owns a push parser context, and the document a SAX2 default handler may have started.
struct ParserDeleter {
    void operator()(xmlParserCtxtPtr ctxt) const {
        if (ctxt->myDoc != nullptr) {
            xmlFreeDoc(ctxt->myDoc);
            ctxt->myDoc = nullptr;
        }
        xmlFreeParserCtxt(ctxt);
    }
};
using ParserPtr = std::unique_ptr<xmlParserCtxt, ParserDeleter>;

// xmlParseChunk takes an int; larger inputs go in slices (the push parser does not mind).
constexpr std::size_t k_max_slice = std::size_t{1} << 20;

// No DTD loading, no entity substitution (never XML_PARSE_NOENT or XML_PARSE_DTDLOAD), no
// network, no XML_PARSE_HUGE. CDATA keeps its own callback, which writes it as text.
constexpr int k_parse_options = XML_PARSE_NONET;

std::string_view view(const xmlChar* text) {
    return text == nullptr ? std::string_view{}
                           : std::string_view(reinterpret_cast<const char*>(text));
}
std::string_view view(const xmlChar* text, int length) {
    return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(length)};
}

#if LIBXML_VERSION >= 21200
using ErrorPointer = const xmlError*;
#else
using ErrorPointer = xmlErrorPtr;
#endif

struct FirstError {
    std::string message;
    int line = 0;
    int column = 0;
};

}  // namespace

struct ResponseReader::Impl {
    Impl(ResponseHandler& handler, const ReaderLimits& limits) : builder(handler, limits) {}

    detail::ResponseBuilder builder;
    detail::CharRepair repair;
    ParserPtr parser;
    std::exception_ptr exception;  // thrown in a callback, rethrown by feed() or finish()
    std::optional<FirstError> first_error;
    std::uint64_t dropped_references = 0;
    std::string buffer;  // repaired bytes for the parser, reused
    std::vector<detail::XmlNamespace> namespaces;
    std::vector<detail::XmlAttribute> attributes;
    bool done = false;  // finished, or failed: the reader is unusable

    static xmlSAXHandler sax_handler();
    void parse(std::string_view bytes, bool terminate);
    void check();

    // Runs body for a libxml2 callback: no exception may cross into C. The first one is kept
    // and the parser stopped; feed() rethrows it once xmlParseChunk has returned.
    template <typename Body>
    static void guarded(void* context, Body&& body) noexcept {
        auto* self = static_cast<Impl*>(context);
        if (self->exception) {
            return;
        }
        try {
            body(*self);
        } catch (...) {
            self->exception = std::current_exception();
            xmlStopParser(self->parser.get());
        }
    }

    static void on_start(void* context, const xmlChar* local, const xmlChar* prefix,
                         const xmlChar* /*uri*/, int namespace_count, const xmlChar** namespaces,
                         int attribute_count, int defaulted_count, const xmlChar** attributes) {
        guarded(context, [&](Impl& self) {
            self.namespaces.clear();
            for (int i = 0; i < namespace_count; ++i) {
                self.namespaces.push_back({view(namespaces[2 * i]), view(namespaces[2 * i + 1])});
            }
            // Attributes defaulted from a DTD were not sent; leave them out.
            self.attributes.clear();
            for (int i = 0; i < attribute_count - defaulted_count; ++i) {
                const xmlChar** attribute = attributes + 5 * i;  // local, prefix, URI, value, end
                self.attributes.push_back(
                    {view(attribute[1]), view(attribute[0]),
                     view(attribute[3], static_cast<int>(attribute[4] - attribute[3]))});
            }
            self.builder.start_element(
                {view(prefix), view(local), self.namespaces, self.attributes});
        });
    }
    static void on_end(void* context, const xmlChar* local, const xmlChar* prefix,
                       const xmlChar* /*uri*/) {
        guarded(context, [&](Impl& self) { self.builder.end_element(view(prefix), view(local)); });
    }
    static void on_text(void* context, const xmlChar* text, int length) {
        guarded(context, [&](Impl& self) { self.builder.text(view(text, length)); });
    }
    static void on_comment(void* context, const xmlChar* text) {
        guarded(context, [&](Impl& self) { self.builder.comment(view(text)); });
    }
    static void on_processing_instruction(void* context, const xmlChar* target,
                                          const xmlChar* data) {
        guarded(context,
                [&](Impl& self) { self.builder.processing_instruction(view(target), view(data)); });
    }
    // Called for an entity the parser could not resolve, which only happens when the document
    // names an external DTD (never loaded): the reference is left out, and counted.
    static void on_reference(void* context, const xmlChar* /*name*/) {
        guarded(context, [&](Impl& self) { ++self.dropped_references; });
    }
    // All of libxml2's diagnostics for this parser come here instead of stderr.
    static void on_error(void* context, ErrorPointer error) {
        guarded(context, [&](Impl& self) {
            if (error == nullptr || self.first_error || error->level < XML_ERR_ERROR ||
                error->domain == XML_FROM_NAMESPACE) {
                return;
            }
            std::string_view message = error->message == nullptr ? "" : error->message;
            while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
                message.remove_suffix(1);
            }
            self.first_error = FirstError{std::string(message), error->line, error->int2};
        });
    }
};

namespace {

// libxml2 reports some errors (encoding conversion, I/O) outside the parser's own channel,
// through the thread's structured error handler. While our parser runs, that goes nowhere.
class QuietErrors {
public:
    QuietErrors() : m_handler(xmlStructuredError), m_context(xmlStructuredErrorContext) {
        xmlSetStructuredErrorFunc(nullptr, &ignore);
    }
    ~QuietErrors() { xmlSetStructuredErrorFunc(m_context, m_handler); }
    QuietErrors(const QuietErrors&) = delete;
    QuietErrors& operator=(const QuietErrors&) = delete;
    QuietErrors(QuietErrors&&) = delete;
    QuietErrors& operator=(QuietErrors&&) = delete;

private:
    static void ignore(void* /*context*/, ErrorPointer /*error*/) {}
    xmlStructuredErrorFunc m_handler;
    void* m_context;
};

}  // namespace

xmlSAXHandler ResponseReader::Impl::sax_handler() {
    xmlSAXHandler sax{};
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = &Impl::on_start;
    sax.endElementNs = &Impl::on_end;
    sax.characters = &Impl::on_text;
    // The same callback, so that libxml2 never tries to tell "ignorable" whitespace apart.
    sax.ignorableWhitespace = &Impl::on_text;
    sax.cdataBlock = &Impl::on_text;
    sax.comment = &Impl::on_comment;
    sax.processingInstruction = &Impl::on_processing_instruction;
    sax.reference = &Impl::on_reference;
    sax.serror = &Impl::on_error;
    // internalSubset, externalSubset, entityDecl, getEntity, getParameterEntity and
    // resolveEntity stay null: DTD declarations are not recorded and nothing is ever loaded.
    return sax;
}

void ResponseReader::Impl::parse(std::string_view bytes, bool terminate) {
    QuietErrors quiet;
    do {
        const std::size_t size = std::min(bytes.size(), k_max_slice);
        const bool last = size == bytes.size();
        xmlParseChunk(parser.get(), bytes.data(), static_cast<int>(size),
                      terminate && last ? 1 : 0);
        bytes.remove_prefix(size);
        check();
    } while (!bytes.empty());
}

void ResponseReader::Impl::check() {
    if (exception) {
        done = true;
        std::rethrow_exception(exception);
    }
    if (parser->wellFormed == 0) {
        done = true;
        if (first_error) {
            throw XmlError("malformed XML at line " + std::to_string(first_error->line) +
                               ", column " + std::to_string(first_error->column) + ": " +
                               first_error->message,
                           first_error->line, first_error->column);
        }
        const xmlError* last = xmlCtxtGetLastError(parser.get());
        const int line = last != nullptr ? last->line : 0;
        const int column = last != nullptr ? last->int2 : 0;
        std::string message =
            last != nullptr && last->message != nullptr ? last->message : "not well-formed";
        while (!message.empty() && message.back() == '\n') {
            message.pop_back();
        }
        throw XmlError("malformed XML at line " + std::to_string(line) + ", column " +
                           std::to_string(column) + ": " + message,
                       line, column);
    }
}

ResponseReader::ResponseReader(ResponseHandler& handler, const ReaderLimits& limits)
    : m_impl(std::make_unique<Impl>(handler, limits)) {
    static std::once_flag initialized;
    std::call_once(initialized, [] { xmlInitParser(); });
    xmlSAXHandler sax = Impl::sax_handler();
    m_impl->parser.reset(xmlCreatePushParserCtxt(&sax, m_impl.get(), nullptr, 0, nullptr));
    if (!m_impl->parser) {
        throw std::bad_alloc();
    }
    xmlCtxtUseOptions(m_impl->parser.get(), k_parse_options);
    m_impl->builder.use_dictionary(m_impl->parser->dict);
}

ResponseReader::~ResponseReader() = default;

void ResponseReader::feed(std::string_view bytes) {
    if (m_impl->done) {
        throw std::logic_error("ResponseReader::feed after finish() or an error");
    }
    m_impl->builder.summary().bytes += bytes.size();
    m_impl->buffer.clear();
    m_impl->repair.repair(bytes, m_impl->buffer);
    if (!m_impl->buffer.empty()) {
        m_impl->parse(m_impl->buffer, false);
    }
}

ResponseSummary ResponseReader::finish() {
    if (m_impl->done) {
        throw std::logic_error("ResponseReader::finish after finish() or an error");
    }
    m_impl->buffer.clear();
    m_impl->repair.finish(m_impl->buffer);
    try {
        m_impl->parse(m_impl->buffer, true);
    } catch (const XmlError& error) {
        // libxml2 2.9 words both of these "Extra content at the end of the document".
        if (m_impl->builder.open_elements() > 0) {
            throw XmlError(std::string("truncated response, the document ends inside an open "
                                       "element: ") +
                               error.what(),
                           error.line(), error.column());
        }
        if (!m_impl->builder.root_seen()) {
            throw XmlError(std::string("empty response, no root element: ") + error.what(),
                           error.line(), error.column());
        }
        throw;
    }
    m_impl->done = true;
    if (!m_impl->builder.root_seen()) {
        throw NotOaiPmhError("not an OAI-PMH response: no root element");
    }
    ResponseSummary summary = m_impl->builder.summary();
    summary.repaired_characters = m_impl->repair.repaired() + m_impl->dropped_references;
    return summary;
}

}  // namespace oaiharvest::oai
