// ReadSmallFile: the bytes of a file, or an error naming the path and the reason.
#include "services/common/read_file.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace torikumi {
namespace {

class CommonReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "torikumi-read-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::string dir_;
};

TEST_F(CommonReadFileTest, ReadsTheWholeFile) {
  const std::string bytes = std::string(20000, 'x') + "\n-----END CERTIFICATE-----\n";
  absl::StatusOr<std::string> read = ReadSmallFile(Write("a.pem", bytes));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
}

TEST_F(CommonReadFileTest, ErrorsNameThePathAndTheReason) {
  const std::string missing = dir_ + "/missing.pem";
  absl::StatusOr<std::string> absent = ReadSmallFile(missing);
  EXPECT_EQ(absent.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(absent.status().message(),
                                "cannot read " + missing + ": No such file or directory"))
      << absent.status();

  absl::StatusOr<std::string> folder = ReadSmallFile(dir_);
  EXPECT_FALSE(folder.ok());
  EXPECT_TRUE(
      absl::StrContains(folder.status().message(), "cannot read " + dir_ + ": Is a directory"))
      << folder.status();

  absl::StatusOr<std::string> large = ReadSmallFile(Write("big.pem", std::string(100, 'x')), 99);
  EXPECT_EQ(large.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(large.status().message(), "over 99 bytes")) << large.status();
}

}  // namespace
}  // namespace torikumi
