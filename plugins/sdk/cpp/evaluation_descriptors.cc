// The built-in plugins' configs are messages of torikumi/v1/evaluation.proto, whose
// descriptor set the source tree embeds (proto/CMakeLists.txt). Not installed with the
// SDK: a third-party plugin embeds its own (torikumi_add_text_config).
#include "text_config.h"
#include "torikumi/v1/evaluation_descriptor_set.h"

namespace torikumi::plugin_sdk {

DescriptorSetBytes EvaluationDescriptors() {
  return {v1::kEvaluationDescriptorSet, v1::kEvaluationDescriptorSetSize};
}

}  // namespace torikumi::plugin_sdk
