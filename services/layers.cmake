# The layers of services/, enforced when the build is configured: a layer's target may link
# only the layers below it, and only the gRPC edge (server, cli) may link gRPC. A layer that
# cannot link a target does not get its include directories either, so the gRPC stubs'
# headers (gen-grpc/, see proto/CMakeLists.txt) are not on its include path: including one
# fails the build. scripts/check_layer_includes.sh covers the includes the build cannot
# stop (the project's own folders share one include root; gRPC's headers are in /usr/include).

# Every target `target` links, directly or through others (static libraries' private
# dependencies too, since they end up on the same link line), into `out`.
function(torikumi_link_closure target out)
  set(seen)
  set(todo ${target})
  while(todo)
    list(POP_FRONT todo t)
    if(t IN_LIST seen OR NOT TARGET ${t})
      continue()
    endif()
    list(APPEND seen ${t})
    get_target_property(aliased ${t} ALIASED_TARGET)
    if(aliased)
      list(APPEND todo ${aliased})
    endif()
    set(properties INTERFACE_LINK_LIBRARIES)
    get_target_property(imported ${t} IMPORTED)
    if(NOT imported)
      list(APPEND properties LINK_LIBRARIES)
    endif()
    foreach(property ${properties})
      get_target_property(libraries ${t} ${property})
      if(NOT libraries)
        continue()
      endif()
      foreach(library ${libraries})
        # A static library's PRIVATE dependency shows in its interface as $<LINK_ONLY:x>.
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.+)>$" "\\1" library "${library}")
        if(NOT library MATCHES "^(\\$<|::@)")
          list(APPEND todo ${library})
        endif()
      endforeach()
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

# torikumi_layer(TARGET t MAY_NOT_USE a b …): configuring fails when `t` links any of them,
# naming the first one found.
function(torikumi_layer)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "TARGET" "MAY_NOT_USE")
  if(NOT TARGET ${ARG_TARGET})
    return()
  endif()
  torikumi_link_closure(${ARG_TARGET} linked)
  foreach(forbidden ${ARG_MAY_NOT_USE})
    if(forbidden IN_LIST linked)
      message(FATAL_ERROR "layer ${ARG_TARGET} links ${forbidden}, which its layer may not use "
                          "(see services/CMakeLists.txt and README.md, Layout)")
    endif()
  endforeach()
endfunction()
