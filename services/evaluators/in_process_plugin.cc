#include "services/evaluators/in_process_plugin.h"

#include "absl/strings/str_cat.h"

namespace torikumi::evaluators {
namespace {

// An instance made by create() in this process; destroy() runs when the last holder (a
// cache entry or a call) lets go.
class InProcessInstance : public EvaluatorInstance {
 public:
  InProcessInstance(std::shared_ptr<const InProcessPlugin> plugin, TorikumiEvaluator* handle,
                    std::string body)
      : plugin_(std::move(plugin)), handle_(handle), body_(std::move(body)) {}
  ~InProcessInstance() override { plugin_->library()->Destroy(handle_); }

  absl::Status Evaluate(std::string request, absl::Duration limit,
                        absl::FunctionRef<absl::Status(absl::string_view)> consume) const override {
    // The closure owns what the call needs (this instance, the request), so an abandoned
    // call frees nothing under itself.
    std::shared_ptr<const InProcessInstance> self =
        std::static_pointer_cast<const InProcessInstance>(shared_from_this());
    absl::StatusOr<PluginBytes> bytes = plugin_->runner().Run<PluginBytes>(
        [self, request = std::move(request)]() -> absl::StatusOr<PluginBytes> {
          TorikumiBuffer buffer{nullptr, 0};
          const auto& library = self->plugin_->library();
          if (absl::Status s = library->Evaluate(self->handle_, request, &buffer); !s.ok())
            return s;
          return PluginBytes(library, buffer);
        },
        limit, absl::StrCat("evaluate() of evaluator ", plugin_->Label()));
    if (!bytes.ok()) return bytes.status();
    return consume(bytes->view());
  }

  const Plugin& plugin() const override { return *plugin_; }
  const std::string& body() const override { return body_; }

 private:
  std::shared_ptr<const InProcessPlugin> plugin_;
  TorikumiEvaluator* handle_;
  std::string body_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const InProcessPlugin>> InProcessPlugin::Open(
    const std::string& path, std::string file_key, std::shared_ptr<TimedCallRunner> runner) {
  absl::StatusOr<std::shared_ptr<PluginLibrary>> library = PluginLibrary::Open(path);
  if (!library.ok()) return library.status();
  return std::make_shared<const InProcessPlugin>(*std::move(library), std::move(file_key),
                                                 std::move(runner));
}

absl::StatusOr<std::string> InProcessPlugin::Validate(std::string request,
                                                      absl::Duration limit) const {
  return runner_->Run<std::string>(
      [library = library_, request = std::move(request)] { return library->Validate(request); },
      limit, absl::StrCat("validate() of evaluator ", Label()));
}

absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> InProcessPlugin::Create(
    std::string body, absl::Duration limit) const {
  auto self = std::static_pointer_cast<const InProcessPlugin>(shared_from_this());
  // Built on the worker thread, so an abandoned create() still ends in destroy() when it
  // returns.
  return runner_->Run<std::shared_ptr<const EvaluatorInstance>>(
      [self, body = std::move(body)]() -> absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> {
        absl::StatusOr<TorikumiEvaluator*> handle = self->library_->Create(body);
        if (!handle.ok()) return handle.status();
        return std::make_shared<const InProcessInstance>(self, *handle, body);
      },
      limit, absl::StrCat("create() of evaluator ", Label()));
}

}  // namespace torikumi::evaluators
