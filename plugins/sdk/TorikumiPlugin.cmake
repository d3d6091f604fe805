# Used in the source tree (plugins/*, tests/plugins) and installed with the SDK (see
# TorikumiEvaluatorSdkConfig.cmake.in), where it also offers torikumi_add_evaluator_messages.
#
# torikumi_add_evaluator_plugin(<target>
#     OUTPUT_NAME <file name without .so>
#     SOURCES <files...>
#     [LINK <libraries...>]
#     [OUTPUT_DIRECTORY <dir>]        default: ${CMAKE_BINARY_DIR}/plugins
#     [VERSION_SCRIPT <file>])        default: torikumi_evaluator.map (exports the entry point only)
#
# Builds an evaluator plugin: a MODULE library named <OUTPUT_NAME>.so that exports only
# its entry point. Included by each plugin folder (and by tests that build plugins), so
# the folder order of add_subdirectory does not matter.
include_guard(GLOBAL)

# The folder of this file (variables set at include time would be seen only by the
# first directory that included it) and the SDK's headers: beside it in the source tree,
# under include/torikumi once installed.
function(_torikumi_sdk_dirs sdk_dir_var include_dir_var)
  set(${sdk_dir_var} ${CMAKE_CURRENT_FUNCTION_LIST_DIR} PARENT_SCOPE)
  if(DEFINED TORIKUMI_EVALUATOR_SDK_INCLUDE_DIR)
    set(${include_dir_var} ${TORIKUMI_EVALUATOR_SDK_INCLUDE_DIR} PARENT_SCOPE)
  else()
    set(${include_dir_var} ${CMAKE_CURRENT_FUNCTION_LIST_DIR} PARENT_SCOPE)
  endif()
endfunction()

function(torikumi_add_evaluator_plugin target)
  _torikumi_sdk_dirs(TORIKUMI_PLUGIN_SDK_DIR include_dir)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME;OUTPUT_DIRECTORY;VERSION_SCRIPT" "SOURCES;LINK" ${ARGN})
  if(NOT ARG_OUTPUT_NAME)
    message(FATAL_ERROR "torikumi_add_evaluator_plugin(${target}): OUTPUT_NAME is required")
  endif()
  if(NOT ARG_OUTPUT_DIRECTORY)
    set(ARG_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
  endif()
  if(NOT ARG_VERSION_SCRIPT)
    set(ARG_VERSION_SCRIPT ${TORIKUMI_PLUGIN_SDK_DIR}/torikumi_evaluator.map)
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_include_directories(${target} PRIVATE ${include_dir})
  target_link_libraries(${target} PRIVATE ${ARG_LINK})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${ARG_VERSION_SCRIPT})
  # --exclude-libs keeps symbols of static archives (protobuf) out of the dynamic table;
  # the version script hides everything but the entry point.
  target_link_options(${target} PRIVATE -Wl,--version-script=${ARG_VERSION_SCRIPT}
                      -Wl,--exclude-libs,ALL)
  if(NOT TORIKUMI_SANITIZE AND NOT TORIKUMI_TSAN)
    # Every symbol must be resolved at link time: a plugin may not rely on symbols of the
    # process that loads it. (Sanitizer runtimes are resolved at load time, hence the if.)
    target_link_options(${target} PRIVATE -Wl,-z,defs)
  endif()
endfunction()

