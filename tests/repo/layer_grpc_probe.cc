// Compiled by the repo_layer_grpc_include tests, never built with the project: with the
// domain's usage requirements it must fail at this #include (the stubs' headers are not on
// the domain's include path); with torikumi_proto's it must compile.
#include "torikumi/v1/plan_service.grpc.pb.h"
