# Runs load_bench on a small database and checks that it printed every row with a ratio.
execute_process(COMMAND ${BENCH} --plans=2 --initiatives=300 --seconds=1 --evaluate_rounds=1
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "load_bench exited ${rc}: ${err}")
endif()
foreach(row "GetInitiative, 1 in flight" "GetInitiative, 16 in flight"
            "UpsertOutcome, 1 in flight" "UpsertOutcome, 16 in flight"
            "recorded Evaluate of 300 initiatives" "ListInitiatives text_contains"
            "database bytes per initiative")
  string(REGEX MATCH "\\| ${row}[^\n]*\\| [0-9]+\\.[0-9][0-9] \\|" found "${out}")
  if(found STREQUAL "")
    message(FATAL_ERROR "load_bench printed no ratio for '${row}'")
  endif()
endforeach()
