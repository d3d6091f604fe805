# Copies a .proto file (IN) to OUT for the evaluator plugins' generated code (see
# CMakeLists.txt), with two changes that keep the wire format:
#   - `option optimize_for = LITE_RUNTIME;` after the package line: lite code registers
#     nothing in protobuf's process-wide descriptor pool, which belongs to the host;
#   - `string` fields become `bytes` (same encoding): the plugin side then skips UTF-8
#     checks the host already makes when it serializes the request and parses the
#     response, which would otherwise be half the cost of crossing the boundary.
file(READ ${IN} text)
string(REGEX REPLACE "(\npackage [^;]+;)" "\\1\n\noption optimize_for = LITE_RUNTIME;" text "${text}")
if(NOT text MATCHES "optimize_for = LITE_RUNTIME")
  message(FATAL_ERROR "lite_proto.cmake: no package line in ${IN}")
endif()
string(REGEX REPLACE "\n( *)(repeated|optional) +string +([a-z_0-9]+ *= *[0-9]+)" "\n\\1\\2 bytes \\3" text "${text}")
string(REGEX REPLACE "\n( *)string +([a-z_0-9]+ *= *[0-9]+)" "\n\\1bytes \\2" text "${text}")
file(WRITE ${OUT} "${text}")
