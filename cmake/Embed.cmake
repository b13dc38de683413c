# zhibu_embed(OUTPUT file FUNCTION name BASE dir FILES f1 f2 ...)
# Generates a C++ source defining `const std::vector<zhibu::EmbeddedFile>& zhibu::embedded::NAME()`
# holding each file's path (relative to BASE) and contents. Regenerated whenever a file changes.
function(zhibu_embed)
  cmake_parse_arguments(ARG "" "OUTPUT;FUNCTION;BASE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DFUNCTION=${ARG_FUNCTION} -DBASE=${ARG_BASE}
            "-DFILES=${ARG_FILES}" -P ${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${ARG_FILES} ${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${ARG_FUNCTION}"
    VERBATIM)
endfunction()
