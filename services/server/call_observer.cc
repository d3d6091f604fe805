#include "services/server/call_observer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/interceptor.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "services/server/call_log.h"

namespace torikumi::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The request fields that name what a call is about, most specific first.
constexpr const char* kResourceFields[] = {"name", "initiative", "plan", "parent"};

// The resource a torikumi request names, or "". Only our own services' messages are read:
// the health and reflection services hand the interceptor other types (the health service
// a ByteBuffer), which must not be taken for a protobuf message.
std::string ResourceOf(const google::protobuf::Message& request) {
  const google::protobuf::Descriptor* type = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (const char* field_name : kResourceFields) {
    const google::protobuf::FieldDescriptor* field = type->FindFieldByName(field_name);
    if (field == nullptr || field->is_repeated()) continue;
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      std::string value = reflection->GetString(request, field);
      if (!value.empty()) return value;
    } else if (field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE &&
               reflection->HasField(request, field)) {
      // UpdatePlanRequest.plan and the like: the resource's own name.
      std::string nested = ResourceOf(reflection->GetMessage(request, field));
      if (!nested.empty()) return nested;
    }
  }
  return "";
}

class CallObserver final : public grpc::experimental::Interceptor {
 public:
  CallObserver(grpc::experimental::ServerRpcInfo* info, const PrincipalOf& principal_of)
      : info_(info), principal_of_(principal_of), start_(absl::Now()) {
    call_.method = info->method();
    if (absl::StartsWith(call_.method, "/")) call_.method.erase(0, 1);
    ours_ = absl::StartsWith(call_.method, "torikumi.");
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) && ours_ &&
        call_.resource.empty() && methods->GetRecvMessage() != nullptr) {
      call_.resource =
          ResourceOf(*static_cast<const google::protobuf::Message*>(methods->GetRecvMessage()));
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void Record(const grpc::Status& status) {
    call_.code = absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
    call_.duration = absl::Now() - start_;
    grpc::ServerContextBase* context = info_->server_context();
    if (context != nullptr) {
      call_.peer = context->peer();
      if (principal_of_) call_.principal = principal_of_(*context);
    }
    LogAccess(call_);
  }

  grpc::experimental::ServerRpcInfo* info_;
  const PrincipalOf& principal_of_;
  const absl::Time start_;
  bool ours_ = false;
  AccessRecord call_;
};

}  // namespace

grpc::experimental::Interceptor* CallObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallObserver(info, principal_of_);
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallObserverCreators(PrincipalOf principal_of) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<CallObserverFactory>(std::move(principal_of)));
  return creators;
}

}  // namespace torikumi::server
