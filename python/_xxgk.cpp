// python/_xxgk.cpp — the native part of the Python module `xxgk` (python/xxgk/__init__.py wraps it).
//
// A result crosses into Python as the JSON text of the schema "xxgk.check/1" (docs/schema.md), the same bytes
// `xxgk check --format json` writes, so the module cannot drift from the command line's fields. Checking and
// serialising run with the GIL released: threads check in parallel.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "xxgk/output.hpp"
#include "xxgk/version.hpp"
#include "xxgk/xxgk.hpp"

namespace py = pybind11;

namespace {

//! A Checker with the settings and words it was made with: one per process (or per worker), shared by threads.
class Engine {
 public:
  Engine(const std::string& language, const std::optional<std::string>& config, bool triage, uint32_t time_budget_ms) {
    xxgk::Options options;
    options.language = language;
    options.triage = triage;
    options.time_budget_ms = time_budget_ms;
    voice_.language = language;
    std::string error;
    if (config && !xxgk::config::load_config(*config, options, &error, voice_)) throw py::value_error(error);
    if (!xxgk::Words::builtin().speaks(options.language)) throw py::value_error("unknown language: " + options.language);
    voice_.language = options.language;
    checker_ = xxgk::Checker::create(options, &error);
    if (!checker_) throw std::runtime_error(error);
    tool_ = xxgk::tool_json(xxgk::version(), checker_->grammar_revision());
    max_bytes_ = options.max_input_bytes;
  }

  //! The JSON line of one document, as `xxgk check --format json` writes it.
  std::string check_bytes(std::string_view bytes, const std::string& path) const {
    return line_of(checker_->check(bytes, {path, {}}));
  }

  //! The JSON line of the file at `path`; a file that cannot be read gives a result with the error "read-failed"
  //! (or "too-large"), as on the command line.
  std::string check_file(const std::string& path) const { return check_file(path, path); }
  std::string check_file(const std::string& path, const std::string& shown) const {
    struct stat info {};
    std::ifstream file;
    if (::stat(path.c_str(), &info) == 0) file.open(path, std::ios::binary);
    if (!file.is_open()) return error_line(shown, "read-failed", read_error(errno));
    if (S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) > max_bytes_)
      return error_line(shown, "too-large",
                        voice_("input.too-large", {{"bytes", std::to_string(info.st_size)}, {"limit", std::to_string(max_bytes_)}}));
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return check_bytes(bytes.view(), shown);
  }

  const std::string& grammar_revision() const { return checker_->grammar_revision(); }
  std::vector<std::string> formats() const { return checker_->formats(); }

 private:
  std::string line_of(const xxgk::CheckResult& result) const {
    nlohmann::ordered_json j = xxgk::to_json(result);
    j["tool"] = tool_;
    return j.dump();
  }
  //! The command line's words for a file it cannot read (cli/inputs.cpp).
  std::string read_error(int error_number) const {
    if (error_number == ENOENT || error_number == ENOTDIR) return voice_("input.missing");
    if (error_number == EACCES || error_number == EPERM) return voice_("input.no-permission");
    return voice_("input.read-failed", {{"reason", std::strerror(error_number)}});
  }
  std::string error_line(const std::string& path, std::string code, std::string message) const {
    xxgk::CheckResult result;
    result.source.path = path;
    result.error = xxgk::InputError{std::move(code), std::move(message)};
    return line_of(result);
  }

  std::unique_ptr<xxgk::Checker> checker_;
  xxgk::Voice voice_;
  nlohmann::ordered_json tool_;
  uint64_t max_bytes_ = 0;
};

//! Files checked by `jobs` threads, their JSON lines handed out in the order they finish. At most 2×jobs lines
//! wait for the reader, so a slow consumer holds the workers instead of piling up results.
class Scan {
 public:
  Scan(std::shared_ptr<const Engine> engine, std::vector<std::string> paths, unsigned jobs)
      : engine_(std::move(engine)), paths_(std::move(paths)), capacity_(2 * std::max(jobs, 1u)) {
    for (unsigned i = 0; i < std::max(jobs, 1u); ++i) workers_.emplace_back([this] { work(); });
  }
  ~Scan() {
    py::gil_scoped_release unlocked;  // a worker may be in the middle of a long check
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& w : workers_) w.join();
  }

  //! The next JSON line, or nullopt when every input has been handed out. Waits without the GIL.
  std::optional<std::string> next() {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || handed_ == paths_.size(); });
    if (ready_.empty()) return std::nullopt;
    std::string line = std::move(ready_.front());
    ready_.pop_front();
    ++handed_;
    changed_.notify_all();
    return line;
  }

 private:
  void work() {
    for (;;) {
      size_t index = 0;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return stopping_ || ready_.size() + running_ < capacity_; });
        if (stopping_ || next_ == paths_.size()) return;
        index = next_++;
        ++running_;
      }
      std::string line = engine_->check_file(paths_[index]);
      {
        std::lock_guard lock(mutex_);
        --running_;
        ready_.push_back(std::move(line));
      }
      changed_.notify_all();
    }
  }

  std::shared_ptr<const Engine> engine_;
  std::vector<std::string> paths_;
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> ready_;
  size_t next_ = 0, running_ = 0, handed_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

PYBIND11_MODULE(_xxgk, m) {
  m.doc() = "Native part of xxgk: results as JSON text of the schema xxgk.check/1 (use the package `xxgk`).";
  m.attr("__version__") = xxgk::version();
  m.attr("VERSION") = py::make_tuple(XXGK_VERSION_MAJOR, XXGK_VERSION_MINOR, XXGK_VERSION_PATCH);

  py::class_<Engine, std::shared_ptr<Engine>>(m, "Engine")
      .def(py::init<const std::string&, const std::optional<std::string>&, bool, uint32_t>(), py::arg("lang") = "zh",
           py::arg("config") = py::none(), py::arg("triage") = false, py::arg("time_budget_ms") = 0)
      .def(
          "check_bytes",
          [](const Engine& e, py::bytes data, const std::string& path) {
            // WHY copy out of the bytes object first: its buffer may only be read while the GIL is held.
            std::string bytes = data;
            py::gil_scoped_release unlocked;
            return e.check_bytes(bytes, path);
          },
          py::arg("data"), py::arg("path"), "JSON text of the result of checking `data`, shown as `path`.")
      .def("check_file", py::overload_cast<const std::string&, const std::string&>(&Engine::check_file, py::const_),
           py::arg("path"), py::arg("shown"), py::call_guard<py::gil_scoped_release>(),
           "JSON text of the result of checking the file at `path`, shown as `shown`.")
      .def_property_readonly("grammar_revision", &Engine::grammar_revision)
      .def_property_readonly("formats", &Engine::formats);

  py::class_<Scan>(m, "Scan")
      .def(py::init([](std::shared_ptr<Engine> engine, std::vector<std::string> paths, unsigned jobs) {
             return std::make_unique<Scan>(std::move(engine), std::move(paths), jobs);
           }),
           py::arg("engine"), py::arg("paths"), py::arg("jobs"))
      .def("__iter__", [](Scan& s) -> Scan& { return s; })
      .def("__next__", [](Scan& s) {
        auto line = s.next();
        if (!line) throw py::stop_iteration();
        return *line;
      });
}
