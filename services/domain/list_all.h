// Reading a whole listing from the store page by page, for the domain operations that need
// every initiative or outcome of a plan at once (table import and export).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/store/store.h"

namespace torikumi::domain {

// Rows per store call; a plan has about a hundred initiatives, so usually one call.
inline constexpr int32_t kListAllPageSize = 1000;

// Every item of a listing: `list(store::Page)` returns one page as an
// absl::StatusOr<store::ListResult<T>>.
template <typename T, typename List>
absl::StatusOr<std::vector<T>> ListAll(List list) {
  std::vector<T> all;
  for (int64_t offset = 0;; offset += kListAllPageSize) {
    absl::StatusOr<store::ListResult<T>> page = list(store::Page{offset, kListAllPageSize});
    if (!page.ok()) return page.status();
    for (T& item : page->items) all.push_back(std::move(item));
    if (page->items.size() < static_cast<size_t>(kListAllPageSize) ||
        static_cast<int64_t>(all.size()) >= page->total) {
      return all;
    }
  }
}

}  // namespace torikumi::domain
