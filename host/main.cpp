// crmtier: the reference host. It loads libcrmtier.so at run time with
// Boost.DLL, exactly as a CRM would, scores a portfolio from files and writes
// results and a summary. It knows the plugin only through crmtier.h.
#include <boost/dll/shared_library.hpp>
#include <boost/interprocess/file_mapping.hpp>
#include <boost/interprocess/mapped_region.hpp>

#include <boost/json.hpp>
#include <boost/json/src.hpp>

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "crmtier.h"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr int kExitData = 1;   // the input or the configuration is wrong
constexpr int kExitUsage = 2;  // the command line is wrong
constexpr int kExitLoad = 3;   // the plugin could not be loaded

const char* kUsage = R"(usage: crmtier score [options] [FILE...]
       crmtier report [--owner REP] [--lang en|ru] [--title T] [--since DATE]
                      [options] -o plan.html [FILE...]
       crmtier groups [options] [FILE...]
       crmtier --help | --version

Scores a portfolio with the crmtier plugin, loaded at run time as a host would.

  score    writes every account's result and prints a summary: accounts per
           tier and per colour, how many are declining, overdue, escalated.
  report   writes the sales plan page (HTML): the temperature map, the contact
           plan, the escalations, the decliners and the peer meetings.
  groups   prints the proposed peer groups of sales reps as JSON.

FILE is a portfolio in the adapter's bulk format (canonical: JSON Lines of
account and revenue records). With no FILE, the bundled sample portfolio is
scored as of its own date (portfolio.meta.json): from $CRMTIER_SAMPLE_DIR, else
the source tree's samples/ for this program in its build tree, else
PREFIX/share/crmtier/samples for this program installed as PREFIX/bin/crmtier.

