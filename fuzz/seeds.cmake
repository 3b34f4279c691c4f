# cmake -DDATA=<shared data> -DCORPUS=<untarred corpus-tests> -DOUT=<seeds dir> -P seeds.cmake
# Copies seed inputs for each fuzz target out of the shared data (never into the source tree).
# At most 1,000 files per glob of the fuzz corpus keep libFuzzer's start-up short.
function(copy_seeds target)
  file(MAKE_DIRECTORY "${OUT}/${target}")
  foreach(pattern IN LISTS ARGN)
    file(GLOB files LIST_DIRECTORIES false "${pattern}")
    list(SORT files)
    list(LENGTH files n)
    if(n GREATER 1000)
      list(SUBLIST files 0 1000 files)
    endif()
    foreach(f IN LISTS files)
      string(SHA1 name "${f}")
      file(COPY_FILE "${f}" "${OUT}/${target}/${name}" ONLY_IF_DIFFERENT)
    endforeach()
  endforeach()
endfunction()

copy_seeds(cedar_policy_fuzzer
  "${DATA}/cedar/tests/*/*.cedar" "${DATA}/cedar-bench/*/cedar/*.cedar" "${CORPUS}/*.cedar")
copy_seeds(cedar_schema_text_fuzzer
  "${DATA}/cedar/sample-data/*/*.cedarschema" "${CORPUS}/*.cedarschema")
copy_seeds(cedar_schema_json_fuzzer "${DATA}/cedar-bench/*/cedar/*.cedarschema.json")
copy_seeds(cedar_entities_fuzzer
  "${DATA}/cedar/sample-data/*/entities.json" "${CORPUS}/*.entities.json")
