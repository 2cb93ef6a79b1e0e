// crmtier_bench: the C ABI half of the benchmark of issue 5 (docs/performance.md).
//
// It knows the plugin only through abi/crmtier.h, as a host does, and measures
// on one canonical JSON Lines portfolio:
//   1. bulk load + full scoring (load, then a cursor over every account's
//      result): wall time, records/s, MB/s;
//   2. memory: peak RSS of the process, the heap the engine keeps (bytes per
//      account and per invoice, from a second, accounts-only engine);
//   3. on-save latency over a realistic, seeded mix of saves (account edits,
//      new invoices, re-saved invoices, lost deals = revenue deletes, new
//      prospects, saves of the top account that move the benchmark), each
//      timed around crmtier_engine_save() with the result rendered and freed,
//      as a host's save handler would; and how many accounts each save really
//      changed, from the change feed;
//   4. the sales plan page (crmtier_engine_report): bytes and time of the
//      page of every rep, and of the page with the movers of the last 30
//      days (which scores a private copy of the portfolio: its memory too).
// It also writes every account's tier, colour and next-contact date (for the
// comparison with the pandas peer) and the save mix it used (for the Python
// binding's replay, bench/py_latency.py), and prints one JSON object of figures.
//
//   crmtier_bench --input p.jsonl --as-of 2026-11-30 [--saves 100000]
//       [--warmup 2000] [--seed 1] [--results plugin.csv] [--mix saves.tsv]
//       [--json metrics.json]
#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "crmtier.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}
// CPU time of the process (user + system), s: unlike wall time, it does not
// count the time other processes on a busy machine took from us.
double cpu_seconds() {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU time of the calling thread alone, s.
double thread_cpu_seconds() {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// User and system CPU time of the process, apart.
struct Cpu {
    double user = 0, sys = 0;
};
Cpu cpu_now() {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return {static_cast<double>(u.ru_utime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec) / 1e6,
            static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) / 1e6};
}
Cpu operator-(Cpu a, Cpu b) { return {a.user - b.user, a.sys - b.sys}; }

// The floor a bulk load is compared with: simdjson On-Demand (a SIMD JSON
// parser) reading every field of every record of the same text, one line at
// a time, and nothing else: each key, each string (unescaped), the raw text
// of each number, each boolean. `text` has SIMDJSON_PADDING readable bytes
// after `size`. Returns the records read; exits on a line it cannot read.
std::size_t simdjson_pass(const char* text, std::size_t size, std::size_t capacity, std::uint64_t& sink) {
    namespace od = simdjson::ondemand;
    od::parser parser;
    std::size_t n = 0;
    for (const char* p = text; p < text + size;) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(text + size - p)));
        if (!nl) nl = text + size;
        const std::size_t len = static_cast<std::size_t>(nl - p);
        if (len > 0) {
            od::document doc;
            od::object obj;
            auto error = parser.iterate(simdjson::padded_string_view(p, len, capacity - static_cast<std::size_t>(p - text)))
                             .get(doc);
            if (!error) error = doc.get_object().get(obj);
            if (!error)
                for (auto field : obj) {
                    std::string_view key, str;
                    bool b;
                    if ((error = field.unescaped_key().get(key))) break;
                    od::value v = field.value();
                    od::json_type type;
                    if ((error = v.type().get(type))) break;
                    switch (type) {
                        case od::json_type::string:
                            if ((error = v.get_string().get(str))) break;
                            sink += str.size();
                            break;
                        case od::json_type::number: sink += v.raw_json_token().size(); break;
                        case od::json_type::boolean:
                            if ((error = v.get_bool().get(b))) break;
                            sink += b;
                            break;
                        default: break;
                    }
                    if (error) break;
                    sink += key.size();
                }
            if (error) {
                std::fprintf(stderr, "crmtier_bench: simdjson pass: record %zu: %s\n", n + 1,
                             simdjson::error_message(error));
                std::exit(1);
            }
            ++n;
        }
        p = nl + 1;
    }
    return n;
}