options:
  --as-of YYYY-MM-DD   the date results are computed as of (default: today,
                       UTC; for the bundled sample, the sample's date)
  --adapter NAME       the record shape of FILE: canonical (default),
                       salesforce, hubspot, dynamics, odoo, tryton, csv...
  --config FILE        the configuration JSON (docs/configuration.md); without
                       it, {"host": ADAPTER}: the adapter's default profile
  --format jsonl|csv   the results' format (default: jsonl)
  -o, --output FILE    where results go (default: crmtier-results.jsonl or
                       .csv, crmtier-plan.html for report, in the current
                       folder; "-" for standard output)
  --library PATH       the plugin to load (default: $CRMTIER_LIBRARY, then
                       libcrmtier.so beside this program, then the
                       installed ../lib/<multiarch>/libcrmtier.so.1, then
                       libcrmtier.so.1 from the system's loader)
  -q, --quiet          no summary

report options (docs/report.md):
  --owner REP          one rep's plan (default: every rep)
  --lang en|ru         the language of the page (default: en)
  --title TEXT         the page's title
  --since YYYY-MM-DD   adds the movers: accounts whose tier or colour changed
                       since that date
  --labels FILE        a JSON object of labels to replace ({"title": "..."})

While it reads, loads and scores, the host shows its progress on standard
error when that is a terminal, and nothing otherwise.
)";

struct Options {
    std::string command;
    std::string as_of;
    std::string adapter = "canonical";
    std::string config_file;
    std::string format = "jsonl";
    std::string output;
    std::string library;
    bool quiet = false;
    std::vector<std::string> files;
    // report
    std::string owner, lang, title, since, labels_file;
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A flag whose value the plugin refuses (an unknown adapter, a date that
// does not exist): a bad command line, but no need for the whole usage.
struct FlagError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Options parse_args(int argc, char** argv) {
    Options o;
    std::vector<std::string> args(argv + 1, argv + argc);
    auto value = [&](std::size_t& i) -> std::string {
        if (i + 1 >= args.size()) throw UsageError(args[i] + " needs a value");
        return args[++i];
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--as-of") o.as_of = value(i);
        else if (a == "--adapter") o.adapter = value(i);
        else if (a == "--config") o.config_file = value(i);
        else if (a == "--format") o.format = value(i);
        else if (a == "-o" || a == "--output") o.output = value(i);
        else if (a == "--library") o.library = value(i);
        else if (a == "-q" || a == "--quiet") o.quiet = true;
        else if (a == "--owner") o.owner = value(i);
        else if (a == "--lang") o.lang = value(i);
        else if (a == "--title") o.title = value(i);
        else if (a == "--since") o.since = value(i);
        else if (a == "--labels") o.labels_file = value(i);
        else if (a.size() > 1 && a[0] == '-' && a != "-") throw UsageError("unknown option " + a);
        else if (o.command.empty()) o.command = a;
        else o.files.push_back(a);
    }
    if (o.command.empty()) throw UsageError("no command given");
    if (o.command != "score" && o.command != "groups" && o.command != "report")
        throw UsageError("unknown command \"" + o.command + "\"");
    if (o.command != "report" &&
        !(o.owner.empty() && o.lang.empty() && o.title.empty() && o.since.empty() && o.labels_file.empty()))
        throw UsageError("--owner, --lang, --title, --since and --labels are options of report");
    if (o.format != "jsonl" && o.format != "csv") throw UsageError("--format must be jsonl or csv");
    return o;
}

// A path quoted in a message.
std::string quoted_path(const std::string& path) { return "\"" + path + "\""; }

// The plugin at `path`, loaded as a host loads it. A failure says why, in
// the system's words (dlerror()), and nothing else.
boost::dll::shared_library load_library(const fs::path& path) {
    boost::dll::shared_library lib;
    boost::dll::fs::error_code ec;
    auto mode = boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local;
    // A bare name (the SONAME) is for the system's loader to find.
    if (!path.has_parent_path()) mode = mode | boost::dll::load_mode::search_system_folders;
    lib.load(path, mode, ec);
    if (!ec) return lib;
    // Boost.DLL puts the reason in its exception's text only: the same
    // dlopen() gives it again.
    if (void* again = ::dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL)) {
        ::dlclose(again);
        throw std::runtime_error(path.string() + ": " + ec.message());
    }
    const char* why = ::dlerror();
    throw std::runtime_error(why ? why : path.string() + ": " + ec.message());
}

// Progress on standard error while the host reads, loads and scores: a bar
// redrawn at most ten times a second when standard error is a terminal,
// nothing at all otherwise. The library's load is one call that reports no
// progress of its own: while it runs, a second thread shows the time taken.
class Progress {
public:
    Progress() : on_(isatty(STDERR_FILENO) == 1) {}
    ~Progress() { done(); }
    bool on() const { return on_; }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // `what`: done of total (bytes, or results).
    void step(const std::string& what, std::uint64_t done, std::uint64_t total, bool bytes) {
        if (!on_) return;
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        constexpr int kWidth = 24;
        const int filled = total ? static_cast<int>(kWidth * done / total) : kWidth;
        std::string line = "crmtier: " + what + " [" + std::string(static_cast<std::size_t>(filled), '#') +
                           std::string(static_cast<std::size_t>(kWidth - filled), '.') + "] " +
                           std::to_string(total ? 100 * done / total : 100) + "% ";
        if (bytes) line += megabytes(done) + "/" + megabytes(total) + " MB";
        else line += std::to_string(done) + "/" + std::to_string(total);
        show(line);
    }
    // A phase without figures: the seconds it has taken, until done().
    void wait(const std::string& what) {
        if (!on_) return;
        done();
        const auto start = std::chrono::steady_clock::now();
        ticking_ = true;
        ticker_ = std::thread([this, what, start] {
            std::unique_lock lock(mutex_);
            do {
                const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                char secs[32];
                std::snprintf(secs, sizeof secs, "%.1f s", s);
                show("crmtier: " + what + " ... " + secs);
            } while (!stop_.wait_for(lock, std::chrono::milliseconds(100), [this] { return !ticking_; }));
        });
    }
    // Ends a phase: the line is cleared.
    void done() {
        if (!on_) return;
        if (ticker_.joinable()) {
            {
                std::lock_guard lock(mutex_);
                ticking_ = false;
            }
            stop_.notify_all();
            ticker_.join();
        }
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }

private:
    static std::string megabytes(std::uint64_t n) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(n) / 1e6);
        return buf;
    }
    static void show(const std::string& line) {
        std::fputs(("\r" + line + "\033[K").c_str(), stderr);
        std::fflush(stderr);
    }

    bool on_;
    std::chrono::steady_clock::time_point last_{};
    std::thread ticker_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool ticking_ = false;
};

