package io.spillway.bootstrap.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import io.spillway.bootstrap.architecture.SpillwayArchitecture.Rule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The architecture rules hold for the production code of every module. */
class ArchitectureTest {

  private static final SpillwayArchitecture ARCHITECTURE = SpillwayArchitecture.under(SpillwayArchitecture.PRODUCTION);

  static List<Rule> productionRules() {
    return ARCHITECTURE.rules();
  }

  static Stream<String> selectedPackages() {
    return ARCHITECTURE.selectedPackages().stream().sorted();
  }

  static List<Rule> rulesForARenamedBasePackage() {
    return SpillwayArchitecture.under("io.spillway.renamed").rules();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("productionRules")
  @DisplayName("production code follows")
  void productionCodeFollows(Rule rule) {
    rule.archRule().check(ProductionClasses.get());
  }

  @ParameterizedTest(name = "{0} holds production classes")
  @MethodSource("selectedPackages")
  @DisplayName("every package a rule selects exists")
  void everySelectedPackageHoldsClasses(String packagePattern) {
    JavaClasses classes = ProductionClasses.get();

    assertThat(classes.that(resideInAPackage(packagePattern)))
        .as("classes imported in %s (a rule selecting it would check nothing)", packagePattern)
        .isNotEmpty();
  }

  @Test
  @DisplayName("the import holds the main classes of every module and no test code")
  void importHoldsMainClassesOnly() {
    JavaClasses classes = ProductionClasses.get();

    // One well-known class per module proves each module's jar or classes dir was scanned.
    assertThat(classes.contain("io.spillway.domain.chunk.ChunkAssembler")).isTrue();
    assertThat(classes.contain("io.spillway.application.port.out.Chunks")).isTrue();
    assertThat(classes.contain("io.spillway.adapters.inmemory.InMemoryChunks")).isTrue();
    assertThat(classes.contain("io.spillway.adapters.aws.dynamodb.DynamoDbChunks")).isTrue();
    assertThat(classes.contain("io.spillway.bootstrap.wiring.InMemorySpillway")).isTrue();
    // Test code must not be judged as production: fixtures and these tests (test-classes dir),
    // and the domain's test-jar (shared jqwik arbitraries, which would fail "JDK only").
    assertThat(classes.stream().map(JavaClass::getName))
        .noneMatch(name -> name.startsWith(SpillwayArchitecture.FIXTURE + "."))
        .noneMatch(name -> name.startsWith(getClass().getPackageName() + "."))
        .noneMatch(name -> name.startsWith("io.spillway.domain.testing."))
        .noneMatch(name -> name.endsWith("Test") || name.endsWith("Properties"));
  }

  @Test
  @DisplayName("rules that select nothing fail (archRule.failOnEmptyShould=true)")
  void emptyShouldFailsIsConfigured() {
    assertThat(ArchConfiguration.get().getProperty("archRule.failOnEmptyShould")).isEqualTo("true");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rulesForARenamedBasePackage")
  @DisplayName("a rule whose packages were renamed away fails instead of passing vacuously")
  void ruleOverMissingPackagesFails(Rule rule) {
    AssertionError failure = assertThrows(AssertionError.class, () -> rule.archRule().check(ProductionClasses.get()));

    assertThat(failure.getMessage()).containsAnyOf(
        "failed to check any classes", // a rule whose that() selects nothing
        "is not contained in architecture"); // the onion: every class sits outside the renamed rings
  }
}