# torikumi_add_evaluator_messages(<target>)
#
# Installed SDK only: a static library with the torikumi.v1 messages of
# resources.proto and evaluation.proto, generated with optimize_for = LITE_RUNTIME so
# that they register nothing in protobuf's process-wide descriptor pool (the host has
# its own copy there; a second one aborts the process), and with string fields as bytes
# (same encoding; the host checks UTF-8). Needs find_package(Protobuf).
function(torikumi_add_evaluator_messages target)
  if(NOT DEFINED TORIKUMI_EVALUATOR_PROTO_DIR)
    message(FATAL_ERROR "torikumi_add_evaluator_messages: use the installed SDK (find_package(TorikumiEvaluatorSdk))")
  endif()
  set(src_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}-proto)
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}-gen)
  file(MAKE_DIRECTORY ${gen_dir})
  set(copies)
  set(sources)
  set(outputs)
  foreach(rel torikumi/v1/resources.proto torikumi/v1/evaluation.proto)
    file(READ ${TORIKUMI_EVALUATOR_PROTO_DIR}/${rel} text)
    string(REGEX REPLACE "(\npackage [^;]+;)" "\\1\n\noption optimize_for = LITE_RUNTIME;" text "${text}")
    # string → bytes (same encoding): the host checks UTF-8 on its side of the boundary.
    string(REGEX REPLACE "\n( *)(repeated|optional) +string +([a-z_0-9]+ *= *[0-9]+)" "\n\\1\\2 bytes \\3"
           text "${text}")
    string(REGEX REPLACE "\n( *)string +([a-z_0-9]+ *= *[0-9]+)" "\n\\1bytes \\2" text "${text}")
    file(WRITE ${src_dir}/${rel} "${text}")
    list(APPEND copies ${src_dir}/${rel})
    string(REGEX REPLACE "\\.proto$" "" base ${rel})
    list(APPEND sources ${gen_dir}/${base}.pb.cc)
    list(APPEND outputs ${gen_dir}/${base}.pb.cc ${gen_dir}/${base}.pb.h)
  endforeach()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND protobuf::protoc -I ${src_dir} --cpp_out=${gen_dir} ${copies}
    DEPENDS ${copies}
    COMMENT "protoc (lite) torikumi/v1 messages for ${target}")
  add_library(${target} STATIC ${sources})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} PUBLIC ${gen_dir})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf)
endfunction()

# torikumi_add_text_config(<target> PROTO <config.proto> FUNCTION <name> [IMPORT_DIRS <dirs...>])
#
# A static library for a plugin's own text-format config: the generated message of
# <config.proto>, its descriptor set (with imports) behind `DescriptorSetBytes <name>()`
# declared in <target>_descriptors.h, and the SDK's ParseTextConfig (cpp/text_config.h).
# The .proto must say `option optimize_for = LITE_RUNTIME;`: a full message would
# register itself in the host's process-wide descriptor pool. Needs find_package(Protobuf).
function(torikumi_add_text_config target)
  _torikumi_sdk_dirs(sdk_dir include_dir)
  cmake_parse_arguments(ARG "" "PROTO;FUNCTION" "IMPORT_DIRS" ${ARGN})
  if(NOT ARG_PROTO OR NOT ARG_FUNCTION)
    message(FATAL_ERROR "torikumi_add_text_config(${target}): PROTO and FUNCTION are required")
  endif()
  get_filename_component(proto ${ARG_PROTO} ABSOLUTE)
  get_filename_component(proto_dir ${proto} DIRECTORY)
  get_filename_component(base ${proto} NAME_WE)
  file(READ ${proto} text)
  if(NOT text MATCHES "option +optimize_for *= *LITE_RUNTIME *;")
    message(FATAL_ERROR "torikumi_add_text_config(${target}): ${proto} must say "
                        "`option optimize_for = LITE_RUNTIME;`")
  endif()
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}-gen)
  file(MAKE_DIRECTORY ${gen_dir})
  set(import_flags -I ${proto_dir})
  foreach(dir ${ARG_IMPORT_DIRS})
    list(APPEND import_flags -I ${dir})
  endforeach()
  add_custom_command(
    OUTPUT ${gen_dir}/${base}.pb.cc ${gen_dir}/${base}.pb.h ${gen_dir}/${target}.desc
    COMMAND protobuf::protoc ${import_flags} --cpp_out=${gen_dir} --include_imports
            --descriptor_set_out=${gen_dir}/${target}.desc ${proto}
    DEPENDS ${proto}
    COMMENT "protoc (lite) and descriptor set of ${base}.proto for ${target}")
  add_custom_command(
    OUTPUT ${gen_dir}/${target}_descriptors.cc ${gen_dir}/${target}_descriptors.h
    COMMAND ${CMAKE_COMMAND} -DIN=${gen_dir}/${target}.desc -DOUT_DIR=${gen_dir}
            -DNAME=${target}_descriptors -DFUNCTION=${ARG_FUNCTION}
            -P ${sdk_dir}/embed_descriptor_set.cmake
    DEPENDS ${gen_dir}/${target}.desc ${sdk_dir}/embed_descriptor_set.cmake
    COMMENT "embedding the descriptor set of ${base}.proto for ${target}")
  add_library(${target} STATIC ${gen_dir}/${base}.pb.cc ${gen_dir}/${target}_descriptors.cc
                               ${include_dir}/cpp/text_config.cc)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} PUBLIC ${gen_dir} ${include_dir})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf)
endfunction()
