// The test's handle on the gate test plugin (gate_plugin.cc): its two extra functions,
// found in the very copy of the file the host loaded (dlopen with RTLD_NOLOAD).
#pragma once

#include <dlfcn.h>

#include <string>

namespace torikumi::plugin_test {

struct Gate {
  void* handle = nullptr;
  // True once `count` calls have reached the gate; false after timeout_ms.
  int (*wait_entered)(int count, int timeout_ms) = nullptr;
  // Lets every call through, now and later.
  void (*open)() = nullptr;
  // Lets `count` more calls through while the gate is closed.
  void (*let_through)(int count) = nullptr;

  explicit Gate(const std::string& path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (handle == nullptr) return;
    wait_entered =
        reinterpret_cast<int (*)(int, int)>(dlsym(handle, "torikumi_test_gate_wait_entered"));
    open = reinterpret_cast<void (*)()>(dlsym(handle, "torikumi_test_gate_open"));
    let_through = reinterpret_cast<void (*)(int)>(dlsym(handle, "torikumi_test_gate_let_through"));
  }
  ~Gate() {
    if (handle != nullptr) dlclose(handle);
  }
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;
  bool ok() const { return wait_entered != nullptr && open != nullptr && let_through != nullptr; }
};

}  // namespace torikumi::plugin_test
