// The routes of the year-end rating round's pages under a plan's web path:
//   GET  …/plans/{p}/ratingRounds          the plan's rounds and the form that opens one
//   POST …/plans/{p}/ratingRounds          open the round of a fiscal year
//   GET  …/plans/{p}/ratingRounds/{year}   the round: progress, the next entry, the forms
//   POST …/plans/{p}/ratingRounds/{year}   accept, override, close or reopen
// A posted form that the API takes leads back to the round's page (303); one it refuses
// shows the page again with the API's message.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace torikumi::server::web {

// `plan_pattern` matches a plan's web path with the organization and plan ids as its first
// two groups.
void InstallRoundPages(httplib::Server& server, std::shared_ptr<grpc::Channel> channel,
                       const std::string& plan_pattern);

}  // namespace torikumi::server::web