// A file's bytes. A regular file is read in blocks straight into its string
// (the progress bar moves with each block); anything else (a pipe) as a stream.
std::string read_file(const std::string& path, Progress* progress = nullptr) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    const auto fail = [&path] { throw DataError("cannot read " + quoted_path(path) + ": " + std::strerror(errno)); };
    if (!f) fail();
    std::error_code ec;
    const std::uintmax_t size = fs::is_regular_file(path, ec) ? fs::file_size(path, ec) : 0;
    std::string data(ec ? 0 : static_cast<std::size_t>(size), '\0');
    constexpr std::size_t kBlock = 16u << 20;
    const std::string what = "reading " + fs::path(path).filename().string();
    std::size_t got = 0;
    while (got < data.size()) {
        const std::size_t n = std::fread(data.data() + got, 1, std::min(kBlock, data.size() - got), f.get());
        if (n == 0) break;
        got += n;
        if (progress) progress->step(what, got, data.size(), true);
    }
    if (std::ferror(f.get())) fail();
    data.resize(got);  // the file shrank while it was read
    // A pipe, or a file that grew: the rest.
    char buf[1 << 16];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f.get())) > 0;) data.append(buf, n);
    if (std::ferror(f.get())) fail();
    return data;
}

// A portfolio file's bytes for a load. A regular file is mapped into memory
// (read only): the load reads the page cache's own pages, so the host neither
// copies the file nor page-faults a buffer of its size (a 2 GB file: seconds
// of system time). Anything else (a pipe, a file that cannot be mapped) is
// read with read_file(). (A mapped file cut short by another program while it
// is loaded would stop the host with SIGBUS: input files are not written to
// while they are scored.)
class Input {
public:
    Input(const std::string& path, Progress& progress) {
        namespace bip = boost::interprocess;
        std::error_code ec;
        const std::uintmax_t size = fs::is_regular_file(path, ec) ? fs::file_size(path, ec) : 0;
        if (!ec && size > 0) {
            try {
                bip::file_mapping file(path.c_str(), bip::read_only);
                bip::mapped_region region(file, bip::read_only, 0, static_cast<std::size_t>(size));
                region.advise(bip::mapped_region::advice_sequential);
                region_ = std::move(region);
                text_ = std::string_view(static_cast<const char*>(region_.get_address()), region_.get_size());
                return;
            } catch (const bip::interprocess_exception&) {
                // read below, which says what is wrong if reading fails too
            }
        }
        copy_ = read_file(path, &progress);
        text_ = copy_;
    }
    std::string_view text() const { return text_; }

private:
    boost::interprocess::mapped_region region_;
    std::string copy_;
    std::string_view text_;
};

// The C functions the host uses, looked up by name in the loaded plugin.
struct Plugin {
    boost::dll::shared_library lib;
    decltype(&crmtier_abi_version) abi_version;
    decltype(&crmtier_version) version;
    decltype(&crmtier_last_error) last_error;
    decltype(&crmtier_free) free;
    decltype(&crmtier_engine_create) create;
    decltype(&crmtier_engine_destroy) destroy;
    decltype(&crmtier_engine_set_as_of) set_as_of;
    decltype(&crmtier_engine_load) load;
    decltype(&crmtier_engine_stats) stats;
    decltype(&crmtier_engine_peer_groups) peer_groups;
    decltype(&crmtier_engine_report) report;
    decltype(&crmtier_cursor_open) cursor_open;
    decltype(&crmtier_cursor_next) cursor_next;
    decltype(&crmtier_cursor_next_batch) cursor_next_batch;
    decltype(&crmtier_cursor_destroy) cursor_destroy;

