// Logging: spdlog, forwarded to the host's C callback and nowhere else.
#pragma once

#include <memory>
#include <mutex>

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

namespace crmtier {

// The host's log callback: (level, message, user). The same type as
// crmtier_log_fn of crmtier.h, which the core does not include.
using LogFn = void (*)(int level, const char* message, void* user);

// Hands each formatted message to the host's callback; with no callback
// installed it drops everything, so the library never prints.
class CallbackSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    void set(LogFn fn, void* user) {
        std::lock_guard<std::mutex> lock(mutex_);
        fn_ = fn;
        user_ = user;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        if (!fn_) return;
        spdlog::memory_buf_t buf;
        formatter_->format(msg, buf);
        // The pattern ends in a newline; the host gets the bare message.
        std::size_t n = buf.size();
        while (n > 0 && (buf.data()[n - 1] == '\n' || buf.data()[n - 1] == '\r')) --n;
        std::string text(buf.data(), n);
        fn_(static_cast<int>(msg.level), text.c_str(), user_);
    }
    void flush_() override {}

private:
    LogFn fn_ = nullptr;
    void* user_ = nullptr;
};

// One logger per engine, off until the host installs a callback. Never
// registered in spdlog's global registry, so it cannot meet the host's own.
struct EngineLog {
    EngineLog() : sink(std::make_shared<CallbackSink>()), logger(std::make_shared<spdlog::logger>("crmtier", sink)) {
        sink->set_pattern("%v");
        logger->set_level(spdlog::level::off);
        logger->set_error_handler([](const std::string&) {});  // never to stderr
    }
    void set(LogFn fn, void* user, int min_level) {
        sink->set(fn, user);
        logger->set_level(fn ? static_cast<spdlog::level::level_enum>(min_level) : spdlog::level::off);
    }
    std::shared_ptr<CallbackSink> sink;
    std::shared_ptr<spdlog::logger> logger;
};

}  // namespace crmtier
