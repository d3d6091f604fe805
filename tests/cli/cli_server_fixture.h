// The CLI's end-to-end tests: a real in-process server on 127.0.0.1:0 with its SQLite file
// in a fresh temp folder, and Cli(...), which runs a command through RunCli exactly as the
// torikumi binary runs it.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/cli/cli.h"
#include "services/server/server.h"

namespace torikumi::cli {

struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

class CliServerTest : public ::testing::Test {
 protected:
  // Opens the database and starts the server. With `plugins_dir`, ratings are enabled on
  // it; with `seed`, that table is imported into organizations/city before it starts.
  void StartServer(const std::string& plugins_dir = "", const std::string& seed = "") {
    std::string pattern = (std::filesystem::temp_directory_path() / "torikumi-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto server = server::Server::Open(dir_ + "/torikumi.db");
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    if (!plugins_dir.empty()) {
      ASSERT_TRUE(server_->EnableRatings(plugins_dir).ok());
    }
    ASSERT_TRUE(server_->EnableChangeFeed().ok());
    if (!seed.empty()) {
      ASSERT_TRUE(server_->LoadDemoTable(seed, "city").ok());
    }
    ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
    address_ = server_->address();
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
    server_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  CliResult Cli(std::vector<std::string> args) {
    std::ostringstream out, err;
    int code = RunCli(args, out, err, address_);
    return {code, out.str(), err.str()};
  }

  std::string dir_;
  std::unique_ptr<server::Server> server_;
  std::string address_;
};

}  // namespace torikumi::cli
