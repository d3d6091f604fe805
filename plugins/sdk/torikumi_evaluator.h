/*
 * torikumi evaluator plugin ABI.
 *
 * An evaluator plugin is a shared library that computes ratings of initiatives from a
 * rule set. The host (the torikumi server) loads every plugin in its plugins directory
 * with dlopen(), looks up ONE exported C function, TORIKUMI_EVALUATOR_ENTRY_POINT, and
 * talks to the plugin only through the table of function pointers it returns.
 *
 * Only C types cross this boundary: requests and results are serialized protobuf bytes
 * of the messages in torikumi/v1/evaluation.proto, so a plugin built with another
 * compiler, C++ standard library or protobuf version still works.
 *
 * Versioning: the table starts with the ABI version the plugin was built against.
 * A new optional function appended to the table bumps MINOR; any other change bumps
 * MAJOR. The host loads a plugin whose MAJOR equals its own and whose MINOR is not newer
 * than its own, and refuses any other with one log line.
 *
 * Memory: every buffer the plugin returns (result bytes, error messages) is allocated by
 * the plugin and released by the host with the table's free_buffer(), never with the
 * host's free(), because the two sides may use different allocators. Buffers the host
 * passes in stay owned by the host and are valid only for the duration of the call.
 *
 * Errors: every fallible function returns a TorikumiCode (google.rpc.Code numbering).
 * On anything but TORIKUMI_CODE_OK it may set *error_message to a NUL-terminated UTF-8
 * text that the host frees with free_buffer(). No C++ exception may leave a function of
 * the table: a plugin written in C++ catches everything at the boundary.
 *
 * Threads: the host may call evaluate() on the same evaluator from several threads at
 * once, and may call any function from any thread; a plugin makes them thread-safe.
 * A call the host stops waiting for (its time limit passed) keeps running on its own
 * thread; the host keeps the evaluator and the library alive until it returns.
 *
 * Linking (Linux): export only the entry point (see torikumi_evaluator.map). The host
 * process already has the torikumi/v1 .proto files registered in protobuf's process-wide
 * descriptor pool, and registering them a second time aborts the process. So a plugin
 * either carries a private protobuf runtime (linked statically, built with -fPIC, all of
 * it hidden by the version script), or, as the built-in plugins do, generates the
 * messages with `option optimize_for = LITE_RUNTIME` (generated code that registers
 * nothing) and parses text-format rule sets through a private DescriptorPool.
 */
#ifndef TORIKUMI_EVALUATOR_H_
#define TORIKUMI_EVALUATOR_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. */
#define TORIKUMI_EVALUATOR_ABI_MAJOR 1
#define TORIKUMI_EVALUATOR_ABI_MINOR 0

/* The name of the one symbol a plugin exports (see torikumi_evaluator_api below). */
#define TORIKUMI_EVALUATOR_ENTRY_POINT "torikumi_evaluator_api"

#if defined(__GNUC__)
#define TORIKUMI_EVALUATOR_EXPORT __attribute__((visibility("default")))
#else
#define TORIKUMI_EVALUATOR_EXPORT
#endif

/* Status codes, numbered as google.rpc.Code (and absl::StatusCode). */
typedef int32_t TorikumiCode;
#define TORIKUMI_CODE_OK 0
#define TORIKUMI_CODE_CANCELLED 1
#define TORIKUMI_CODE_UNKNOWN 2
#define TORIKUMI_CODE_INVALID_ARGUMENT 3
#define TORIKUMI_CODE_DEADLINE_EXCEEDED 4
#define TORIKUMI_CODE_NOT_FOUND 5
#define TORIKUMI_CODE_RESOURCE_EXHAUSTED 8
#define TORIKUMI_CODE_FAILED_PRECONDITION 9
#define TORIKUMI_CODE_UNIMPLEMENTED 12
#define TORIKUMI_CODE_INTERNAL 13
#define TORIKUMI_CODE_UNAVAILABLE 14

/*
 * Bytes returned by the plugin. The plugin allocates `data` (it may be NULL when size is
 * 0); the host releases it with free_buffer(data) once it has read it.
 */
typedef struct TorikumiBuffer {
  uint8_t* data;
  size_t size;
} TorikumiBuffer;

/*
 * An evaluator instance: one rule set, parsed and compiled once (patterns included),
 * then used for any number of evaluate() calls. Opaque to the host; created by create()
 * and released by destroy().
 */
