// The host writes a request's bytes itself, without re-checking UTF-8 (see
// services/evaluators/request_wire.h). Its bytes must be protobuf's, for every field.
#include "services/evaluators/request_wire.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::evaluators {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Sets every field of `message` and of the messages in it, through reflection, so that a
// field added to the .proto is filled here without anyone touching this test. Repeated
// fields get two values; strings are Japanese, as most of a real request is.
void FillEveryField(Message* message) {
  const auto* descriptor = message->GetDescriptor();
  const auto* reflection = message->GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const int copies = field->is_repeated() ? 2 : 1;
    for (int copy = 0; copy < copies; ++copy) {
      const bool add = field->is_repeated();
      const std::string text = absl::StrCat("取組状況「", field->name(), "」", copy);
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
          FillEveryField(add ? reflection->AddMessage(message, field)
                             : reflection->MutableMessage(message, field));
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          add ? reflection->AddString(message, field, text)
              : reflection->SetString(message, field, text);
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          add ? reflection->AddInt32(message, field, 2018 + copy)
              : reflection->SetInt32(message, field, 2018 + field->number());
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          add ? reflection->AddInt64(message, field, 1)
              : reflection->SetInt64(message, field, int64_t{1} << 40);
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          add ? reflection->AddDouble(message, field, 0.5)
              : reflection->SetDouble(message, field, 468.0 + field->number());
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          add ? reflection->AddBool(message, field, true)
              : reflection->SetBool(message, field, true);
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const auto* last = field->enum_type()->value(field->enum_type()->value_count() - 1);
          add ? reflection->AddEnum(message, field, last)
              : reflection->SetEnum(message, field, last);
          break;
        }
        default:
          FAIL() << field->full_name() << " has a type this test does not fill; teach it";
      }
    }
  }
}

TEST(PluginRequestWire, EveryFieldOfEveryMessageIsWrittenAsProtobufWritesIt) {
  v1::EvaluateRequest request;
  FillEveryField(&request);
  ASSERT_GT(request.subjects(0).outcomes(0).metrics(0).label().size(), 0u);
  bool fast_path = false;
  const std::string bytes = SerializeRequestSkippingUtf8Check(request, &fast_path);
  EXPECT_TRUE(fast_path) << "the writer left a field out and fell back to protobuf: a field "
                            "was added to the request's messages and not to request_wire.cc";
  EXPECT_EQ(bytes, request.SerializeAsString());
}

TEST(PluginRequestWire, DefaultsAndEdgeValuesMatchProtobuf) {
  v1::EvaluateRequest request;
  bool fast_path = false;
  EXPECT_EQ(SerializeRequestSkippingUtf8Check(request, &fast_path), "");
  EXPECT_TRUE(fast_path);

  v1::Initiative* initiative = request.add_subjects()->mutable_initiative();
  initiative->set_number(-3);  // a negative int32 is a ten-byte varint
  initiative->mutable_create_time()->set_seconds(-1);
  request.mutable_subjects(0)->add_markers("");  // repeated: an empty element is still written
  v1::Metric* metric = request.mutable_subjects(0)->add_outcomes()->add_metrics();
  metric->set_value(-0.0);  // implicit presence writes any value whose bits are not zero
  metric->set_out_of(0);    // explicit presence writes a set zero
  request.mutable_subjects(0)->add_outcomes();  // an empty message in a repeated field
  request.mutable_as_of();                      // a set but empty message
  ASSERT_TRUE(std::signbit(metric->value()));
  EXPECT_EQ(SerializeRequestSkippingUtf8Check(request, &fast_path), request.SerializeAsString());
  EXPECT_TRUE(fast_path);
}

// Fields the writer does not know (here: a field number from a newer torikumi) are
// noticed by their size; protobuf then serializes the request, unknown fields included.
TEST(PluginRequestWire, UnknownFieldsFallBackToProtobufAndAreKept) {
  v1::EvaluateRequest request;
  v1::Initiative* initiative = request.add_subjects()->mutable_initiative();
  initiative->set_name("organizations/o/plans/p/initiatives/1");
  initiative->GetReflection()->MutableUnknownFields(initiative)->AddVarint(99, 7);
  bool fast_path = true;
  const std::string bytes = SerializeRequestSkippingUtf8Check(request, &fast_path);
  EXPECT_FALSE(fast_path);
  EXPECT_EQ(bytes, request.SerializeAsString());
  v1::EvaluateRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.subjects(0)
                .initiative()
                .GetReflection()
                ->GetUnknownFields(parsed.subjects(0).initiative())
                .field_count(),
            1);
}

}  // namespace
}  // namespace torikumi::evaluators
