if(HAPMAT_SANITIZE)
  # Applied globally so that the library, tests and CLI agree on the ABI.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(HAPMAT_TSAN)
  # ThreadSanitizer, for the pipeline's tests (scripts/test.sh runs them).
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