    explicit Plugin(const fs::path& path) : lib(load_library(path)) {
#define CRMTIER_GET(field, name)                                                                        \
    if (!lib.has(#name)) throw std::runtime_error(path.string() + ": not a crmtier plugin (no " #name ")"); \
    field = &lib.get<std::remove_pointer_t<decltype(field)>>(#name)
        CRMTIER_GET(abi_version, crmtier_abi_version);
        CRMTIER_GET(version, crmtier_version);
        CRMTIER_GET(last_error, crmtier_last_error);
        CRMTIER_GET(free, crmtier_free);
        CRMTIER_GET(create, crmtier_engine_create);
        CRMTIER_GET(destroy, crmtier_engine_destroy);
        CRMTIER_GET(set_as_of, crmtier_engine_set_as_of);
        CRMTIER_GET(load, crmtier_engine_load);
        CRMTIER_GET(stats, crmtier_engine_stats);
        CRMTIER_GET(peer_groups, crmtier_engine_peer_groups);
        CRMTIER_GET(report, crmtier_engine_report);
        CRMTIER_GET(cursor_open, crmtier_cursor_open);
        CRMTIER_GET(cursor_next, crmtier_cursor_next);
        CRMTIER_GET(cursor_next_batch, crmtier_cursor_next_batch);
        CRMTIER_GET(cursor_destroy, crmtier_cursor_destroy);
#undef CRMTIER_GET
        const uint32_t v = abi_version();
        if (static_cast<int>(v >> 16) != CRMTIER_ABI_VERSION_MAJOR || static_cast<int>(v & 0xffff) < CRMTIER_ABI_VERSION_MINOR)
            throw std::runtime_error("plugin ABI " + std::to_string(v >> 16) + "." + std::to_string(v & 0xffff) +
                                     " does not serve this host (built for " +
                                     std::to_string(CRMTIER_ABI_VERSION_MAJOR) + "." +
                                     std::to_string(CRMTIER_ABI_VERSION_MINOR) + ")");
    }

    void check(int status, const std::string& doing) const {
        if (status != CRMTIER_OK) throw DataError(doing + ": " + last_error());
    }
    std::string take(char* buf, std::size_t len) const {
        std::string s(buf, len);
        free(buf);
        return s;
    }
};

// The values of --adapter and --as-of, checked by the plugin itself on an
// empty engine before anything is read: a bad one is a bad command line.
void check_flags(const Plugin& plugin, const Options& o) {
    crmtier_engine* raw = nullptr;
    plugin.check(plugin.create("{}", 2, &raw), "engine");
    std::unique_ptr<crmtier_engine, decltype(plugin.destroy)> probe(raw, plugin.destroy);
    crmtier_cursor* cursor = nullptr;
    if (plugin.cursor_open(probe.get(), o.adapter.c_str(), &cursor) != CRMTIER_OK)
        throw FlagError("--adapter: " + std::string(plugin.last_error()));
    plugin.cursor_destroy(cursor);
    if (!o.as_of.empty() && plugin.set_as_of(probe.get(), o.as_of.c_str()) != CRMTIER_OK)
        throw FlagError("--as-of: " + std::string(plugin.last_error()));
}

fs::path find_library(const Options& o, const char* argv0) {
    if (!o.library.empty()) return o.library;
    if (const char* env = std::getenv("CRMTIER_LIBRARY"); env && *env) return env;
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) self = fs::absolute(argv0);
    // The build tree: beside this program.
    if (fs::path beside = self.parent_path() / "libcrmtier.so"; fs::exists(beside, ec)) return beside;
#ifdef CRMTIER_INSTALL_LIBDIR
    // An installed tree (docs/install.md): PREFIX/bin/crmtier and
    // PREFIX/<libdir>/libcrmtier.so.<ABI major>.
    if (fs::path installed = self.parent_path().parent_path() / CRMTIER_INSTALL_LIBDIR / CRMTIER_SONAME;
        fs::exists(installed, ec))
        return installed;
#endif
    // Else the system's loader (ld.so.conf, LD_LIBRARY_PATH).
    return CRMTIER_SONAME;
}

// The bundled sample (docs/install.md): $CRMTIER_SAMPLE_DIR; else, for the
// program in its build tree, the source tree's samples/; else, for an
// installed program, PREFIX/share/crmtier/samples beside its PREFIX/bin (so
// a relocated or unpacked tree finds its own copy, never the source tree).
fs::path find_sample_dir(const char* argv0) {
    if (const char* env = std::getenv("CRMTIER_SAMPLE_DIR"); env && *env) return env;
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) self = fs::absolute(argv0);
    if (fs::equivalent(self.parent_path(), CRMTIER_BUILD_DIR, ec)) return CRMTIER_SOURCE_SAMPLE_DIR;
    const fs::path installed = self.parent_path().parent_path() / CRMTIER_INSTALL_SAMPLE_DIR;
    if (fs::exists(installed / "portfolio.jsonl", ec)) return installed;
    throw DataError("the bundled sample is not installed (looked for " + installed.string() +
                    "/portfolio.jsonl): give a portfolio FILE, or set CRMTIER_SAMPLE_DIR to its folder");
}

std::string csv_field(const json::value& v) {
    std::string s;
    if (v.is_string()) {
        s = std::string(v.get_string());
    } else if (v.is_null()) {
        s = "";
    } else if (v.is_double()) {  // shortest round-trip form, never 7.711E2
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
        s.assign(buf, r.ptr);
    } else {
        s = json::serialize(v);
    }
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

// `crmtier report`: the sales plan page, rendered by the plugin.
int write_report(const Options& o, const Plugin& plugin, crmtier_engine* engine, Progress& progress) {
    json::object opts;
    if (!o.owner.empty()) opts["owner"] = o.owner;
    if (!o.lang.empty()) opts["lang"] = o.lang;
    if (!o.title.empty()) opts["title"] = o.title;
    if (!o.since.empty()) opts["since"] = o.since;
    if (!o.labels_file.empty()) {
        boost::system::error_code ec;
        json::value labels = json::parse(read_file(o.labels_file), ec);
        if (ec) throw DataError(o.labels_file + ": not JSON: " + ec.message());
        opts["labels"] = std::move(labels);
    }
    const std::string text = json::serialize(opts);
    char* buf = nullptr;
    std::size_t len = 0;
    progress.wait("rendering the sales plan");
    const int status = plugin.report(engine, text.data(), text.size(), &buf, &len);
    progress.done();
    plugin.check(status, "report");
    const std::string page = plugin.take(buf, len);

    const std::string out_path = o.output.empty() ? "crmtier-plan.html" : o.output;
    if (out_path == "-") {
        std::cout.write(page.data(), static_cast<std::streamsize>(page.size()));
        std::cout.flush();
        if (!std::cout) throw DataError("writing the page to standard output failed");
    } else {
        std::ofstream file(out_path, std::ios::binary | std::ios::trunc);
        if (!file) throw DataError("cannot write " + out_path);
        file.write(page.data(), static_cast<std::streamsize>(page.size()));
        file.flush();
        if (!file) throw DataError("writing " + out_path + " failed");
    }
    if (!o.quiet) {
        plugin.check(plugin.stats(engine, &buf, &len), "stats");
        const json::value stats = json::parse(plugin.take(buf, len));
        std::ostream& s = out_path == "-" ? std::cerr : std::cout;
        s << "crmtier " << plugin.version() << ": sales plan as of " << stats.at("as_of").as_string().c_str() << ", "
          << (o.owner.empty() ? "every rep" : "rep " + o.owner) << " (" << stats.at("accounts").as_int64()
          << " accounts in the portfolio)\n  plan: " << (out_path == "-" ? "standard output" : out_path) << ", "
          << page.size() << " bytes\n";
    }
    return 0;
}

int run(const Options& o, const char* argv0) {
    std::unique_ptr<Plugin> plugin;
    try {
        plugin = std::make_unique<Plugin>(find_library(o, argv0));
    } catch (const std::exception& e) {
        std::cerr << "crmtier: cannot load the plugin: " << e.what() << "\n";
        return kExitLoad;
    }
    check_flags(*plugin, o);
    std::string as_of = o.as_of;
    std::vector<std::string> files = o.files;
    if (files.empty()) {
        const fs::path sample_dir = find_sample_dir(argv0);
        const fs::path sample = sample_dir / "portfolio.jsonl";
        files.push_back(sample.string());
        if (as_of.empty()) {
            const json::value meta = json::parse(read_file((sample_dir / "portfolio.meta.json").string()));
            as_of = std::string(meta.at("as_of").as_string());
        }
        if (!o.quiet) std::cerr << "crmtier: scoring the bundled sample " << sample.string() << "\n";
    }
    // Without a configuration, the adapter's host decides the profile (an
    // Odoo partner has no employee count, so its profile leaves size out).
    const std::string config = !o.config_file.empty()    ? read_file(o.config_file)
                               : o.adapter == "canonical" ? std::string("{}")
                                                          : "{\"host\":\"" + o.adapter + "\"}";

    crmtier_engine* raw = nullptr;
    plugin->check(plugin->create(config.data(), config.size(), &raw), o.config_file.empty() ? "configuration" : o.config_file);
    std::unique_ptr<crmtier_engine, decltype(plugin->destroy)> engine(raw, plugin->destroy);
    if (!as_of.empty()) plugin->check(plugin->set_as_of(engine.get(), as_of.c_str()), "--as-of");
    Progress progress;
    for (const auto& f : files) {
        const Input input(f, progress);
        const std::string_view data = input.text();
        if (data.empty()) continue;
        std::size_t loaded = 0;
        progress.wait("loading " + fs::path(f).filename().string());
        const int status = plugin->load(engine.get(), o.adapter.c_str(), data.data(), data.size(), &loaded);
        progress.done();
        plugin->check(status, f);
    }

    if (o.command == "report") return write_report(o, *plugin, engine.get(), progress);

    if (o.command == "groups") {
        char* buf = nullptr;
        std::size_t len = 0;
        plugin->check(plugin->peer_groups(engine.get(), &buf, &len), "peer groups");
        std::cout << plugin->take(buf, len) << "\n";
        return 0;
    }

    // Results out, counted on the way for the summary.
    const std::string out_path = o.output.empty() ? "crmtier-results." + o.format : o.output;
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (out_path != "-") {
        file.open(out_path, std::ios::binary | std::ios::trunc);
        if (!file) throw DataError("cannot write " + quoted_path(out_path) + ": " + std::strerror(errno));
        out = &file;
    }
    static const char* kCsvColumns[] = {"id", "tier", "revenue_tier", "annual_revenue", "prior_revenue",
                                        "lookalike_revenue", "peers", "potential", "benchmark", "temperature",
                                        "colour", "colour_hex", "escalate", "next_contact", "channel",
                                        "overdue_days", "declining", "decline_pct"};
    if (o.format == "csv") {
        for (std::size_t i = 0; i < std::size(kCsvColumns); ++i) *out << (i ? "," : "") << kCsvColumns[i];
        *out << "\n";
    }
    std::map<std::string, long> tiers, colours;
    long accounts = 0, declining = 0, overdue = 0, escalated = 0;
    std::uint64_t total = 0;  // for the progress bar
    if (progress.on()) {
        char* buf = nullptr;
        std::size_t len = 0;
        plugin->check(plugin->stats(engine.get(), &buf, &len), "stats");
        total = json::parse(plugin->take(buf, len)).at("accounts").to_number<std::uint64_t>();
    }
    crmtier_cursor* cursor_raw = nullptr;
    plugin->check(plugin->cursor_open(engine.get(), o.adapter.c_str(), &cursor_raw), "results");
    std::unique_ptr<crmtier_cursor, decltype(plugin->cursor_destroy)> cursor(cursor_raw, plugin->cursor_destroy);
    // Results come in batches rendered on every core (JSON Lines, one result
    // a line) and go out in one write a batch. Each result is read back for
    // the summary and the CSV columns by one parser whose memory is reused.
    constexpr std::size_t kBatch = 4096;  // ~5 MB of text a call
    unsigned char parse_temp[4096];
    json::parser parser(json::storage_ptr(), json::parse_options(), parse_temp, sizeof parse_temp);
    static unsigned char dom_buffer[1 << 16];  // one result's DOM, reused (the resource spills over if needed)
    std::string rows;
    for (;;) {
        const char* batch = nullptr;
        std::size_t batch_len = 0;
        plugin->check(plugin->cursor_next_batch(cursor.get(), kBatch, 0, &batch, &batch_len, nullptr), "results");
        if (!batch) break;
        // The summary's counts (canonical results, not --quiet) and the CSV
        // columns need each result read back; JSON Lines alone do not.
        const bool read_back = (o.adapter == "canonical" && !o.quiet) || o.format == "csv";
        rows.clear();
        for (std::size_t pos = 0; read_back && pos < batch_len;) {
            const char* r = batch + pos;
            const std::size_t len = static_cast<std::size_t>(
                static_cast<const char*>(std::memchr(r, '\n', batch_len - pos)) - r);
            pos += len + 1;
            json::monotonic_resource dom(dom_buffer, sizeof dom_buffer);
            parser.reset(&dom);
            parser.write(r, len);
            const json::value v = parser.release();
            parser.reset();  // nothing of it points into `dom` after this result
            const json::object& obj = v.as_object();
            ++accounts;
            if (o.adapter == "canonical") {
                ++tiers[std::string(obj.at("tier").as_string())];
                ++colours[std::string(obj.at("colour").as_string())];
                declining += obj.at("declining").as_bool();
                overdue += obj.at("overdue_days").as_int64() > 0;
                escalated += obj.at("escalate").as_bool();
            }
            if (o.format == "csv") {
                std::size_t i = 0;
                for (const auto& kv : obj) {
                    if (kv.value().is_array() || kv.value().is_object()) continue;
                    if (i++) rows += ',';
                    rows += csv_field(kv.value());
                }
                rows += '\n';
            }
        }
        if (!read_back)
            for (std::size_t i = 0; i < batch_len; ++i) accounts += batch[i] == '\n';
        progress.step("scoring", static_cast<std::uint64_t>(accounts), total, false);
        if (o.format == "jsonl") out->write(batch, static_cast<std::streamsize>(batch_len));
        else out->write(rows.data(), static_cast<std::streamsize>(rows.size()));
    }
    progress.done();
    out->flush();
    if (!*out) throw DataError("cannot write " + quoted_path(out_path) + ": " + std::strerror(errno));

    if (!o.quiet) {
        char* buf = nullptr;
        std::size_t len = 0;
        plugin->check(plugin->stats(engine.get(), &buf, &len), "stats");
        const json::value stats = json::parse(plugin->take(buf, len));
        std::ostream& s = out_path == "-" ? std::cerr : std::cout;
        s << "crmtier " << plugin->version() << ": " << accounts << " accounts as of "
          << stats.at("as_of").as_string().c_str() << ", benchmark " << std::fixed << std::setprecision(2)
          << stats.at("benchmark").to_number<double>()
          << " (" << stats.at("benchmark_method").as_string().c_str() << ")\n";
        if (o.adapter == "canonical") {
            s << "  tiers:  ";
            for (const char* t : {"A", "B", "C", "D"}) s << " " << t << " " << tiers[t];
            s << "\n  colours:";
            for (const char* c : {"red", "orange", "yellow", "lightblue", "blue", "grey"}) s << " " << c << " " << colours[c];
            s << "\n  declining " << declining << ", overdue " << overdue << ", escalated (blue A) " << escalated
              << "\n";
        }
        s << "  results: " << (out_path == "-" ? "standard output" : out_path) << "\n";
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
            std::cout << kUsage;
            return 0;
        }
        if (argc >= 2 && std::string(argv[1]) == "--version") {
            std::cout << "crmtier host " << CRMTIER_VERSION_STRING << "\n";
            return 0;
        }
        return run(parse_args(argc, argv), argv[0]);
    } catch (const UsageError& e) {
        std::cerr << "crmtier: " << e.what() << "\n\n" << kUsage;
        return kExitUsage;
    } catch (const FlagError& e) {
        std::cerr << "crmtier: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "crmtier: " << e.what() << "\n";
        return kExitData;
    }
}
