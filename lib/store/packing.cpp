#include "store/packing.hpp"

#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <random>
#include <stdexcept>

namespace oaiharvest::store::detail {
namespace {

// Level 3 is zstd's default; with a dictionary the higher levels gained little on EPrints METS
// and cost the reading thread more than they saved the committing one.
constexpr int k_level = 3;
constexpr std::size_t k_dictionary_bytes = 64U << 10;
constexpr std::size_t k_scratch_kept = 1U << 20;

struct CCtxFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per thread: a context is not thread-safe, and making one per call costs more
// than packing a small record.
ZSTD_CCtx& compression_context() {
    thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> context(ZSTD_createCCtx());
    if (!context) {
        throw std::runtime_error("zstd: cannot allocate a compression context");
    }
    return *context;
}

ZSTD_DCtx& decompression_context() {
    thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> context(ZSTD_createDCtx());
    if (!context) {
        throw std::runtime_error("zstd: cannot allocate a decompression context");
    }
    return *context;
}

[[noreturn]] void fail(const char* what, std::size_t code) {
    throw std::runtime_error(std::string("zstd: ") + what + ": " + ZSTD_getErrorName(code));
}

}  // namespace

std::string_view kind_name(PackedKind kind) {
    return kind == PackedKind::metadata ? "metadata" : "json";
}

Dictionary::Dictionary(std::uint32_t id, std::string bytes, PackedKind kind, std::int64_t samples)
    : m_id(id), m_bytes(std::move(bytes)), m_kind(kind), m_samples(samples) {
    m_ddict = ZSTD_createDDict(m_bytes.data(), m_bytes.size());
    if (!m_ddict || ZSTD_getDictID_fromDDict(static_cast<ZSTD_DDict*>(m_ddict)) != id) {
        ZSTD_freeDDict(static_cast<ZSTD_DDict*>(m_ddict));
        throw std::runtime_error("zstd dictionary " + std::to_string(id) +
                                 " cannot be loaded (damaged, or not the dictionary it names)");
    }
}

const void* Dictionary::compression() const {
    std::call_once(m_cdict_made,
                   [this] { m_cdict = ZSTD_createCDict(m_bytes.data(), m_bytes.size(), k_level); });
    if (!m_cdict) {
        throw std::runtime_error("zstd: cannot make the compression tables of dictionary " +
                                 std::to_string(m_id));
    }
    return m_cdict;
}

Dictionary::~Dictionary() {
    ZSTD_freeCDict(static_cast<ZSTD_CDict*>(m_cdict));
    ZSTD_freeDDict(static_cast<ZSTD_DDict*>(m_ddict));
}

std::string pack(std::string_view plain, const Dictionary* dictionary) {
    auto& context = compression_context();
    // Into a scratch buffer of zstd's bound, then copied at its size: a frame is a few percent
    // of its record, and a string sized to the bound kept that capacity for the whole page
    // (600 KB of a harvest's peak heap).
    thread_local std::string scratch;
    std::size_t size = 0;
    scratch.resize_and_overwrite(ZSTD_compressBound(plain.size()), [&](char* buffer,
                                                                       std::size_t n) {
        size = dictionary
                   ? ZSTD_compress_usingCDict(
                         &context, buffer, n, plain.data(), plain.size(),
                         static_cast<const ZSTD_CDict*>(dictionary->compression()))
                   : ZSTD_compressCCtx(&context, buffer, n, plain.data(), plain.size(), k_level);
        return ZSTD_isError(size) ? 0 : size;
    });
    if (ZSTD_isError(size)) {
        fail("compressing", size);
    }
    std::string frame(scratch);
    if (scratch.capacity() > k_scratch_kept) {
        scratch = std::string();  // after a huge record: not held for the thread's life
    }
    return frame;
}

bool is_packed(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 4 && bytes[0] == 0x28 && bytes[1] == 0xB5 && bytes[2] == 0x2F &&
           bytes[3] == 0xFD;
}

std::uint32_t dictionary_id(std::span<const std::uint8_t> frame) {
    return ZSTD_getDictID_fromFrame(frame.data(), frame.size());
}

void unpack_into(std::string& out, std::span<const std::uint8_t> frame,
                 const Dictionary* dictionary) {
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
        throw std::runtime_error("zstd: a stored value is not a complete frame");
    }
    if (size > k_max_unpacked) {
        throw std::runtime_error("zstd: a stored value unpacks to more than 1 GiB");
    }
    auto& context = decompression_context();
    std::size_t done = 0;
    // Written straight into the string's buffer: no zero fill, no copy.
    out.resize_and_overwrite(static_cast<std::size_t>(size), [&](char* buffer, std::size_t n) {
        done = dictionary ? ZSTD_decompress_usingDDict(
                                &context, buffer, n, frame.data(), frame.size(),
                                static_cast<const ZSTD_DDict*>(dictionary->decompression()))
                          : ZSTD_decompressDCtx(&context, buffer, n, frame.data(), frame.size());
        return ZSTD_isError(done) ? 0 : done;
    });
    if (ZSTD_isError(done)) {
        fail("decompressing a stored value", done);
    }
    if (done != size) {
        throw std::runtime_error("zstd: a stored value is shorter than its frame says");
    }
}