void check(int status, const char* what) {
    if (status != CRMTIER_OK) {
        std::fprintf(stderr, "crmtier_bench: %s: %s: %s\n", what, crmtier_status_string(status),
                     crmtier_last_error());
        std::exit(1);
    }
}

// --- /proc and malloc figures ---------------------------------------------------
long proc_status_kb(const char* field) {
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(field);
    while (std::getline(f, line))
        if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
            return std::strtol(line.c_str() + n + 1, nullptr, 10);
    return -1;
}
// Resets VmHWM to the current RSS (Linux >= 4.0), so a peak can be taken
// around one step.
void reset_peak_rss() {
    std::ofstream f("/proc/self/clear_refs");
    f << "5";
}
std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

// --- Tiny field extraction from the generator's / the plugin's JSON ------------------
// Only ever applied to text we know the shape of (generator output, plugin
// results): the value of "key":"..." or "key":number.
std::string_view str_field(std::string_view obj, std::string_view key) {
    std::string pat(1, '"');
    pat.append(key).append("\":\"");
    const std::size_t p = obj.find(pat);
    if (p == std::string_view::npos) return {};
    const std::size_t b = p + pat.size();
    const std::size_t e = obj.find('"', b);
    return obj.substr(b, e - b);
}
std::string_view num_field(std::string_view obj, std::string_view key) {
    std::string pat(1, '"');
    pat.append(key).append("\":");
    const std::size_t p = obj.find(pat);
    if (p == std::string_view::npos) return {};
    const std::size_t b = p + pat.size();
    std::size_t e = b;
    while (e < obj.size() && obj[e] != ',' && obj[e] != '}') ++e;
    return obj.substr(b, e - b);
}

// Days <-> YYYY-MM-DD (civil calendar, Howard Hinnant's algorithms).
long days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}
std::string civil(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
    return buf;
}
long parse_day(std::string_view s) {
    return days_from_civil(std::atoi(std::string(s.substr(0, 4)).c_str()),
                           static_cast<unsigned>(std::atoi(std::string(s.substr(5, 2)).c_str())),
                           static_cast<unsigned>(std::atoi(std::string(s.substr(8, 2)).c_str())));
}

struct Percentiles {
    std::size_t n = 0;
    double mean = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};
// Nearest-rank percentiles, in microseconds.
Percentiles percentiles(std::vector<std::uint64_t> ns) {
    Percentiles p;
    p.n = ns.size();
    if (ns.empty()) return p;
    std::sort(ns.begin(), ns.end());
    auto at = [&](double q) {
        std::size_t k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ns.size())));
        if (k < 1) k = 1;
        return static_cast<double>(ns[k - 1]) / 1000.0;
    };
    double sum = 0;
    for (auto v : ns) sum += static_cast<double>(v);
    p.mean = sum / static_cast<double>(ns.size()) / 1000.0;
    p.p50 = at(0.50);
    p.p90 = at(0.90);
    p.p99 = at(0.99);
    p.p999 = at(0.999);
    p.max = static_cast<double>(ns.back()) / 1000.0;
    return p;
}

std::string pct_json(const Percentiles& p) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"n\":%zu,\"mean_us\":%.3f,\"p50_us\":%.3f,\"p90_us\":%.3f,\"p99_us\":%.3f,"
                  "\"p999_us\":%.3f,\"max_us\":%.3f}",
                  p.n, p.mean, p.p50, p.p90, p.p99, p.p999, p.max);
    return buf;
}

struct Options {
    std::string input, as_of = "2026-11-30", results, mix, json;
    std::size_t saves = 100000, warmup = 2000;
    std::uint64_t seed = 1;
};

Options parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--input") o.input = next();
        else if (a == "--as-of") o.as_of = next();
        else if (a == "--saves") o.saves = std::stoul(next());
        else if (a == "--warmup") o.warmup = std::stoul(next());
        else if (a == "--seed") o.seed = std::stoull(next());
        else if (a == "--results") o.results = next();
        else if (a == "--mix") o.mix = next();
        else if (a == "--json") o.json = next();
        else throw std::runtime_error("unknown option " + a);
    }
    if (o.input.empty()) throw std::runtime_error("--input is required");
    return o;
}

