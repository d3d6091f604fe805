// The `echo` evaluator: grades every initiative with the grade its rule-set body names,
// a text-format echo.v1.EchoConfig (e.g.  grade: "B"). Written against the C header and
// the SDK's text-config helper only, to show what a third-party plugin needs: the
// function table, serialized messages, malloc'ed buffers, no exception across the
// boundary, and a config message of its own.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cpp/text_config.h"
#include "echo_config.pb.h"
#include "echo_config_descriptors.h"
#include "torikumi/v1/evaluation.pb.h"
#include "torikumi_evaluator.h"

struct TorikumiEvaluator {
  std::string grade;
};

namespace {

char* Message(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out != nullptr) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

TorikumiCode Write(const google::protobuf::MessageLite& message, TorikumiBuffer* out) {
  const std::string bytes = message.SerializeAsString();
  out->data = static_cast<uint8_t*>(std::malloc(bytes.size() + 1));
  if (out->data == nullptr) return TORIKUMI_CODE_RESOURCE_EXHAUSTED;
  std::memcpy(out->data, bytes.data(), bytes.size());
  out->size = bytes.size();
  return TORIKUMI_CODE_OK;
}

// The body as an EchoConfig, or "" with *error set to why not.
echo::v1::EchoConfig ParseConfig(const std::string& body, std::string* error) {
  echo::v1::EchoConfig config;
  std::vector<std::string> errors;
  if (!torikumi::plugin_sdk::ParseTextConfig(body, "echo.v1.EchoConfig", EchoConfigDescriptors(),
                                             &config, &errors)) {
    *error = "the body does not parse as echo.v1.EchoConfig: " + errors.front();
  } else if (config.grade().empty()) {
    *error = "rule \"grade\": the body must name a grade";
  }
  return config;
}

TorikumiCode Describe(TorikumiBuffer* info, char** error_message) {
  try {
    torikumi::v1::EvaluatorInfo out;
    out.set_description("grades every initiative with the grade named by the rule-set body");
    return Write(out, info);
  } catch (...) {
    *error_message = Message("describe failed");
    return TORIKUMI_CODE_INTERNAL;
  }
}

TorikumiCode Validate(const uint8_t* request, size_t request_size, TorikumiBuffer* response,
                      char** error_message) {
  try {
    torikumi::v1::ValidateRuleSetRequest in;
    if (!in.ParseFromArray(request, static_cast<int>(request_size))) {
      *error_message = Message("request does not parse");
      return TORIKUMI_CODE_INVALID_ARGUMENT;
    }
    torikumi::v1::ValidateRuleSetResponse out;
    std::string error;
    const echo::v1::EchoConfig config = ParseConfig(in.rule_set_body(), &error);
    bool on_scale = in.rating_scale().grades().empty();
    for (const auto& g : in.rating_scale().grades())
      on_scale = on_scale || g.code() == config.grade();
    if (error.empty() && !on_scale) {
      error = "rule \"grade\": the body must be one grade of the plan's scale, not \"" +
              config.grade() + "\"";
    }
    if (!error.empty()) {
      auto* v = out.add_violations();
      v->set_rule("grade");
      v->set_description(error);
    }
    return Write(out, response);
  } catch (...) {
    *error_message = Message("validate failed");
    return TORIKUMI_CODE_INTERNAL;
  }
}

TorikumiCode Create(const char* body, size_t body_size, TorikumiEvaluator** evaluator,
                    char** error_message) {
  try {
    std::string error;
    const echo::v1::EchoConfig config = ParseConfig(
        std::string(body == nullptr ? "" : body, body == nullptr ? 0 : body_size), &error);
    if (!error.empty()) {
      *error_message = Message(error);
      return TORIKUMI_CODE_INVALID_ARGUMENT;
    }
    *evaluator = new TorikumiEvaluator{config.grade()};
    return TORIKUMI_CODE_OK;
  } catch (...) {
    *error_message = Message("create failed");
    return TORIKUMI_CODE_INTERNAL;
  }
}

void Destroy(TorikumiEvaluator* evaluator) { delete evaluator; }

TorikumiCode Evaluate(const TorikumiEvaluator* evaluator, const uint8_t* request,
                      size_t request_size, TorikumiBuffer* response, char** error_message) {
  try {
    torikumi::v1::EvaluateRequest in;
    if (!in.ParseFromArray(request, static_cast<int>(request_size))) {
      *error_message = Message("request does not parse");
      return TORIKUMI_CODE_INVALID_ARGUMENT;
    }
    torikumi::v1::EvaluateResponse out;
    for (const auto& subject : in.subjects()) {
      auto* e = out.add_evaluations();
      e->set_initiative(subject.initiative().name());
      e->set_grade(evaluator->grade);
      e->add_fired_rules("grade");
      auto* fact = e->add_facts();
      fact->set_name("outcomes");
      fact->set_value(std::to_string(subject.outcomes_size()));
      e->set_reason("echo: the rule set names grade " + evaluator->grade);
    }
    return Write(out, response);
  } catch (const std::exception& e) {
    *error_message = Message(e.what());
    return TORIKUMI_CODE_INTERNAL;
  } catch (...) {
    *error_message = Message("evaluate failed");
    return TORIKUMI_CODE_INTERNAL;
  }
}

void FreeBuffer(void* buffer) { std::free(buffer); }

const TorikumiEvaluatorApi kApi = {
    TORIKUMI_EVALUATOR_ABI_MAJOR,
    TORIKUMI_EVALUATOR_ABI_MINOR,
    "echo",
    "0.1.0",
    Describe,
    Validate,
    Create,
    Destroy,
    Evaluate,
    FreeBuffer,
};

}  // namespace

extern "C" TORIKUMI_EVALUATOR_EXPORT const TorikumiEvaluatorApi* torikumi_evaluator_api(void) {
  return &kApi;
}
