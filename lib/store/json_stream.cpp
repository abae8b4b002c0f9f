#include "store/json_stream.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/sql_functions.hpp"

namespace oaiharvest::store::detail {
namespace {

constexpr std::size_t k_batch = 256;
constexpr std::size_t k_batches_ahead = 2;

struct Batch {
    std::vector<std::string> json;  // its strings' buffers are reused batch after batch
    std::size_t size = 0;
};

}  // namespace

void stream_json(sql::Database& db, sql::Statement& stmt,
                 const std::function<void(const std::string&)>& visit) {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Batch> ready;
    std::vector<Batch> spare;
    bool finished = false;
    bool stop = false;
    std::exception_ptr error;

    auto read = [&] {
        try {
            DictionaryCache dictionaries;
            Batch batch;
            for (bool more = true; more;) {
                more = stmt.step();
                if (more) {
                    if (batch.json.size() <= batch.size) {
                        batch.json.emplace_back();
                    }
                    try {
                        read_stored_text(db.handle(), dictionaries, stmt.blob(0),
                                         batch.json[batch.size]);
                    } catch (const std::runtime_error& e) {
                        db.fail(std::string("reading a record's JSON: ") + e.what());
                    }
                    ++batch.size;
                }
                if (batch.size == k_batch || (!more && batch.size > 0)) {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] { return stop || ready.size() < k_batches_ahead; });
                    if (stop) {
                        return;
                    }
                    ready.push_back(std::move(batch));
                    batch = Batch{};
                    if (!spare.empty()) {
                        batch = std::move(spare.back());
                        spare.pop_back();
                        batch.size = 0;
                    }
                    changed.notify_all();
                }
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            error = std::current_exception();
        }
        std::lock_guard lock(mutex);
        finished = true;
        changed.notify_all();
    };

    std::thread reader(read);
    try {
        while (true) {
            Batch batch;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return !ready.empty() || finished; });
                if (ready.empty()) {
                    break;
                }
                batch = std::move(ready.front());
                ready.pop_front();
                changed.notify_all();
            }
            for (std::size_t i = 0; i < batch.size; ++i) {
                visit(batch.json[i]);
            }
            std::lock_guard lock(mutex);
            spare.push_back(std::move(batch));
        }
    } catch (...) {
        {
            std::lock_guard lock(mutex);
            stop = true;
            changed.notify_all();
        }
        reader.join();
        throw;
    }
    reader.join();
    if (error) {
        std::rethrow_exception(error);
    }
}

}  // namespace oaiharvest::store::detail
