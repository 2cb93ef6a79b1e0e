// Work over [0, n) cut into contiguous parts, one per core: the one way the
// library spreads a pass over every account across threads (results rendered
// in batches, the report's results).
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <future>
#include <system_error>
#include <thread>
#include <vector>

namespace crmtier {

// How many parts for_parts() cuts n items into: up to `threads` (0: one per
// core), each at least `min_part` items (starting a thread costs more than a
// few hundred small items), at least one.
inline std::size_t part_count(std::size_t n, unsigned threads, std::size_t min_part) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    return std::max<std::size_t>(1, std::min<std::size_t>(threads, n / std::max<std::size_t>(1, min_part)));
}

// Calls fn(part, from, to) for each of part_count(n, threads, min_part)
// contiguous parts of [0, n), part p covering [n * p / parts, n * (p + 1) /
// parts): part 0 on this thread, the others on their own threads (on this
// one, after part 0, when no thread can be started). Returns once every part
// has ended, even when one throws; then rethrows the first part's error.
// Returns the number of parts.
template <class Fn>
std::size_t for_parts(std::size_t n, unsigned threads, std::size_t min_part, Fn&& fn) {
    const std::size_t parts = part_count(n, threads, min_part);
    const auto cut = [&](std::size_t p) { return n * p / parts; };
    if (parts == 1) {
        fn(std::size_t{0}, std::size_t{0}, n);
        return 1;
    }
    std::vector<std::future<void>> others;
    others.reserve(parts - 1);
    for (std::size_t p = 1; p < parts; ++p) {
        const auto run = [&fn, p, from = cut(p), to = cut(p + 1)] { fn(p, from, to); };
        try {
            others.push_back(std::async(std::launch::async, run));
        } catch (const std::system_error&) {  // no thread to be had: on this one, later
            others.push_back(std::async(std::launch::deferred, run));
        }
    }
    std::exception_ptr error;
    try {
        fn(std::size_t{0}, cut(0), cut(1));
    } catch (...) {
        error = std::current_exception();
    }
    for (auto& f : others) {
        try {
            f.get();
        } catch (...) {
            if (!error) error = std::current_exception();
        }
    }
    if (error) std::rethrow_exception(error);
    return parts;
}

}  // namespace crmtier
