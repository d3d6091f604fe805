#include "services/evaluators/request_wire.h"

#include <cstdint>
#include <cstring>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/wire_format_lite.h"

namespace torikumi::evaluators {
namespace {

using google::protobuf::MessageLite;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

// Each Write below follows the generated _InternalSerialize of its message: fields in
// number order, proto3 defaults (empty, zero, unset) left out, strings not checked.
// Nested messages' sizes come from the ByteSizeLong() call that starts the
// serialization, which caches them per message.

uint8_t* String(int field, const std::string& value, uint8_t* out) {
  if (value.empty()) return out;
  return WireFormatLite::WriteStringToArray(field, value, out);
}

uint8_t* Int32(int field, int32_t value, uint8_t* out) {
  return value == 0 ? out : WireFormatLite::WriteInt32ToArray(field, value, out);
}

uint8_t* Enum(int field, int value, uint8_t* out) {
  return value == 0 ? out : WireFormatLite::WriteEnumToArray(field, value, out);
}

// proto3 writes a double whose bits are not all zero (so -0.0 is written, as generated code does).
uint8_t* Double(int field, double value, uint8_t* out) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits == 0 ? out : WireFormatLite::WriteDoubleToArray(field, value, out);
}

uint8_t* MessageHeader(int field, const MessageLite& message, uint8_t* out) {
  out = WireFormatLite::WriteTagToArray(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, out);
  return CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(message.GetCachedSize()),
                                                 out);
}

uint8_t* Bool(int field, bool value, uint8_t* out) {
  return value ? WireFormatLite::WriteBoolToArray(field, value, out) : out;
}

uint8_t* Write(const v1::ScheduleEntry& e, uint8_t* out) {
  out = Int32(1, e.fiscal_year(), out);
  out = Enum(2, e.phase(), out);
  return Bool(3, e.continuation(), out);
}

uint8_t* Write(const v1::Date& d, uint8_t* out) {
  out = Int32(1, d.year(), out);
  out = Int32(2, d.month(), out);
  return Int32(3, d.day(), out);
}

uint8_t* Write(const v1::Period& p, uint8_t* out) {
  out = Int32(1, p.first_fiscal_year(), out);
  return Int32(2, p.last_fiscal_year(), out);
}

uint8_t* Write(const google::protobuf::Timestamp& t, uint8_t* out) {
  if (t.seconds() != 0) out = WireFormatLite::WriteInt64ToArray(1, t.seconds(), out);
  return Int32(2, t.nanos(), out);
}

// One writer per message of a request (declared here, as Nested below calls them all).
uint8_t* Write(const v1::Grade& g, uint8_t* out);
uint8_t* Write(const v1::RatingScale& s, uint8_t* out);
uint8_t* Write(const v1::HumanRating& h, uint8_t* out);
uint8_t* Write(const v1::Initiative& i, uint8_t* out);
uint8_t* Write(const v1::Metric& m, uint8_t* out);
uint8_t* Write(const v1::Outcome& o, uint8_t* out);
uint8_t* Write(const v1::EvaluationSubject& s, uint8_t* out);

// A nested message: its tag, its cached size, then its fields.
template <typename Message>
uint8_t* Nested(int field, const Message& message, uint8_t* out) {
  return Write(message, MessageHeader(field, message, out));
}

uint8_t* Write(const v1::Grade& g, uint8_t* out) {
  out = String(1, g.code(), out);
  out = String(2, g.label(), out);
  return String(3, g.meaning(), out);
}

uint8_t* Write(const v1::RatingScale& s, uint8_t* out) {
  for (const v1::Grade& g : s.grades()) out = Nested(1, g, out);
  return out;
}

uint8_t* Write(const v1::HumanRating& h, uint8_t* out) {
  out = String(1, h.grade(), out);
  out = String(2, h.rater(), out);
  if (h.has_rate_time()) out = Nested(3, h.rate_time(), out);
  out = String(4, h.reason(), out);
  out = String(5, h.rating_round(), out);
  return String(6, h.computed_rating(), out);
}

uint8_t* Write(const v1::Initiative& i, uint8_t* out) {
  out = String(1, i.name(), out);
  out = String(2, i.area(), out);
  out = String(3, i.theme(), out);
  out = String(4, i.subtheme(), out);
  out = Int32(5, i.number(), out);
  out = String(6, i.title(), out);
  out = Enum(7, i.kind(), out);
  for (const v1::ScheduleEntry& e : i.schedule()) out = Nested(8, e, out);
  out = String(9, i.relists(), out);
  if (i.has_human_rating()) out = Nested(10, i.human_rating(), out);
  if (i.has_create_time()) out = Nested(11, i.create_time(), out);
  if (i.has_update_time()) out = Nested(12, i.update_time(), out);
  return String(13, i.etag(), out);
}

uint8_t* Write(const v1::Metric& m, uint8_t* out) {
  out = String(1, m.label(), out);
  out = Double(2, m.value(), out);
  out = String(3, m.unit(), out);
  // Explicit presence: written when set, zero included.
  if (m.has_out_of()) out = WireFormatLite::WriteDoubleToArray(4, m.out_of(), out);
  if (m.has_target()) out = WireFormatLite::WriteDoubleToArray(5, m.target(), out);
  return out;
}

uint8_t* Write(const v1::Outcome& o, uint8_t* out) {
  out = String(1, o.name(), out);
  out = Int32(2, o.fiscal_year(), out);
  out = String(3, o.text(), out);
  out = Enum(4, o.status(), out);
  for (const v1::Metric& m : o.metrics()) out = Nested(5, m, out);
  if (o.has_as_of()) out = Nested(6, o.as_of(), out);
  if (o.has_update_time()) out = Nested(7, o.update_time(), out);
  return String(8, o.etag(), out);
}

uint8_t* Write(const v1::EvaluationSubject& s, uint8_t* out) {
  if (s.has_initiative()) out = Nested(1, s.initiative(), out);
  for (const v1::Outcome& o : s.outcomes()) out = Nested(2, o, out);
  for (const std::string& marker : s.markers())
    out = WireFormatLite::WriteStringToArray(3, marker, out);
  return out;
}

uint8_t* Write(const v1::EvaluateRequest& r, uint8_t* out) {
  if (r.has_rating_scale()) out = Nested(1, r.rating_scale(), out);
  if (r.has_period()) out = Nested(2, r.period(), out);
  for (const v1::EvaluationSubject& s : r.subjects()) out = Nested(3, s, out);
  out = String(4, r.rule_set_body(), out);
  if (r.has_as_of()) out = Nested(5, r.as_of(), out);
  return out;
}

}  // namespace

std::string SerializeRequestSkippingUtf8Check(const v1::EvaluateRequest& request, bool* fast_path) {
  const size_t size = request.ByteSizeLong();  // also caches every nested message's size
  std::string bytes(size, '\0');
  uint8_t* begin = reinterpret_cast<uint8_t*>(bytes.data());
  // The writer only ever leaves bytes out (unknown fields, fields it does not know), so
  // it stays within `size`, and it wrote everything exactly when it filled `size`.
  const bool complete = Write(request, begin) == begin + size;
  if (fast_path != nullptr) *fast_path = complete;
  if (!complete) return request.SerializeAsString();
  return bytes;
}

}  // namespace torikumi::evaluators
