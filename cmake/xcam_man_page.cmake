# Writes a tool's man page from its --help and installs it (gzipped, as Debian ships them). Run
# by install(CODE) of samples/CMakeLists.txt, so `cmake --install` and the .deb get the pages.
# In: tool (the built program), version, page_dir (where to write), destination (man1 folder).
get_filename_component(name "${tool}" NAME)
execute_process(COMMAND "${tool}" --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${name} --help failed (exit ${status}): no man page")
endif()
string(REGEX MATCH "^[^\n]*" summary "${help}")
if(summary MATCHES "^Usage:")   # a help without an about line
  set(summary "a command-line tool of xcam (Class Activation Maps for OpenCV's dnn)")
endif()
string(REPLACE "\\" "\\e" help "${help}")                       # roff: a backslash is \e
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")  # lines may not start a request
string(TOUPPER "${name}" title)
file(WRITE "${page_dir}/${name}.1"
  ".TH ${title} 1 \"\" \"xcam ${version}\" \"User Commands\"\n"
  ".SH NAME\n${name} \\- ${summary}\n.SH DESCRIPTION\n.nf\n${help}.fi\n")
file(ARCHIVE_CREATE OUTPUT "${page_dir}/${name}.1.gz" PATHS "${page_dir}/${name}.1"
     FORMAT raw COMPRESSION GZip)
file(INSTALL "${page_dir}/${name}.1.gz" DESTINATION "${destination}")
