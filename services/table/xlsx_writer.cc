// XLSX through libxlsxwriter: one worksheet per area, the merged ranges of the grid
// merged in the sheet. libxlsxwriter 1.1.4 writes only to a file, so the workbook is
// written to a private temporary file, read back and removed.
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/table/table_grid.h"
#include "services/table/table_writer.h"
#include "services/table/text_util.h"
#include "xlsxwriter.h"

namespace torikumi::table {
namespace {

constexpr int kMaxSheetNameCodePoints = 31;  // Excel's limit
constexpr absl::string_view kSheetNameForbidden = "[]:*?/\\";

// Column widths in characters: labels, title, 区分, schedule years, outcome years, rating.
constexpr double kLabelWidth = 18;
constexpr double kTitleWidth = 40;
constexpr double kNarrowWidth = 6;
constexpr double kOutcomeWidth = 30;

// A temporary file removed when this goes out of scope.
class TempFile {
 public:
  TempFile() {
    const char* dir = getenv("TMPDIR");
    path_ = absl::StrCat(dir != nullptr && dir[0] != '\0' ? dir : "/tmp",
                         "/torikumi-table-XXXXXX.xlsx");
    int fd = mkstemps(path_.data(), 5);
    if (fd < 0) {
      path_.clear();
    } else {
      close(fd);
    }
  }
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Excel sheet names: at most 31 characters, none of []:*?/\, unique in the workbook.
std::string SheetName(absl::string_view area, std::set<std::string>* used) {
  std::string name;
  int count = 0;
  for (size_t i = 0; i < area.size() && count < kMaxSheetNameCodePoints;) {
    absl::string_view cp = FirstCodePoint(area.substr(i));
    i += cp.size();
    if (cp.size() == 1 && kSheetNameForbidden.find(cp[0]) != absl::string_view::npos) continue;
    name.append(cp.data(), cp.size());
    ++count;
  }
  if (name.empty()) name = "Sheet";
  std::string unique = name;
  for (int k = 2; used->count(unique) > 0; ++k) unique = absl::StrCat(name, " (", k, ")");
  used->insert(unique);
  return unique;
}

struct Formats {
  lxw_format* title;
  lxw_format* area;
  lxw_format* header;
  lxw_format* data;
  lxw_format* center;
  lxw_format* legend;
};

Formats MakeFormats(lxw_workbook* workbook) {
  Formats f;
  f.title = workbook_add_format(workbook);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.area = workbook_add_format(workbook);
  format_set_bold(f.area);
  f.header = workbook_add_format(workbook);
  format_set_bold(f.header);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_bg_color(f.header, 0xDDEBF7);
  format_set_text_wrap(f.header);
  f.data = workbook_add_format(workbook);
  format_set_text_wrap(f.data);
  format_set_align(f.data, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(f.data, LXW_BORDER_THIN);
  f.center = workbook_add_format(workbook);
  format_set_align(f.center, LXW_ALIGN_CENTER);
  format_set_align(f.center, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(f.center, LXW_BORDER_THIN);
  f.legend = workbook_add_format(workbook);
  return f;
}

absl::Status Check(lxw_error error, const std::string& sheet, int row, int column) {
  if (error == LXW_NO_ERROR) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("cannot write cell ", row + 1, ":", column + 1,
                                                 " of sheet '", sheet, "': ", lxw_strerror(error)));
}

// Year columns per group (schedule, outcomes) of an area grid.
int YearColumnCount(const AreaGrid& grid) { return (grid.columns - 5) / 2; }

void SetColumnWidths(lxw_worksheet* sheet, const AreaGrid& grid) {
  const int n = YearColumnCount(grid);
  worksheet_set_column(sheet, 0, 1, kLabelWidth, nullptr);
  worksheet_set_column(sheet, 2, 2, kTitleWidth, nullptr);
  worksheet_set_column(sheet, 3, 3 + n, kNarrowWidth, nullptr);
  if (n > 0) worksheet_set_column(sheet, 4 + n, 3 + 2 * n, kOutcomeWidth, nullptr);
  worksheet_set_column(sheet, grid.columns - 1, grid.columns - 1, kNarrowWidth, nullptr);
}

lxw_format* FormatOf(const Formats& f, const AreaGrid& grid, const GridRow& row, int column) {
  switch (row.kind) {
    case GridRowKind::kTitle:
      return f.title;
    case GridRowKind::kArea:
      return f.area;
    case GridRowKind::kHeader:
      return f.header;
    case GridRowKind::kLegend:
      return f.legend;
    case GridRowKind::kData: {
      // 区分, the schedule and the grade are centred.
      const bool centred =
          (column >= 3 && column < 4 + YearColumnCount(grid)) || column == grid.columns - 1;
      return centred ? f.center : f.data;
    }
    case GridRowKind::kBlank:
      break;
  }
  return f.data;
}

// Which cells lie inside a merged range: worksheet_merge_range writes those, not one by one.
std::vector<bool> MergedCells(const AreaGrid& grid) {
  std::vector<bool> merged(grid.rows.size() * static_cast<size_t>(grid.columns), false);
  for (const MergedRange& m : grid.merges) {
    for (int r = m.first_row; r <= m.last_row; ++r) {
      for (int c = m.first_column; c <= m.last_column; ++c) {
        merged[static_cast<size_t>(r) * grid.columns + c] = true;
      }
    }
  }
  return merged;
}

absl::Status WriteCells(lxw_worksheet* sheet, const std::string& name, const AreaGrid& grid,
                        const Formats& f) {
  const std::vector<bool> merged = MergedCells(grid);
  for (int r = 0; r < static_cast<int>(grid.rows.size()); ++r) {
    const GridRow& row = grid.rows[r];
    for (int c = 0; c < static_cast<int>(row.cells.size()); ++c) {
      if (c < grid.columns && merged[static_cast<size_t>(r) * grid.columns + c]) continue;
      const std::string& text = row.cells[c];
      lxw_format* format = FormatOf(f, grid, row, c);
      lxw_error error = text.empty() ? worksheet_write_blank(sheet, r, c, format)
                                     : worksheet_write_string(sheet, r, c, text.c_str(), format);
      if (absl::Status s = Check(error, name, r, c); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status WriteMergedRanges(lxw_worksheet* sheet, const std::string& name, const AreaGrid& grid,
                               const Formats& f) {
  for (const MergedRange& m : grid.merges) {
    const GridRow& row = grid.rows[m.first_row];
    const std::string empty;
    const std::string& text =
        m.first_column < static_cast<int>(row.cells.size()) ? row.cells[m.first_column] : empty;
    lxw_error error =
        worksheet_merge_range(sheet, m.first_row, m.first_column, m.last_row, m.last_column,
                              text.c_str(), FormatOf(f, grid, row, m.first_column));
    if (absl::Status s = Check(error, name, m.first_row, m.first_column); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status WriteSheet(lxw_workbook* workbook, const AreaGrid& grid, const Formats& f,
                        std::set<std::string>* used_names) {
  const std::string name = SheetName(grid.area, used_names);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
  if (sheet == nullptr) return absl::InternalError("libxlsxwriter could not add a worksheet");
  SetColumnWidths(sheet, grid);
  if (absl::Status s = WriteCells(sheet, name, grid, f); !s.ok()) return s;
  return WriteMergedRanges(sheet, name, grid, f);
}

}  // namespace

absl::StatusOr<std::string> WriteXlsx(const v1::TableDocument& document) {
  TempFile file;
  if (file.path().empty()) {
    return absl::InternalError("cannot create a temporary file for the workbook");
  }
  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) return absl::InternalError("libxlsxwriter could not start a workbook");
  Formats formats = MakeFormats(workbook);
  std::set<std::string> used_names;
  absl::Status status;
  for (const AreaGrid& grid : BuildAreaGrids(document)) {
    status = WriteSheet(workbook, grid, formats, &used_names);
    if (!status.ok()) break;
  }
  // workbook_close also frees the workbook, so it runs on the error path too.
  lxw_error closed = workbook_close(workbook);
  if (!status.ok()) return status;
  if (closed != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("cannot write the workbook: ", lxw_strerror(closed)));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return absl::InternalError("cannot read the written workbook back");
  return bytes.str();
}

}  // namespace torikumi::table
