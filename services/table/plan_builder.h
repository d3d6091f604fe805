// Turns parsed rows into the initiatives of a plan: carries themes and subthemes down
// through merged cells, decides which of two titles in one row owns the row's data,
// merges a repeated number, numbers an unnumbered title, links （再掲） to its original by
// title, and orders the initiatives for display.
#pragma once

#include <string>
#include <vector>

#include "services/table/finding.h"
#include "services/table/row_parser.h"
#include "services/table/table_reader.h"

namespace torikumi::table {

class PlanBuilder {
 public:
  explicit PlanBuilder(FindingSink* findings) : findings_(findings) {}

  void StartArea(std::string name);
  bool has_area() const { return !areas_.empty(); }
  void AddRow(const ParsedRow& row);

  // Links re-lists and returns the initiatives in display order (areas as they came,
  // numbers ascending within an area); `areas` receives the area names in order.
  std::vector<ImportedInitiative> Finish(std::vector<std::string>* areas);

 private:
  struct Entry {
    ImportedInitiative item;
    bool relisted = false;
    bool has_data = false;
    int title_line = 0;
    int title_column = 0;
    std::string title_text;  // the title cell as written
  };
  struct Area {
    std::string name;
    std::vector<Entry> entries;
    std::string theme;
    std::string subtheme;
    int max_number = 0;
  };

  void Place(Area* area, const RowTitle& title, int line, const std::string& theme,
             const std::string& subtheme, const ParsedRow* data);
  void MergeInto(Entry* entry, const ParsedRow& data, int line);

  FindingSink* findings_;
  std::vector<Area> areas_;
  size_t current_ = 0;
};

// Titles compared for re-list links and repeated numbers: NFKC, spaces removed.
std::string TitleKey(absl::string_view title);

}  // namespace torikumi::table
