# CPACK_POST_BUILD_SCRIPTS of the .deb (cmake/xcam_package.cmake): replaces the ldconfig calls
# CPack writes into postinst/postrm by Debian's ldconfig trigger, as Debian's own library
# packages do. Without maintainer scripts (and conffiles) `apt remove` removes the package
# completely instead of leaving it in dpkg's config-files state.
foreach(deb IN LISTS CPACK_PACKAGE_FILES)
  set(tree "${deb}.tree")
  file(REMOVE_RECURSE "${tree}")
  execute_process(COMMAND dpkg-deb --raw-extract "${deb}" "${tree}" COMMAND_ERROR_IS_FATAL ANY)
  file(REMOVE "${tree}/DEBIAN/postinst" "${tree}/DEBIAN/postrm")
  file(WRITE "${tree}/DEBIAN/triggers" "activate-noawait ldconfig\n")
  execute_process(COMMAND dpkg-deb --root-owner-group --build "${tree}" "${deb}"
                  OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
  file(REMOVE_RECURSE "${tree}")
endforeach()
