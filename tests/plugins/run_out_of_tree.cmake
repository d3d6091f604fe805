# The out-of-tree plugin test, run by ctest as `cmake -P`:
#   1. installs the SDK component of this build into a fresh prefix,
#   2. configures and builds tests/plugins/out_of_tree against that prefix only,
#   3. loads the resulting plugin with the torikumi host (LOADER PLUGINS_DIR).
# Variables: BUILD_DIR, PROJECT_DIR, WORK_DIR, LOADER, BUILD_TYPE.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

run("install the SDK" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix --component torikumi_sdk)
run("configure the plugin" ${CMAKE_COMMAND} -S ${PROJECT_DIR} -B ${WORK_DIR}/build
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
run("build the plugin" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run("load the plugin" ${LOADER} ${WORK_DIR}/build/plugins)
