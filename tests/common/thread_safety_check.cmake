# Checks the lock annotations (ABSL_GUARDED_BY and friends) with clang's -Wthread-safety:
# GCC, which builds torikumi, ignores them. Compiles with clang, syntax only, every
# translation unit of services/ in the build's compile_commands.json that takes a
# torikumi::Mutex (it, or the header of the same name, says MutexLock, CondVar or
# includes services/common/mutex.h).
#
#   cmake -DCOMPILE_COMMANDS=build/compile_commands.json -DSOURCE_DIR=. -DCLANG=clang++
#         [-DMUST_FAIL=file.cc] -P thread_safety_check.cmake
#
# With MUST_FAIL, compiles that file alone with the same flags and passes only if clang
# rejects it for a thread-safety violation: the proof that the check can fail.
cmake_minimum_required(VERSION 3.25)
foreach(var COMPILE_COMMANDS SOURCE_DIR CLANG)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "thread_safety_check: -D${var}=… is required")
  endif()
endforeach()

file(READ ${COMPILE_COMMANDS} commands)
string(JSON count LENGTH "${commands}")
math(EXPR last "${count} - 1")

# The compiler's flags of entry `index` without the compiler, its launcher, -o, -c, the
# source and the warning options (only the thread-safety ones are wanted).
function(flags_of index out_var)
  string(JSON command GET "${commands}" ${index} command)
  separate_arguments(args UNIX_COMMAND "${command}")
  list(GET args 0 first)
  if(first MATCHES "ccache$")
    list(REMOVE_AT args 0)
  endif()
  list(REMOVE_AT args 0)
  set(flags)
  set(skip_next FALSE)
  foreach(arg IN LISTS args)
    if(skip_next)
      set(skip_next FALSE)
    elseif(arg STREQUAL "-o" OR arg STREQUAL "-c")
      set(skip_next TRUE)
    elseif(NOT arg MATCHES "^-W")
      list(APPEND flags "${arg}")
    endif()
  endforeach()
  set(${out_var} "${flags}" PARENT_SCOPE)
endfunction()

set(checked)
set(failed)
set(first_flags)
set(first_dir)
foreach(i RANGE ${last})
  string(JSON source GET "${commands}" ${i} file)
  if(NOT source MATCHES "^${SOURCE_DIR}/services/")
    continue()
  endif()
  file(READ ${source} text)
  string(REGEX REPLACE "\\.cc$" ".h" header ${source})
  if(EXISTS ${header})
    file(READ ${header} header_text)
    string(APPEND text "${header_text}")
  endif()
  if(NOT text MATCHES "MutexLock|CondVar|services/common/mutex\\.h")
    continue()
  endif()
  string(JSON dir GET "${commands}" ${i} directory)
  flags_of(${i} flags)
  if(NOT first_flags)
    set(first_flags "${flags}")
    set(first_dir "${dir}")
  endif()
  if(DEFINED MUST_FAIL)
    break()
  endif()
  execute_process(COMMAND ${CLANG} -fsyntax-only -Wthread-safety -Werror=thread-safety ${flags}
                          ${source}
                  WORKING_DIRECTORY ${dir} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  file(RELATIVE_PATH name ${SOURCE_DIR} ${source})
  list(APPEND checked ${name})
  if(NOT rc EQUAL 0)
    list(APPEND failed ${name})
    message("${out}")
  endif()
endforeach()

if(NOT first_flags)
  message(FATAL_ERROR "thread_safety_check: no translation unit of ${SOURCE_DIR}/services "
                      "takes a torikumi::Mutex in ${COMPILE_COMMANDS}")
endif()

if(DEFINED MUST_FAIL)
  execute_process(COMMAND ${CLANG} -fsyntax-only -Wthread-safety -Werror=thread-safety
                          ${first_flags} ${MUST_FAIL}
                  WORKING_DIRECTORY ${first_dir} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(rc EQUAL 0 OR NOT out MATCHES "-Werror,-Wthread-safety")
    message(FATAL_ERROR "thread_safety_check: ${MUST_FAIL} was not rejected for a "
                        "thread-safety violation (exit ${rc}):\n${out}")
  endif()
  message("rejected as it should be:\n${out}")
  return()
endif()

list(LENGTH checked n_checked)
string(REPLACE ";" "\n  " checked_lines "${checked}")
message("checked with -Wthread-safety (${n_checked}):\n  ${checked_lines}")
if(failed)
  string(REPLACE ";" ", " failed_list "${failed}")
  message(FATAL_ERROR "thread-safety violations in: ${failed_list}")
endif()