std::string unpack(std::span<const std::uint8_t> frame, const Dictionary* dictionary) {
    std::string out;
    unpack_into(out, frame, dictionary);
    return out;
}

std::optional<std::string> train_dictionary(const TrainingSamples& samples, std::uint32_t& id) {
    // zstd reserves IDs below 32768; above 2^31 some tools read them as negative.
    static thread_local std::mt19937 random{std::random_device{}()};
    id = std::uniform_int_distribution<std::uint32_t>(1U << 15, (1U << 31) - 1)(random);
    std::string dictionary(std::min(k_dictionary_bytes, samples.joined.size()), '\0');
    ZDICT_fastCover_params_t params{};
    // One training with fixed parameters rather than ZDICT_optimizeTrainFromBuffer_fastCover's
    // search: on the bench corpus the search chose segments of 50 bytes for the JSON, whose
    // frames then came out twice the size they have with segments of a record's size (4 KB:
    // JSON 704 -> 322 KB, METS 354 -> 332 KB over 2,700 records), and its trials cost half a
    // billion instructions and a megabyte of peak memory per dictionary.
    params.k = static_cast<unsigned>(std::min<std::size_t>(4096, dictionary.size()));
    params.d = 8;
    // A frequency table of 2^15 entries (128 KiB) rather than zstd's default 2^20 (4 MiB):
    // 1.5 MiB less of a harvest's peak memory than 2^18, and frames as small (2^15 to 2^20 all
    // within 3 % of each other on the bench corpus's METS and JSON).
    params.f = 15;
    params.accel = 1;
    params.nbThreads = 1;
    params.zParams.compressionLevel = k_level;
    params.zParams.dictID = id;
    if (params.k < params.d) {
        return std::nullopt;
    }
    const std::size_t size = ZDICT_trainFromBuffer_fastCover(
        dictionary.data(), dictionary.size(), samples.joined.data(), samples.sizes.data(),
        static_cast<unsigned>(samples.sizes.size()), params);
    if (ZDICT_isError(size)) {
        return std::nullopt;
    }
    dictionary.resize(size);
    return dictionary;
}

ScopePacker::ScopePacker(std::shared_ptr<const Dictionary> metadata,
                         std::shared_ptr<const Dictionary> json) {
    m_metadata.dictionary = std::move(metadata);
    m_json.dictionary = std::move(json);
}

std::string ScopePacker::pack(PackedKind kind, std::string_view plain,
                              std::vector<std::shared_ptr<const Dictionary>>& used) {
    std::shared_ptr<const Dictionary> dictionary;
    {
        std::lock_guard lock(m_mutex);
        auto& s = slot(kind);
        if (!s.dictionary && !s.gave_up) {
            s.samples.add(plain);
            if (s.samples.count() >= k_training_samples ||
                s.samples.joined.size() >= k_training_bytes) {
                std::uint32_t id = 0;
                if (auto bytes = train_dictionary(s.samples, id)) {
                    s.dictionary = std::make_shared<const Dictionary>(
                        id, std::move(*bytes), kind, static_cast<std::int64_t>(s.samples.count()));
                } else {
                    s.gave_up = true;
                }
                s.samples = TrainingSamples();
            }
        }
        dictionary = s.dictionary;
    }
    if (dictionary && std::none_of(used.begin(), used.end(),
                                   [&](const auto& d) { return d.get() == dictionary.get(); })) {
        used.push_back(dictionary);
    }
    return detail::pack(plain, dictionary.get());
}

}  // namespace oaiharvest::store::detail
