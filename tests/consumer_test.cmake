# Installs the build into a fresh prefix and builds tests/consumer against it twice, with find_package(xxgk) and
# with pkg-config, then checks a corpus report with each and compares with the command line (docs/building.md).
# -DBUILD=<build dir> -DSOURCE=<tests/consumer> -DWORK=<scratch> -DXXGK=<xxgk binary> -DREPORT=<a corpus report>
# -DCXX=<compiler> -DFLAGS=<extra compile and link flags: the sanitizers of a sanitized build> -DCONFIG=<build type>
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
foreach(file include/xxgk/xxgk.hpp include/xxgk/output.hpp include/xxgk/version.hpp lib/cmake/xxgk/xxgkConfig.cmake
             lib/cmake/xxgk/xxgkConfigVersion.cmake lib/pkgconfig/xxgk.pc lib/pkgconfig/xxgk-writers.pc)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
# The stage headers stay inside: only include/xxgk/ is public.
file(GLOB_RECURSE installed_headers RELATIVE ${prefix}/include ${prefix}/include/*)
list(FILTER installed_headers EXCLUDE REGEX "^xxgk/[a-z]+\\.hpp$")
if(installed_headers)
  message(FATAL_ERROR "headers outside include/xxgk/ installed: ${installed_headers}")
endif()

# What the command line says about the report.
# WHY strip: a JSON line and its newline; the command line exits 1 on findings, hence not `run`.
execute_process(COMMAND ${XXGK} check --format json --lang en ${REPORT} OUTPUT_VARIABLE cli_json WORKING_DIRECTORY ${WORK})
string(STRIP "${cli_json}" cli_json)
string(JSON content GET "${cli_json}" source content)
string(JSON year GET "${cli_json}" report year)
string(JSON errors GET "${cli_json}" summary errors)
string(JSON warnings GET "${cli_json}" summary warnings)
string(JSON info GET "${cli_json}" summary info)
string(JSON uncertain GET "${cli_json}" summary uncertain)
set(cli_summary "${content} ${year} errors=${errors} warnings=${warnings} info=${info} uncertain=${uncertain}")

function(expect program)
  execute_process(COMMAND ${program} ${REPORT} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err WORKING_DIRECTORY ${WORK})
  string(STRIP "${out}" out)
  get_filename_component(name ${program} NAME)
  if(name MATCHES "summary")
    set(want "${cli_summary}")
  else()
    set(want "${cli_json}")
  endif()
  if(NOT status EQUAL 0 OR NOT out STREQUAL want)
    message(FATAL_ERROR "${program} (${status}) said\n${out}\n${err}\nthe command line says\n${want}")
  endif()
  message(STATUS "${program}: as the command line")
endfunction()

# find_package(xxgk)
run(${CMAKE_COMMAND} -S ${SOURCE} -B ${WORK}/cmake -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${CONFIG}
    -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK}/cmake)
expect(${WORK}/cmake/check_summary)
expect(${WORK}/cmake/check_json)

# pkg-config
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)  # a shared libxxgk
foreach(program summary:xxgk json:xxgk-writers)
  string(REPLACE ":" ";" pair ${program})
  list(GET pair 0 name)
  list(GET pair 1 module)
  run(pkg-config --cflags --libs ${module})
  separate_arguments(pc_flags UNIX_COMMAND "${out}")
  separate_arguments(extra UNIX_COMMAND "${FLAGS}")
  run(${CXX} ${extra} ${SOURCE}/check_${name}.cpp -o ${WORK}/pc_check_${name} ${pc_flags})
  expect(${WORK}/pc_check_${name})
endforeach()
