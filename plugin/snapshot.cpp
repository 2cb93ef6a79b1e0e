#include "plugin/snapshot.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <boost/json.hpp>

#include "base/errors.hpp"
#include "base/json_writer.hpp"

namespace crmtier::snapshot {

namespace json = boost::json;

// The file: a 28-byte header, then the payload.
//   0  8 bytes  magic "CRMTSNAP"
//   8  u32 LE   format version
//  12  u32 LE   flags (0)
//  16  u64 LE   payload length
//  24  u32 LE   CRC-32 of the payload
//  28  payload: JSON Lines. First {"as_of":..,"seq":..,"accounts":N,"revenues":M},
//      then N account lines ["a",id,name,owner,employees|null,territory,industry,last_contact|null]
//      and M revenue lines ["r",id,account_id,date,amount_units,product].
namespace {

constexpr char kMagic[8] = {'C', 'R', 'M', 'T', 'S', 'N', 'A', 'P'};
constexpr std::size_t kHeader = 28;

void put32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put64(std::string& s, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get(std::string_view s, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

std::uint32_t crc32(std::string_view s) {
    boost::crc_32_type crc;
    crc.process_bytes(s.data(), s.size());
    return crc.checksum();
}

[[noreturn]] void io_fail(const std::string& what, const std::string& path) {
    throw IoError(what + " " + path + ": " + std::strerror(errno));
}

std::string text_of(const json::value& v, const char* what, std::size_t line) {
    if (v.is_null()) return {};
    if (!v.is_string()) throw SnapshotError("snapshot line " + std::to_string(line) + ": " + what + " is not text");
    return std::string(v.get_string());
}

Day date_of(const json::value& v, std::size_t line) {
    Day d;
    std::string why;
    if (!v.is_string() || !parse_date(std::string_view(v.get_string().data(), v.get_string().size()), d, why))
        throw SnapshotError("snapshot line " + std::to_string(line) + ": bad date");
    return d;
}

}  // namespace

std::string serialize(const Portfolio& pf) {
    std::string body;
    std::size_t accounts = 0, revenues = 0;
    std::string lines;
    pf.for_each_record(
        [&](const AccountRecord& a) {
            JsonWriter w(lines);
            w.begin_array().str("a").str(a.id).str(a.name).str(a.owner);
            if (a.employees) w.integer(*a.employees);
            else w.null();
            w.str(a.territory).str(a.industry);
            if (a.last_contact) w.date(*a.last_contact);
            else w.null();
            w.end_array();
            lines.push_back('\n');
            ++accounts;
        },
        [&](const RevenueRecord& r) {
            JsonWriter w(lines);
            w.begin_array().str("r").str(r.id).str(r.account_id).date(r.date).integer(r.amount).str(r.product);
            w.end_array();
            lines.push_back('\n');
            ++revenues;
        });
    JsonWriter w(body);
    w.begin_object();
    w.key("as_of").date(pf.as_of());
    w.key("seq").uinteger(pf.seq());
    w.key("accounts").uinteger(accounts);
    w.key("revenues").uinteger(revenues);
    w.end_object();
    body.push_back('\n');
    body += lines;

    std::string file(kMagic, sizeof kMagic);
    put32(file, kFormatVersion);
    put32(file, 0);
    put64(file, body.size());
    put32(file, crc32(body));
    file += body;
    return file;
}

Contents deserialize(std::string_view bytes, const Limits& limits) {
    if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw SnapshotError("not a crmtier snapshot (no CRMTSNAP header)");
    const auto version = static_cast<std::uint32_t>(get(bytes, 8, 4));
    if (version > kFormatVersion)
        throw SnapshotError("snapshot format " + std::to_string(version) + " is newer than this crmtier reads (" +
                            std::to_string(kFormatVersion) + ")");
    if (version == 0) throw SnapshotError("snapshot format 0 does not exist");
    const std::uint64_t length = get(bytes, 16, 8);
    if (bytes.size() - kHeader != length)
        throw SnapshotError("snapshot truncated or padded: header says " + std::to_string(length) +
                            " bytes of content, the file has " + std::to_string(bytes.size() - kHeader));
    const std::string_view body = bytes.substr(kHeader);
    if (crc32(body) != static_cast<std::uint32_t>(get(bytes, 24, 4)))
        throw SnapshotError("snapshot checksum mismatch: the file was altered or damaged");

    Contents c;
    std::size_t pos = 0, line = 0;
    std::size_t want_accounts = 0, want_revenues = 0, got_accounts = 0, got_revenues = 0;
    json::parse_options opts;
    opts.max_depth = 4;
    while (pos < body.size()) {
        std::size_t end = body.find('\n', pos);
        if (end == std::string_view::npos) end = body.size();
        const std::string_view text = body.substr(pos, end - pos);
        pos = end + 1;
        ++line;
        boost::system::error_code ec;
        json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, opts);
        if (ec) throw SnapshotError("snapshot line " + std::to_string(line) + ": " + ec.message());
        if (line == 1) {
            if (!v.is_object()) throw SnapshotError("snapshot has no header line");
            const auto& o = v.get_object();
            try {
                c.as_of = date_of(o.at("as_of"), line);
                c.seq = json::value_to<std::uint64_t>(o.at("seq"));
                want_accounts = json::value_to<std::size_t>(o.at("accounts"));
                want_revenues = json::value_to<std::size_t>(o.at("revenues"));
            } catch (const SnapshotError&) {
                throw;
            } catch (const std::exception&) {
                throw SnapshotError("snapshot header line is malformed");
            }
            if (want_accounts > limits.max_accounts || want_revenues > limits.max_revenue_records)
                throw LimitError("the snapshot holds more records than the configured limits allow");
            // Reserve no more than the file could hold (a record takes well
            // over 8 bytes), whatever its header claims.
            c.records.reserve(std::min(want_accounts + want_revenues, body.size() / 8));
            continue;
        }
        if (!v.is_array() || v.get_array().empty() || !v.get_array()[0].is_string())
            throw SnapshotError("snapshot line " + std::to_string(line) + ": not a record");
        const auto& a = v.get_array();
        if (a[0].get_string() == "a" && a.size() == 8) {
            AccountRecord r;
            r.id = text_of(a[1], "id", line);
            r.name = text_of(a[2], "name", line);
            r.owner = text_of(a[3], "owner", line);
            if (!a[4].is_null()) {
                if (!a[4].is_int64() || a[4].get_int64() < 0) throw SnapshotError("snapshot line " + std::to_string(line) + ": bad employees");
                r.employees = a[4].get_int64();
            }
            r.territory = text_of(a[5], "territory", line);
            r.industry = text_of(a[6], "industry", line);
            if (!a[7].is_null()) r.last_contact = date_of(a[7], line);
            if (r.id.empty()) throw SnapshotError("snapshot line " + std::to_string(line) + ": empty id");
            c.records.emplace_back(std::move(r));
            ++got_accounts;
        } else if (a[0].get_string() == "r" && a.size() == 6) {
            RevenueRecord r;
            r.id = text_of(a[1], "id", line);
            r.account_id = text_of(a[2], "account_id", line);
            r.date = date_of(a[3], line);
            if (!a[4].is_int64()) throw SnapshotError("snapshot line " + std::to_string(line) + ": bad amount");
            r.amount = a[4].get_int64();
            r.product = text_of(a[5], "product", line);
            if (r.id.empty() || r.account_id.empty()) throw SnapshotError("snapshot line " + std::to_string(line) + ": empty id");
            c.records.emplace_back(std::move(r));
            ++got_revenues;
        } else {
            throw SnapshotError("snapshot line " + std::to_string(line) + ": not a record");
        }
    }
    if (line == 0) throw SnapshotError("snapshot is empty");
    if (got_accounts != want_accounts || got_revenues != want_revenues)
        throw SnapshotError("snapshot record counts do not match its header");
    return c;
}

void write_atomically(const std::string& path, std::string_view bytes) {
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    std::string tmp = path + ".tmp-XXXXXX";
    const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) io_fail("cannot create a temporary file beside", path);
    auto fail = [&](const char* what) {
        const int saved = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        errno = saved;
        io_fail(what, path);
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write the snapshot for");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0) fail("cannot set the mode of the snapshot for");
    if (::fsync(fd) != 0) fail("cannot flush the snapshot for");
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        io_fail("cannot close the snapshot for", path);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(tmp.c_str());
        errno = saved;
        io_fail("cannot rename the snapshot onto", path);
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);  // the rename itself made durable
        ::close(dfd);
    }
}

std::string read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) io_fail("cannot open", path);
    std::string out;
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            errno = saved;
            io_fail("cannot read", path);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

}  // namespace crmtier::snapshot
