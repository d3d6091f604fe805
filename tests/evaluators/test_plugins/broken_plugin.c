/* Plugins that are wrong on purpose, one per build (see ../CMakeLists.txt), written in
 * plain C against the SDK header only:
 *   PLUGIN_ABI_MAJOR / PLUGIN_ABI_MINOR  the ABI version the table claims
 *   PLUGIN_NO_ENTRY_POINT                exports its table under another name
 *   PLUGIN_OUTPUT_GARBAGE                evaluate() returns bytes that are not protobuf
 *   PLUGIN_OUTPUT_EMPTY                  evaluate() returns a response with no evaluations
 */
#include <stdlib.h>
#include <string.h>

#include "torikumi_evaluator.h"

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "broken"
#endif
#ifndef PLUGIN_ABI_MAJOR
#define PLUGIN_ABI_MAJOR TORIKUMI_EVALUATOR_ABI_MAJOR
#endif
#ifndef PLUGIN_ABI_MINOR
#define PLUGIN_ABI_MINOR TORIKUMI_EVALUATOR_ABI_MINOR
#endif

struct TorikumiEvaluator {
  int unused;
};

/* An empty message is zero bytes: a valid EvaluatorInfo / ValidateRuleSetResponse /
 * EvaluateResponse with nothing in it. */
static TorikumiCode empty_output(TorikumiBuffer* out) {
  out->data = NULL;
  out->size = 0;
  return TORIKUMI_CODE_OK;
}

static TorikumiCode describe(TorikumiBuffer* info, char** error_message) {
  (void)error_message;
  return empty_output(info);
}

static TorikumiCode validate(const uint8_t* request, size_t request_size, TorikumiBuffer* response,
                             char** error_message) {
  (void)request, (void)request_size, (void)error_message;
  return empty_output(response);
}

static TorikumiCode create(const char* body, size_t body_size, TorikumiEvaluator** evaluator,
                           char** error_message) {
  (void)body, (void)body_size, (void)error_message;
  *evaluator = (TorikumiEvaluator*)calloc(1, sizeof(TorikumiEvaluator));
  return *evaluator == NULL ? TORIKUMI_CODE_RESOURCE_EXHAUSTED : TORIKUMI_CODE_OK;
}

static void destroy(TorikumiEvaluator* evaluator) { free(evaluator); }

static TorikumiCode evaluate(const TorikumiEvaluator* evaluator, const uint8_t* request,
                             size_t request_size, TorikumiBuffer* response, char** error_message) {
  (void)evaluator, (void)request, (void)request_size, (void)error_message;
#if defined(PLUGIN_OUTPUT_GARBAGE)
  /* 0x0f: field 1 with wire type 7, which does not exist. */
  static const uint8_t garbage[] = {0x0f, 0xff, 0xff, 0xff, 'n', 'o', 't', ' ', 'p', 'b'};
  response->data = (uint8_t*)malloc(sizeof garbage);
  if (response->data == NULL) return TORIKUMI_CODE_RESOURCE_EXHAUSTED;
  memcpy(response->data, garbage, sizeof garbage);
  response->size = sizeof garbage;
  return TORIKUMI_CODE_OK;
#else
  return empty_output(response);
#endif
}

static void free_buffer(void* buffer) { free(buffer); }

static const TorikumiEvaluatorApi api = {
    PLUGIN_ABI_MAJOR, PLUGIN_ABI_MINOR, PLUGIN_NAME, "0.0.1",  describe,
    validate,         create,           destroy,     evaluate, free_buffer,
};

#ifdef PLUGIN_NO_ENTRY_POINT
TORIKUMI_EVALUATOR_EXPORT const TorikumiEvaluatorApi* evaluator_api(void) { return &api; }
#else
TORIKUMI_EVALUATOR_EXPORT const TorikumiEvaluatorApi* torikumi_evaluator_api(void) { return &api; }
#endif
