package io.spillway.bootstrap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.regex.Pattern;

/**
 * The production classes of every module, imported once from the bootstrap test classpath (the
 * other modules arrive as jars, bootstrap as its classes directory).
 */
final class ProductionClasses {

  /**
   * Maven test-jars ({@code *-tests.jar}, e.g. the domain's shared arbitraries) are on the test
   * classpath too, and {@link ImportOption.DoNotIncludeTests} only recognises test-classes
   * directories, not jars; without this option jqwik-based test helpers would be judged as domain.
   */
  static final ImportOption DO_NOT_INCLUDE_TEST_JARS = new ImportOption() {
    private final Pattern testJar = Pattern.compile(".*-tests\\.jar!/.*");

    @Override
    public boolean includes(Location location) {
      return !location.matches(testJar);
    }
  };

  private static JavaClasses classes;

  private ProductionClasses() {}

  static synchronized JavaClasses get() {
    if (classes == null) {
      classes = new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(DO_NOT_INCLUDE_TEST_JARS)
          // package-info classes carry annotations, not dependencies; they may sit outside any ring.
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_PACKAGE_INFOS)
          .importPackages(SpillwayArchitecture.PRODUCTION);
    }
    return classes;
  }
}
