#include "support/changing_repository.hpp"

#include <algorithm>
#include <tuple>

#include "support/changing_repository_oai.hpp"

namespace oaiharvest::testing {

using changing::in_set;
using changing::newest_entries;
using changing::offers;

ChangingRepository::ChangingRepository(ServerBehaviour behaviour, std::string base_url)
    : m_behaviour(std::move(behaviour)), m_base_url(std::move(base_url)) {}

void ChangingRepository::put(ServedRecord record) {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_entries,
                  [&](const ServedRecord& entry) { return entry.identifier == record.identifier; });
    m_gone.erase(record.identifier);
    m_entries.push_back(std::move(record));
}

void ChangingRepository::add_duplicate(ServedRecord record) {
    std::lock_guard lock(m_mutex);
    m_gone.erase(record.identifier);
    m_entries.push_back(std::move(record));
}

void ChangingRepository::remove(const std::string& identifier) {
    std::lock_guard lock(m_mutex);
    if (auto newest = newest_entries(m_entries); newest.contains(identifier)) {
        m_gone[identifier] = *newest.at(identifier);
    }
    std::erase_if(m_entries,
                  [&](const ServedRecord& entry) { return entry.identifier == identifier; });
}

void ChangingRepository::set_behaviour(ServerBehaviour behaviour) {
    std::lock_guard lock(m_mutex);
    m_behaviour = std::move(behaviour);
}

ServerBehaviour ChangingRepository::behaviour() const {
    std::lock_guard lock(m_mutex);
    return m_behaviour;
}

void ChangingRepository::set_base_url(std::string base_url) {
    std::lock_guard lock(m_mutex);
    m_base_url = std::move(base_url);
}

std::vector<ServedRecord> ChangingRepository::records() const {
    std::lock_guard lock(m_mutex);
    return ordered_locked();
}

void ChangingRepository::on_list_page(ListPageHook hook) {
    std::lock_guard lock(m_mutex);
    m_hook = std::move(hook);
}

std::vector<ServedRecord> ChangingRepository::ordered_locked() const {
    std::vector<ServedRecord> ordered = m_entries;
    if (m_behaviour.order == ServerBehaviour::Order::datestamp) {
        std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
            return std::tie(a.datestamp, a.identifier) < std::tie(b.datestamp, b.identifier);
        });
    } else {
        std::stable_sort(ordered.begin(), ordered.end(),
                         [](const auto& a, const auto& b) { return a.identifier < b.identifier; });
    }
    return ordered;
}

std::string ChangingRepository::answer(const sample::QueryArgs& query) {
    changing::Request request = changing::read_request(query, behaviour().day_granularity);
    if (request.list && !request.error) {
        ListPageHook hook;
        {
            std::lock_guard lock(m_mutex);
            hook = m_hook;
        }
        // Without the lock: the hook edits this repository.
        if (hook) {
            hook(request.list->page, *this);
        }
    }
    changing::Snapshot snapshot;
    {
        std::lock_guard lock(m_mutex);
        snapshot = {m_behaviour, m_base_url, ordered_locked()};
    }
    return changing::respond(request, snapshot);
}

Script ChangingRepository::script() {
    return [this](const RequestInfo& request) -> std::optional<Fault> {
        return Respond{200, {}, answer(request.args), "text/xml; charset=UTF-8"};
    };
}

std::map<std::string, Expected> ChangingRepository::expected_view(
    const std::string& prefix, const std::vector<std::string>& sets) const {
    std::lock_guard lock(m_mutex);
    std::map<std::string, Expected> view;
    auto add = [&](const ServedRecord& record, Expected::Status status) {
        if (!offers(record, prefix)) {
            return;
        }
        if (!sets.empty() && std::none_of(sets.begin(), sets.end(), [&](const std::string& s) {
                return in_set(record.sets, s);
            })) {
            return;
        }
        Expected expected{status, record.datestamp, record.sets, {}};
        std::sort(expected.sets.begin(), expected.sets.end());
        if (auto title = record.titles.find(prefix); title != record.titles.end()) {
            expected.title = title->second;
        }
        view[record.identifier] = std::move(expected);
    };
    for (const auto& [identifier, record] : newest_entries(m_entries)) {
        add(*record, record->deleted ? Expected::Status::deleted : Expected::Status::live);
    }
    for (const auto& [identifier, record] : m_gone) {
        add(record, Expected::Status::gone);
    }
    return view;
}

}  // namespace oaiharvest::testing
