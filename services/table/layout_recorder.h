// Records a text table's own layout (v1::TableLayout) while the reader goes through its
// records: the first title line's period and caption, the first header's words and year
// labels as written, how many title and legend lines there are, and the blank lines
// around the first title, 【area】 and legend lines.
#pragma once

#include <optional>
#include <vector>

#include "services/table/records.h"
#include "services/table/title_line.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::table {

class LayoutRecorder {
 public:
  // Each is told the index of the record in the table's records.
  void Title(size_t index, const TitleLine& title);
  void Area(size_t index);
  void Legend(size_t index, const Record& record);
  // The header rows of an area; `years` is null when there is no year row.
  void Header(const Record& names, const Record* years);

  // The layout, with the blank lines counted in `records`.
  v1::TableLayout Finish(const std::vector<Record>& records) const;

 private:
  v1::TableLayout layout_;
  bool header_seen_ = false;
  int titles_ = 0;
  int areas_ = 0;
  int legends_ = 0;
  std::optional<size_t> first_title_;
  std::optional<size_t> first_area_;
  std::optional<size_t> first_legend_;
};

}  // namespace torikumi::table
