#pragma once
// CharRepair: the byte filter in front of libxml2. Real servers send bytes that are not XML:
// control characters pasted from word processors, Latin-1 in a "UTF-8" response, references
// such as "&#1;" to characters XML forbids. libxml2 stops at the first of them and the whole
// page would be lost, so each is repaired on the way in, and counted:
//   - C0 control characters other than TAB, LF and CR are dropped;
//   - each ill-formed UTF-8 sequence (Unicode's "maximal subpart") becomes U+FFFD, and so do
//     U+FFFE and U+FFFF, which XML forbids;
//   - a numeric character reference to a code point XML forbids (&#0; &#x1F; &#xD800; ...) is
//     dropped.
// Input may be split anywhere, inside a UTF-8 sequence or a reference included: what cannot be
// judged yet is held back until the next chunk.
//
// The encoding is read from the XML declaration first. A response declared in another
// ASCII-compatible encoding (ISO-8859-1, windows-1252) gets only the control-character and
// reference repairs; UTF-16 and other encodings that are not ASCII-compatible pass untouched.
//
// Known limit: references are recognized everywhere, so "&#1;" written inside a CDATA section or
// a comment is dropped too.
//
// Not thread-safe; one filter per response.

#include <cstdint>
#include <string>
#include <string_view>

namespace oaiharvest::oai::detail {

class CharRepair {
public:
    // Appends the repaired form of bytes to out (which is not cleared).
    void repair(std::string_view bytes, std::string& out);
    // Ends the input: appends what was held back. An unfinished UTF-8 sequence becomes U+FFFD;
    // an unfinished reference is passed on as it is (libxml2 will report it).
    void finish(std::string& out);
    // How many characters were dropped or replaced so far.
    std::uint64_t repaired() const { return m_repaired; }

private:
    enum class Mode : std::uint8_t { sniffing, utf8, ascii_compatible, raw };
    // text: nothing held back. utf8: m_pending holds the valid start of a UTF-8 sequence. The
    // others: m_pending holds the start of a character reference ("&", "&#", "&#12", "&#x").
    enum class State : std::uint8_t { text, utf8, amp, hash, decimal, hex_start, hex };

    bool decide_mode(bool final);
    void process(const unsigned char* p, const unsigned char* end, std::string& out);
    const unsigned char* decode_utf8(const unsigned char* p, const unsigned char* end,
                                     std::string& out);
    const unsigned char* continue_utf8(const unsigned char* p, const unsigned char* end,
                                       std::string& out);
    const unsigned char* continue_reference(const unsigned char* p, std::string& out);
    void end_reference(std::string& out);
    void flush_pending(std::string& out);

    Mode m_mode = Mode::sniffing;
    State m_state = State::text;
    std::string m_head;     // the first bytes, until the encoding is known
    std::string m_pending;  // bytes held back (see State)
    std::uint32_t m_reference_value = 0;
    std::uint64_t m_repaired = 0;
};

}  // namespace oaiharvest::oai::detail