typedef struct TorikumiEvaluator TorikumiEvaluator;

/*
 * The function table. The plugin owns it; it must stay valid and unchanged for as long
 * as the library is loaded. Fields are only ever appended (a MINOR bump), so a host reads
 * fields beyond those of ABI 1.0 only when the plugin's abi_minor says they exist.
 */
typedef struct TorikumiEvaluatorApi {
  /* TORIKUMI_EVALUATOR_ABI_MAJOR / _MINOR as the plugin was compiled. */
  uint32_t abi_major;
  uint32_t abi_minor;

  /*
   * The evaluator's name, e.g. "rules" (lower case letters, digits, '_' and '-'); rule
   * sets name their evaluator by it, so it is unique among loaded plugins. Plugin-owned,
   * NUL-terminated, valid while the library is loaded; the host copies it.
   */
  const char* name;
  /* The plugin's own version, e.g. "1.2.0". Plugin-owned like name. */
  const char* version;

  /*
   * Describes the evaluator: writes a serialized torikumi.v1.EvaluatorInfo (description,
   * config_type, facts) into *info.
   *   info          out: plugin-allocated bytes; host frees info->data with free_buffer.
   *   error_message out: on failure, optionally a plugin-allocated message; host frees
   *                 it with free_buffer. Left untouched on success.
   */
  TorikumiCode (*describe)(TorikumiBuffer* info, char** error_message);

  /*
   * Checks a rule set without creating an instance: reads a serialized
   * torikumi.v1.ValidateRuleSetRequest (body and, optionally, the plan's rating scale)
   * and writes a serialized torikumi.v1.ValidateRuleSetResponse listing every mistake,
   * each naming its rule. A rule set with mistakes is still TORIKUMI_CODE_OK with a
   * non-empty list; an error code means the check itself failed (e.g. request bytes
   * that do not parse).
   *   request, request_size  in: host-owned, valid during the call only.
   *   response      out: plugin-allocated bytes; host frees response->data with free_buffer.
   *   error_message out: as for describe.
   */
  TorikumiCode (*validate)(const uint8_t* request, size_t request_size, TorikumiBuffer* response,
                           char** error_message);

  /*
   * Parses and compiles a rule-set body (the evaluator's language, e.g. protobuf text
   * format) into a new instance. A body with mistakes yields
   * TORIKUMI_CODE_INVALID_ARGUMENT and a message naming the rule(s).
   *   body, body_size  in: host-owned UTF-8, not NUL-terminated, valid during the call only.
   *   evaluator     out: on success, a plugin-allocated instance; the host releases it
   *                 with destroy() and never frees it otherwise.
   *   error_message out: as for describe.
   */
  TorikumiCode (*create)(const char* body, size_t body_size, TorikumiEvaluator** evaluator,
                         char** error_message);

  /*
   * Releases an instance made by create(). The host calls it exactly once per instance,
   * after every evaluate() on it has returned. NULL is accepted and ignored.
   */
  void (*destroy)(TorikumiEvaluator* evaluator);

  /*
   * Evaluates a batch: reads a serialized torikumi.v1.EvaluateRequest and writes a
   * serialized torikumi.v1.EvaluateResponse with one evaluation per subject.
   *   evaluator     in: an instance from create(), still owned by the host.
   *   request, request_size  in: host-owned, valid during the call only.
   *   response      out: plugin-allocated bytes; host frees response->data with free_buffer.
   *   error_message out: as for describe.
   * A failure concerns the whole batch; the host treats output that does not parse, or
   * that lacks a subject, as an error of the call.
   */
  TorikumiCode (*evaluate)(const TorikumiEvaluator* evaluator, const uint8_t* request,
                           size_t request_size, TorikumiBuffer* response, char** error_message);

  /* Releases a buffer or message this plugin allocated. NULL is accepted and ignored. */
  void (*free_buffer)(void* buffer);
} TorikumiEvaluatorApi;

/*
 * The entry point. Returns the plugin's function table (plugin-owned, static lifetime),
 * or NULL if the plugin cannot work in this process. Called once per load, from any
 * thread; it must not fail in any other way.
 */
TORIKUMI_EVALUATOR_EXPORT const TorikumiEvaluatorApi* torikumi_evaluator_api(void);

typedef const TorikumiEvaluatorApi* (*TorikumiEvaluatorApiFn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TORIKUMI_EVALUATOR_H_ */
