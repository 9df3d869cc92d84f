# Rejects an #include that points up the layers of src/ (docs/ARCHITECTURE.md):
# each folder may include only itself and the folders it is built on, and
# only engine/ and cli/ the public convert API. Run at build time, so that
# an upward dependency fails the build.
#
#   cmake -DROOT=<source dir> [-DSTAMP=<file to touch>] -P CheckLayers.cmake

# A layer's own folder and those below it; "kernels" is the kernels/ folder.
set(allowed_io io)
set(allowed_matrix io matrix)
set(allowed_formats io matrix formats kernels)
set(allowed_rows io matrix formats rows kernels)
set(allowed_engine io matrix formats rows engine kernels)
set(allowed_simulate io simulate)
set(allowed_cli io matrix formats rows engine simulate cli kernels)
set(allowed_kernels kernels)
# Public headers that only some layers may use.
set(public_convert engine cli)
set(public_simulate simulate cli)

set(violations "")
foreach(layer io matrix formats rows engine simulate cli kernels)
  if(layer STREQUAL "kernels")
    set(folder "${ROOT}/kernels")
  else()
    set(folder "${ROOT}/src/${layer}")
  endif()
  file(GLOB files "${folder}/*.cpp" "${folder}/*.hpp" "${folder}/*.cc"
       "${folder}/*.h")
  foreach(file IN LISTS files)
    file(STRINGS "${file}" includes REGEX "^#include \"[^\"]+\"")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" path "${line}")
      string(REGEX REPLACE "/.*" "" top "${path}")
      if(path STREQUAL top)
        set(ok FALSE)  # every include names its folder
      elseif(top STREQUAL "hapmat")
        set(ok TRUE)
        if(path STREQUAL "hapmat/convert.hpp")
          list(FIND public_convert "${layer}" found)
          if(found EQUAL -1)
            set(ok FALSE)
          endif()
        elseif(path STREQUAL "hapmat/simulate.hpp")
          list(FIND public_simulate "${layer}" found)
          if(found EQUAL -1)
            set(ok FALSE)
          endif()
        endif()
      else()
        list(FIND allowed_${layer} "${top}" found)
        if(found EQUAL -1)
          set(ok FALSE)
        else()
          set(ok TRUE)
        endif()
      endif()
      if(NOT ok)
        file(RELATIVE_PATH shown "${ROOT}" "${file}")
        string(APPEND violations "\n  ${shown}: #include \"${path}\"")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "includes against the layers (a layer may include "
                      "itself and the layers below it, by folder):"
                      "${violations}")
endif()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
