function(hapmat_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wconversion -Wno-sign-conversion)
  if(HAPMAT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