// The kinds of save in the mix, with their share (percent).
enum Kind { AccountEdit, NewInvoice, ResaveInvoice, LostDeal, NewProspect, TopAccount, kKinds };
const char* const kKindName[kKinds] = {"account_edit", "new_invoice", "resaved_invoice",
                                       "lost_deal", "new_prospect", "top_account_moves_benchmark"};
const int kKindShare[kKinds] = {35, 30, 18, 10, 5, 2};

struct Save {
    Kind kind;
    std::string json;
};

struct Invoice {
    std::string_view line;  // into the mapped input
    std::string_view id, account;
};

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    try {
        opt = parse_args(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "crmtier_bench: %s\n", e.what());
        return 2;
    }
    const long as_of_day = parse_day(opt.as_of);
    const long rss_start_kb = proc_status_kb("VmRSS");

    // --- The input, read into memory as a host would hand it over ---------------------
    const auto t_read = Clock::now();
    const int fd = open(opt.input.c_str(), O_RDONLY);
    if (fd < 0) {
        std::perror(opt.input.c_str());
        return 1;
    }
    struct stat st;
    fstat(fd, &st);
    const std::size_t size = static_cast<std::size_t>(st.st_size);
    std::string data;
    data.reserve(size + simdjson::SIMDJSON_PADDING);  // the simdjson pass reads past the end
    data.resize(size);
    for (std::size_t off = 0; off < size;) {
        const ssize_t r = read(fd, data.data() + off, size - off);
        if (r <= 0) {
            std::perror("read");
            return 1;
        }
        off += static_cast<std::size_t>(r);
    }
    close(fd);
    const double read_s = seconds_since(t_read);

    // Counts, and the records the save mix draws from (not timed).
    std::size_t n_lines = 0, n_account_lines = 0, n_revenue_lines = 0;
    std::size_t accounts_end = 0;  // the generator writes every account record first
    std::vector<std::string_view> account_lines;
    std::vector<Invoice> invoices;
    std::mt19937_64 rng(opt.seed);
    const std::size_t kPool = 400000;
    for (std::size_t pos = 0; pos < size;) {
        std::size_t end = data.find('\n', pos);
        if (end == std::string::npos) end = size;
        std::string_view line(data.data() + pos, end - pos);
        pos = end + 1;
        if (line.empty()) continue;
        ++n_lines;
        if (line.find("\"type\":\"account\"") != std::string_view::npos) {
            ++n_account_lines;
            accounts_end = pos;
            // reservoir sample
            if (account_lines.size() < kPool) account_lines.push_back(line);
            else if (std::size_t j = rng() % n_account_lines; j < kPool) account_lines[j] = line;
        } else {
            ++n_revenue_lines;
            Invoice inv{line, str_field(line, "id"), str_field(line, "account_id")};
            if (invoices.size() < kPool) invoices.push_back(inv);
            else if (std::size_t j = rng() % n_revenue_lines; j < kPool) invoices[j] = inv;
        }
    }

    // --- 0. The simdjson pass over the same text ---------------------------------------
    std::uint64_t simd_sink = 0;
    const auto t_simd = Clock::now();
    const Cpu cpu_simd0 = cpu_now();
    const std::size_t simd_records = simdjson_pass(data.data(), size, data.capacity(), simd_sink);
    const double simd_s = seconds_since(t_simd);
    const Cpu simd_cpu = cpu_now() - cpu_simd0;

    // --- 1. Bulk load + full scoring -------------------------------------------------------
    const std::string config = "{\"as_of\":\"" + opt.as_of + "\"}";
    const std::size_t heap0 = heap_in_use();
    reset_peak_rss();
    const long rss_before_load_kb = proc_status_kb("VmRSS");
    crmtier_engine* engine = nullptr;
    const auto t_load = Clock::now();
    const double cpu_load0 = cpu_seconds();
    const Cpu cpu_load_split0 = cpu_now();
    check(crmtier_engine_create(config.data(), config.size(), &engine), "create");
    std::size_t loaded = 0;
    check(crmtier_engine_load(engine, "canonical", data.data(), data.size(), &loaded), "load");
    const double load_s = seconds_since(t_load);
    const double load_cpu_s = cpu_seconds() - cpu_load0;
    const Cpu load_cpu = cpu_now() - cpu_load_split0;
    const long hwm_load_kb = proc_status_kb("VmHWM");

    // Every account's result through the cursor, as a nightly rescoring would
    // read them; tier, colour and next contact kept for the peer comparison.
    // Written as they come (not held: the memory figures are the engine's).
    FILE* results_file = nullptr;
    if (!opt.results.empty()) {
        results_file = std::fopen(opt.results.c_str(), "wb");
        if (!results_file) {
            std::perror(opt.results.c_str());
            return 1;
        }
        std::fputs("id,tier,colour,next_contact\n", results_file);
    }
    std::string csv_line;
    std::size_t n_results = 0, result_bytes = 0;
    std::string top_id;
    double top_r = -1e300;
    std::string_view tier, colour, next;
    // The benchmark's own reading of each result (the fields the peer
    // comparison needs) is host work: timed apart and left out of score_s.
    double host_read_s = 0, host_read_cpu_s = 0;
    // Rendered in batches on every core (crmtier_cursor_next_batch).
    constexpr std::size_t kBatch = 4096;  // ~5 MB of text a batch: the engine's memory figure stays the engine's
    const auto t_score = Clock::now();
    const double cpu_score0 = cpu_seconds();
    const Cpu cpu_score_split0 = cpu_now();
    crmtier_cursor* cursor = nullptr;
    check(crmtier_cursor_open(engine, "canonical", &cursor), "cursor_open");
    for (;;) {
        const char* batch = nullptr;
        std::size_t batch_len = 0;
        check(crmtier_cursor_next_batch(cursor, kBatch, 0, &batch, &batch_len, nullptr), "cursor_next_batch");
        if (!batch) break;
        const auto t_host = Clock::now();
        const double host_cpu0 = thread_cpu_seconds();
        for (std::size_t pos = 0; pos < batch_len;) {
            const char* r = batch + pos;
            const std::size_t len =
                static_cast<std::size_t>(static_cast<const char*>(std::memchr(r, '\n', batch_len - pos)) - r);
            pos += len + 1;
            ++n_results;
            result_bytes += len;
            std::string_view obj(r, len);
            // The canonical result begins {"id":"...","tier":"X",...; the fields
            // are read in their fixed order.
            const std::string_view id = str_field(obj.substr(0, 300), "id");
            tier = str_field(obj, "tier");
            colour = str_field(obj, "colour");
            next = str_field(obj, "next_contact");
            if (results_file) {
                csv_line.assign(id).append(",").append(tier).append(",").append(colour).append(",").append(next) += '\n';
                std::fwrite(csv_line.data(), 1, csv_line.size(), results_file);
            }
            const double annual = std::strtod(std::string(num_field(obj, "annual_revenue")).c_str(), nullptr);
            if (annual > top_r) {
                top_r = annual;
                top_id = std::string(id);
            }
        }
        host_read_s += seconds_since(t_host);
        host_read_cpu_s += thread_cpu_seconds() - host_cpu0;
    }
    crmtier_cursor_destroy(cursor);
    const double score_s = seconds_since(t_score) - host_read_s;
    const double score_cpu_s = cpu_seconds() - cpu_score0 - host_read_cpu_s;  // every thread's, less the host's reading
    Cpu score_cpu = cpu_now() - cpu_score_split0;
    score_cpu.user -= host_read_cpu_s;  // the host's reading is user time of this thread
    const double total_s = load_s + score_s;
    const long hwm_kb = proc_status_kb("VmHWM");
    const long rss_after_kb = proc_status_kb("VmRSS");
    const std::size_t heap_engine = heap_in_use() - heap0;
    if (results_file && std::fclose(results_file) != 0) {
        std::perror(opt.results.c_str());
        return 1;
    }

    char* stats = nullptr;
    std::size_t stats_len = 0;
    check(crmtier_engine_stats(engine, &stats, &stats_len), "stats");
    const std::string stats_json(stats, stats_len);
    crmtier_free(stats);
    const std::size_t n_accounts = std::strtoull(std::string(num_field(stats_json, "accounts")).c_str(), nullptr, 10);
    const std::size_t n_invoices =
        std::strtoull(std::string(num_field(stats_json, "revenue_records")).c_str(), nullptr, 10);
    const std::string benchmark(num_field(stats_json, "benchmark"));

    // --- The sales plan page ----------------------------------------------------------------
    // Each call timed around crmtier_engine_report() (wall and CPU: it gathers
    // the peer groups on a second thread); the page is written nowhere.
    struct PageFigures {
        double wall_ms = 0, cpu_ms = 0, peak_rss_mb = 0;
        std::size_t bytes = 0;
    };
    auto page_of = [&](const std::string& options) {
        PageFigures f;
        malloc_trim(0);
        const long rss0_kb = proc_status_kb("VmRSS");
        reset_peak_rss();
        const double cpu0 = cpu_seconds();
        const auto t0 = Clock::now();
        char* html = nullptr;
        std::size_t len = 0;
        check(crmtier_engine_report(engine, options.data(), options.size(), &html, &len), "report");
        f.wall_ms = seconds_since(t0) * 1000.0;
        f.cpu_ms = (cpu_seconds() - cpu0) * 1000.0;
        f.peak_rss_mb = static_cast<double>(proc_status_kb("VmHWM") - rss0_kb) / 1024.0;
        f.bytes = len;
        crmtier_free(html);
        return f;
    };
    const PageFigures page_all = page_of("{}");
    const std::string since = civil(as_of_day - 30);
    const PageFigures page_movers = page_of("{\"since\":\"" + since + "\"}");


    // The heap of an accounts-only engine: bytes per account; the rest of the
    // full engine's heap is the invoices'.
    std::size_t heap_accounts = 0;
    {
        const std::size_t h0 = heap_in_use();
        crmtier_engine* e2 = nullptr;
        check(crmtier_engine_create(config.data(), config.size(), &e2), "create");
        check(crmtier_engine_load(e2, "canonical", data.data(), accounts_end, nullptr), "load accounts");
        malloc_trim(0);
        heap_accounts = heap_in_use() - h0;
        crmtier_engine_destroy(e2);
    }

    // --- 2. The save mix ------------------------------------------------------------------
    // Built before any is timed, from the sampled records: deterministic for a
    // given input and seed.
    std::vector<Save> saves;
    const std::size_t n_saves = opt.warmup + opt.saves;
    saves.reserve(n_saves);
    int cum[kKinds];
    for (int k = 0, s = 0; k < kKinds; ++k) cum[k] = (s += kKindShare[k]);
    std::size_t new_inv = 0, new_acc = 0, top_flip = 0;
    // Other saves leave the top account's revenue alone, so that its credit
    // note (below) always takes it under the benchmark.
    auto pick_invoice = [&]() -> std::size_t {
        for (;;) {
            const std::size_t j = rng() % invoices.size();
            if (invoices[j].account != top_id || invoices.size() == 1) return j;
        }
    };
    auto rand_day = [&](long lo, long hi) { return lo + static_cast<long>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
    for (std::size_t i = 0; i < n_saves; ++i) {
        const int x = static_cast<int>(rng() % 100);
        Kind kind = AccountEdit;
        while (x >= cum[kind]) kind = static_cast<Kind>(kind + 1);
        if ((kind == ResaveInvoice || kind == LostDeal || kind == NewInvoice) && invoices.empty()) kind = AccountEdit;
        if (kind == TopAccount && top_id.empty()) kind = AccountEdit;
        std::string js;
        switch (kind) {
            case AccountEdit: {
                // A rep logs a contact (and now and then a new head count).
                std::string line(account_lines[rng() % account_lines.size()]);
                const std::string date = civil(rand_day(as_of_day - 20, as_of_day));
                if (std::size_t p = line.find("\"last_contact\":\""); p != std::string::npos)
                    line.replace(p + 16, 10, date);
                else
                    line.insert(line.size() - 1, ",\"last_contact\":\"" + date + "\"");
                if (rng() % 10 == 0) {
                    if (std::size_t p = line.find("\"employees\":"); p != std::string::npos) {
                        std::size_t e = p + 12;
                        while (line[e] >= '0' && line[e] <= '9') ++e;
                        line.replace(p + 12, e - p - 12, std::to_string(1 + rng() % 2000));
                    }
                }
                js = std::move(line);
                break;
            }
            case NewInvoice: {
                const Invoice& inv = invoices[pick_invoice()];
                char amount[32];
                std::snprintf(amount, sizeof amount, "%.2f",
                              std::strtod(std::string(num_field(inv.line, "amount")).c_str(), nullptr) *
                                  (0.5 + static_cast<double>(rng() % 1000) / 1000.0));
                js = "{\"type\":\"revenue\",\"id\":\"BENCH-INV-" + std::to_string(++new_inv) +
                     "\",\"account_id\":\"" + std::string(inv.account) + "\",\"date\":\"" +
                     civil(rand_day(as_of_day - 10, as_of_day)) + "\",\"amount\":" + amount +
                     ",\"product\":\"" + std::string(str_field(inv.line, "product")) + "\"}";
                break;
            }
            case ResaveInvoice: {
                const Invoice& inv = invoices[pick_invoice()];
                js = std::string(inv.line);
                if (rng() % 3 == 0) {  // corrected amount
                    const std::string_view a = num_field(inv.line, "amount");
                    const std::size_t p = js.find("\"amount\":") + 9;
                    char amount[32];
                    std::snprintf(amount, sizeof amount, "%.2f",
                                  std::strtod(std::string(a).c_str(), nullptr) * 1.1);
                    js.replace(p, a.size(), amount);
                }
                break;
            }
            case LostDeal: {
                // The deal behind an invoice is lost: its revenue is deleted.
                const std::size_t j = pick_invoice();
                js = "{\"type\":\"revenue\",\"id\":\"" + std::string(invoices[j].id) + "\",\"deleted\":true}";
                invoices[j] = invoices.back();
                invoices.pop_back();
                break;
            }
            case NewProspect: {
                std::string line(account_lines[rng() % account_lines.size()]);
                const std::string_view id = str_field(line, "id");
                const std::size_t p = line.find(id);
                line.replace(p, id.size(), "BENCH-ACC-" + std::to_string(++new_acc));
                js = std::move(line);
                break;
            }
            case TopAccount: {
                // The top account: a credit note that takes its year below
                // the benchmark (which moves), then the credit note deleted
                // again (the benchmark moves back).
                if (top_flip++ % 2 == 0) {
                    // Down to half the benchmark: one account less above the
                    // percentile's rank, one more below it.
                    char amount[40];
                    std::snprintf(amount, sizeof amount, "%.2f",
                                  -(top_r - 0.5 * std::strtod(benchmark.c_str(), nullptr)));
                    js = "{\"type\":\"revenue\",\"id\":\"BENCH-TOP-CN\",\"account_id\":\"" + top_id +
                         "\",\"date\":\"" + opt.as_of + "\",\"amount\":" + amount + ",\"product\":\"Services/Support\"}";
                } else {
                    js = "{\"type\":\"revenue\",\"id\":\"BENCH-TOP-CN\",\"deleted\":true}";
                }
                break;
            }
            default: break;
        }
        saves.push_back({kind, std::move(js)});
    }
    if (!opt.mix.empty()) {
        std::ofstream f(opt.mix, std::ios::binary);
        for (const Save& s : saves) f << kKindName[s.kind] << '\t' << s.json << '\n';
    }

    // --- 3. On-save latency ------------------------------------------------------------------
    std::vector<std::uint64_t> all_ns;
    struct rusage ru_saves;
    getrusage(RUSAGE_SELF, &ru_saves);
    std::vector<std::vector<std::uint64_t>> kind_ns(kKinds);
    all_ns.reserve(opt.saves);
    // Change feed: how many accounts a save changed. Sampled (every 10th save;
    // the first 5 benchmark moves), outside the timed call.
    std::vector<std::vector<std::size_t>> changed(kKinds);
    std::size_t feed_samples_top = 0;
    for (std::size_t i = 0; i < saves.size(); ++i) {
        const Save& s = saves[i];
        std::uint64_t seq0 = 0;
        const bool measured = i >= opt.warmup;
        const bool feed = measured && ((s.kind == TopAccount) ? feed_samples_top < 5 : (i % 10 == 0));
        if (feed) crmtier_engine_sequence(engine, &seq0);
        char* result = nullptr;
        std::size_t result_len = 0;
        const auto t0 = Clock::now();
        const int status = crmtier_engine_save(engine, "canonical", s.json.data(), s.json.size(), &result, &result_len);
        crmtier_free(result);
        const auto t1 = Clock::now();
        if (status != CRMTIER_OK) {
            std::fprintf(stderr, "crmtier_bench: save %zu (%s) failed: %s\n  %s\n", i, kKindName[s.kind],
                         crmtier_last_error(), s.json.c_str());
            return 1;
        }
        if (!measured) continue;
        const auto ns = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
        all_ns.push_back(ns);
        kind_ns[s.kind].push_back(ns);
        if (feed) {
            if (s.kind == TopAccount) ++feed_samples_top;
            char* ch = nullptr;
            std::size_t ch_len = 0;
            check(crmtier_engine_changes(engine, seq0, &ch, &ch_len), "changes");
            std::string_view v(ch, ch_len);
            const std::size_t b = v.find("\"changed\":[") + 11;
            const std::size_t e = v.find(']', b);
            std::size_t n = 0;
            if (e > b) n = static_cast<std::size_t>(std::count(v.begin() + b, v.begin() + e, ',')) + 1;
            changed[s.kind].push_back(n);
            crmtier_free(ch);
        }
    }
    const long hwm_end_kb = proc_status_kb("VmHWM");
    struct rusage ru_end;
    getrusage(RUSAGE_SELF, &ru_end);
    const long ctx_switches = ru_end.ru_nivcsw - ru_saves.ru_nivcsw;
    crmtier_engine_destroy(engine);

    double loadavg = -1;
    if (double l[1]; getloadavg(l, 1) == 1) loadavg = l[0];

    // --- Report --------------------------------------------------------------------------------
    const double mb = static_cast<double>(size) / 1e6;  // throughput in MB/s; memory figures are MiB, as RSS is
    constexpr double kMiB = 1024.0 * 1024.0;
    std::string out;
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "{\"input\":\"%s\",\"bytes\":%zu,\"lines\":%zu,\"account_lines\":%zu,\"revenue_lines\":%zu,"
                  "\"accounts\":%zu,\"invoices\":%zu,\"benchmark\":%s,\"records_loaded\":%zu,\n"
                  "\"read_s\":%.4f,\"load_s\":%.4f,\"score_s\":%.4f,\"load_score_s\":%.4f,"
                  "\"records_per_s\":%.0f,\"mb_per_s\":%.2f,\"results\":%zu,\"result_bytes\":%zu,"
                  "\"load_cpu_s\":%.4f,\"score_cpu_s\":%.4f,\"host_read_s\":%.4f,\"loadavg_1m\":%.2f,\n",
                  opt.input.c_str(), size, n_lines, n_account_lines, n_revenue_lines, n_accounts, n_invoices,
                  benchmark.c_str(), loaded, read_s, load_s, score_s, total_s,
                  static_cast<double>(n_lines) / total_s, mb / total_s, n_results, result_bytes, load_cpu_s, score_cpu_s,
                  host_read_s, loadavg);
    out += buf;
    std::snprintf(buf, sizeof buf,
                  "\"simdjson_pass_s\":%.4f,\"simdjson_pass_user_s\":%.4f,\"simdjson_pass_sys_s\":%.4f,"
                  "\"simdjson_records\":%zu,\"simdjson_sink\":%llu,\"load_user_s\":%.4f,\"load_sys_s\":%.4f,"
                  "\"score_user_s\":%.4f,\"score_sys_s\":%.4f,\"score_batch\":%zu,\n",
                  simd_s, simd_cpu.user, simd_cpu.sys, simd_records, static_cast<unsigned long long>(simd_sink),
                  load_cpu.user, load_cpu.sys, score_cpu.user, score_cpu.sys, kBatch);
    out += buf;
    std::snprintf(buf, sizeof buf,
                  "\"rss_start_mb\":%.1f,\"rss_before_load_mb\":%.1f,\"peak_rss_load_mb\":%.1f,"
                  "\"peak_rss_mb\":%.1f,\"rss_after_score_mb\":%.1f,\"peak_rss_end_mb\":%.1f,"
                  "\"input_mb\":%.1f,\"engine_heap_mb\":%.1f,\"accounts_heap_mb\":%.1f,"
                  "\"bytes_per_account\":%.0f,\"bytes_per_invoice\":%.0f,\"engine_bytes_per_account_all_in\":%.0f,\n",
                  rss_start_kb / 1024.0, rss_before_load_kb / 1024.0, hwm_load_kb / 1024.0, hwm_kb / 1024.0,
                  rss_after_kb / 1024.0, hwm_end_kb / 1024.0, static_cast<double>(size) / kMiB,
                  static_cast<double>(heap_engine) / kMiB, static_cast<double>(heap_accounts) / kMiB,
                  static_cast<double>(heap_accounts) / static_cast<double>(std::max<std::size_t>(1, n_accounts)),
                  static_cast<double>(heap_engine > heap_accounts ? heap_engine - heap_accounts : 0) /
                      static_cast<double>(std::max<std::size_t>(1, n_invoices)),
                  static_cast<double>(heap_engine) / static_cast<double>(std::max<std::size_t>(1, n_accounts)));
    out += buf;
    std::snprintf(buf, sizeof buf,
                  "\"report_bytes\":%zu,\"report_ms\":%.1f,\"report_cpu_ms\":%.1f,\"report_peak_rss_mb\":%.1f,"
                  "\"report_movers_since\":\"%s\",\"report_movers_bytes\":%zu,\"report_movers_ms\":%.1f,"
                  "\"report_movers_cpu_ms\":%.1f,\"report_movers_peak_rss_mb\":%.1f,\n",
                  page_all.bytes, page_all.wall_ms, page_all.cpu_ms, page_all.peak_rss_mb, since.c_str(),
                  page_movers.bytes, page_movers.wall_ms, page_movers.cpu_ms, page_movers.peak_rss_mb);
    out += buf;
    out += "\"save\":" + pct_json(percentiles(all_ns)) + ",\"involuntary_context_switches_during_saves\":" + std::to_string(ctx_switches) +
           ",\n\"save_by_kind\":{";
    for (int k = 0; k < kKinds; ++k) {
        if (k) out += ",";
        out += "\"" + std::string(kKindName[k]) + "\":" + pct_json(percentiles(kind_ns[k]));
    }
    out += "},\n\"changed_by_kind\":{";
    for (int k = 0; k < kKinds; ++k) {
        auto& v = changed[k];
        std::sort(v.begin(), v.end());
        double mean = 0;
        for (auto c : v) mean += static_cast<double>(c);
        if (!v.empty()) mean /= static_cast<double>(v.size());
        std::snprintf(buf, sizeof buf, "%s\"%s\":{\"samples\":%zu,\"mean\":%.1f,\"p50\":%zu,\"max\":%zu}", k ? "," : "",
                      kKindName[k], v.size(), mean, v.empty() ? 0 : v[v.size() / 2], v.empty() ? 0 : v.back());
        out += buf;
    }
    out += "}}\n";
    std::fputs(out.c_str(), stdout);
    if (!opt.json.empty()) {
        std::ofstream f(opt.json, std::ios::binary);
        f << out;
    }
    return 0;
}
