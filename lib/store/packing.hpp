#pragma once
// How the SQLite store keeps each record's raw XML and JSON small: zstd frames, made with a
// dictionary trained on the endpoint's own records in that format, so that what every record
// of a repository repeats (the METS wrapper, the rights statement, the JSON keys) is stored once,
// in the dictionary, rather than in every row. Internal to the store.
//
// A frame names its dictionary (zstd's dictionary ID, the `dictionaries` table's id), so a
// reader needs nothing but the frame and that table. A value not starting with the zstd magic
// number is returned as it is.
//
// Threads: every function here may be called from any thread; Dictionary is immutable once
// made, and ScopePacker takes its own lock.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::store::detail {

// What a dictionary was trained on: a format's raw metadata XML, or the record JSON made of it.
enum class PackedKind { metadata, json };
std::string_view kind_name(PackedKind kind);

class Dictionary {
public:
    // bytes: a zstd dictionary whose ID is `id` (ZDICT_getDictID), trained on `samples` values
    // of `kind`. Throws std::runtime_error when zstd cannot load it.
    Dictionary(std::uint32_t id, std::string bytes, PackedKind kind = PackedKind::metadata,
               std::int64_t samples = 0);
    ~Dictionary();
    Dictionary(const Dictionary&) = delete;
    Dictionary& operator=(const Dictionary&) = delete;

    std::uint32_t id() const { return m_id; }
    PackedKind kind() const { return m_kind; }
    std::int64_t samples() const { return m_samples; }
    const std::string& bytes() const { return m_bytes; }
    // ZSTD_CDict, made on first use (safe from any thread): it costs 5 million instructions, a
    // quarter of a harvest that finds nothing new. Throws std::runtime_error when zstd cannot.
    const void* compression() const;
    const void* decompression() const { return m_ddict; }  // ZSTD_DDict

private:
    std::uint32_t m_id;
    std::string m_bytes;
    PackedKind m_kind;
    std::int64_t m_samples;
    mutable std::once_flag m_cdict_made;
    mutable void* m_cdict = nullptr;
    void* m_ddict = nullptr;
};

// One zstd frame of `plain`, with the dictionary when there is one. Throws std::runtime_error
// naming zstd's error.
std::string pack(std::string_view plain, const Dictionary* dictionary);

// True when the bytes are a zstd frame.
bool is_packed(std::span<const std::uint8_t> bytes);
// The dictionary a frame was made with; 0 when none.
std::uint32_t dictionary_id(std::span<const std::uint8_t> frame);
// The bytes packed into `frame`. dictionary must be the one dictionary_id() names (nullptr for
// 0). Throws std::runtime_error on a damaged frame or a frame larger than k_max_unpacked.
std::string unpack(std::span<const std::uint8_t> frame, const Dictionary* dictionary);
// The same into `out`, reusing its buffer: for readers that unpack row after row.
void unpack_into(std::string& out, std::span<const std::uint8_t> frame,
                 const Dictionary* dictionary);
inline constexpr std::size_t k_max_unpacked = std::size_t{1} << 30;

// Values to train a dictionary on, kept as zstd's trainer takes them: one buffer and the
// sizes, so that training makes no second copy.
struct TrainingSamples {
    std::string joined;
    std::vector<std::size_t> sizes;
    void add(std::string_view value) {
        joined += value;
        sizes.push_back(value.size());
    }
    std::size_t count() const { return sizes.size(); }
};

// Trains a dictionary on the samples; nullopt when zstd finds too little in common (too few or
// too small samples). The id is random, above zstd's reserved range.
std::optional<std::string> train_dictionary(const TrainingSamples& samples, std::uint32_t& id);

// Packs one endpoint's records in one format. Without a dictionary it keeps copies of the first
// k_training_samples values of each kind, packs them without one, and then trains one from
// them; later values are packed with it. A dictionary made here must be saved (dictionaries())
// in the transaction of the first row packed with it.
class ScopePacker {
public:
    static constexpr std::size_t k_training_samples = 256;
    static constexpr std::size_t k_training_bytes = 512U << 10;

    // The dictionaries stored for the endpoint and format, either null when none yet.
    ScopePacker(std::shared_ptr<const Dictionary> metadata, std::shared_ptr<const Dictionary> json);

    // used: the dictionary the frame was made with, if any, is added (once) to it.
    std::string pack(PackedKind kind, std::string_view plain,
                     std::vector<std::shared_ptr<const Dictionary>>& used);

private:
    struct Slot {
        std::shared_ptr<const Dictionary> dictionary;
        TrainingSamples samples;
        bool gave_up = false;  // training failed: pack without one from here on
    };
    Slot& slot(PackedKind kind) { return kind == PackedKind::metadata ? m_metadata : m_json; }
    std::mutex m_mutex;
    Slot m_metadata;
    Slot m_json;
};

}  // namespace oaiharvest::store::detail
