package io.spillway.bootstrap.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static io.spillway.bootstrap.architecture.SpillwayArchitecture.FIXTURE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.core.importer.Locations;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceDependency;
import io.spillway.bootstrap.architecture.SpillwayArchitecture.Rule;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same rules, built for {@code io.spillway.archfixture}, fail on the planted violations and
 * name exactly the offending classes: proof that each rule can fail at all.
 */
class ArchitectureRulesCatchPlantedViolationsTest {

  private static final SpillwayArchitecture ARCHITECTURE = SpillwayArchitecture.under(FIXTURE);

  /** An out-port mentioning an SDK request type, compiled at test time (there is no SDK on this classpath). */
  private static final String SDK_SHAPED_PORT = FIXTURE + ".application.port.out.SdkShapedChunks";
  private static final String SDK_TYPE = "software.amazon.awssdk.services.dynamodb.model.PutItemRequest";

  @TempDir static Path scratch;
  private static JavaClasses fixtureClasses;

  /** A rule, the fixture classes it must name as offenders (relative to the fixture base), and what its report must mention. */
  record PlantedViolation(String rule, Set<String> offenders, List<String> mentions) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<PlantedViolation> plantedViolations() {
    return Stream.of(
        new PlantedViolation("domain depends on the JDK only",
            Set.of("domain.LeakyModel", "domain.SignedModel"),
            List.of("<" + FIXTURE + ".adapters.inmemory.InMemoryLedger>", "<javax.crypto.Mac>")),
        new PlantedViolation("application depends on domain, JDK, codecs and logging only",
            // CompressingLedgerCodec (zstd-jni, SLF4J) and the Ledger port are absent: those are allowed.
            Set.of("application.service.WiringAwareService", "application.port.out.SdkShapedChunks"),
            List.of("<" + FIXTURE + ".bootstrap.FixtureWiring.environmentName()>", "<" + SDK_TYPE + ">")),
        new PlantedViolation("onion architecture",
            // FixtureWiring (bootstrap) depends on every ring and is absent: the composition root is
            // exempt. The domain leans on an adapter, and one adapter calls into another.
            Set.of("domain.LeakyModel", "adapters.aws.DynamoLedger"),
            List.of("<" + FIXTURE + ".adapters.inmemory.InMemoryLedger>",
                "Constructor <" + FIXTURE + ".adapters.aws.DynamoLedger.<init>()> calls constructor <" + FIXTURE + ".adapters.inmemory.InMemoryLedger.<init>()>")),
        new PlantedViolation("adapters do not depend on each other",
            Set.of("adapters.aws.DynamoLedger"),
            List.of("adapter 'aws' depends on", "adapter 'inmemory'")),
        new PlantedViolation("only bootstrap sees bootstrap",
            Set.of("application.service.WiringAwareService", "adapters.inmemory.InMemoryLedger"),
            List.of("<" + FIXTURE + ".bootstrap.FixtureWiring.environmentName()>")),
        new PlantedViolation("ports speak the domain, not the AWS SDK",
            Set.of("application.port.out.SdkShapedChunks"),
            List.of("<" + SDK_TYPE + ">")),
        new PlantedViolation("no wall-clock reads in domain or application",
            // FixtureWiring reads Instant.now() too and is absent: bootstrap may.
            Set.of("domain.ClockReadingPolicy"),
            List.of("<java.time.Instant.now()>", "<java.lang.System.currentTimeMillis()>",
                "<java.lang.System.nanoTime()>")),
        new PlantedViolation("the simulator never sees AWS",
            Set.of("bootstrap.simulation.SimulatedAwsRun"),
            List.of("<" + FIXTURE + ".adapters.aws.DynamoLedger.<init>()>")),
        new PlantedViolation("only the command line sees the command line",
            // FixtureStandIns and FixtureRun use a command too and are absent: they are the command line.
            Set.of("bootstrap.wiring.CliAwareWiring"),
            List.of("<" + FIXTURE + ".bootstrap.cli.FixtureCommand.<init>()>")),
        new PlantedViolation("the AWS adapters hold no emulator code",
            Set.of("adapters.aws.EmulatorLauncher"),
            List.of("<java.lang.ProcessBuilder.<init>(java.util.List)>")),
        new PlantedViolation("no ambient randomness or random ids in domain or application",
            Set.of("application.service.RandomizedBackoff"),
            List.of("<java.util.UUID.randomUUID()>", "<java.util.Random.<init>()>",
                "<java.util.Random.<init>(long)>", "<java.lang.Math.random()>",
                "<java.util.concurrent.ThreadLocalRandom.current()>", "<java.security.SecureRandom.<init>()>",
                "<java.security.SecureRandom.getInstanceStrong()>")));
  }

  @BeforeAll
  static void importFixtures() throws IOException {
    Path classes = compileSdkShapedPort();
    Set<Location> locations = new HashSet<>(Locations.ofPackage(FIXTURE));
    locations.add(Location.of(classes));
    // Fixtures are test classes: imported without DoNotIncludeTests, and only by their own package.
    fixtureClasses = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_PACKAGE_INFOS)
        .importLocations(locations);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plantedViolations")
  @DisplayName("each rule fails on its planted violation and names the offenders")
  void ruleCatchesPlantedViolation(PlantedViolation planted) {
    ArchRule rule = ARCHITECTURE.rule(planted.rule()).archRule();

    AssertionError failure = assertThrows(AssertionError.class, () -> rule.check(fixtureClasses));

    assertThat(offendingClasses(rule.evaluate(fixtureClasses)))
        .as("classes named by '%s'", planted.rule())
        .isEqualTo(planted.offenders().stream().map(name -> FIXTURE + "." + name).collect(Collectors.toSet()));
    assertThat(failure.getMessage())
        .contains(planted.offenders().stream().map(name -> FIXTURE + "." + name).toList())
        .contains(planted.mentions())
        // The failure is a violation, not an empty selection or an empty layer.
        .doesNotContain("failed to check any classes")
        .doesNotContain("is empty");
  }

  @Test
  @DisplayName("every rule has a planted violation")
  void everyRuleHasAPlantedViolation() {
    assertThat(plantedViolations().map(PlantedViolation::rule))
        .containsExactlyInAnyOrderElementsOf(ARCHITECTURE.rules().stream().map(Rule::name).toList());
  }

  @Test
  @DisplayName("the fixtures populate every package the rules select")
  void fixturesPopulateEverySelectedPackage() {
    assertThat(ARCHITECTURE.selectedPackages())
        .isNotEmpty()
        .allSatisfy(pattern -> assertThat(fixtureClasses.that(resideInAPackage(pattern))).as(pattern).isNotEmpty());
    assertThat(fixtureClasses.contain(SDK_SHAPED_PORT)).isTrue();
  }

  /** The top-level classes at the origin of each violation (a dependency, a call, or a class itself). */
  private static Set<String> offendingClasses(EvaluationResult result) {
    Set<String> names = new TreeSet<>();
    result.handleViolations((Collection<Object> objects, String message) -> objects.forEach(object -> {
      if (object instanceof Dependency dependency) {
        names.add(topLevel(dependency.getOriginClass()).getName());
      } else if (object instanceof SliceDependency sliceDependency) {
        sliceDependency.convertTo(Dependency.class)
            .forEach(dependency -> names.add(topLevel(dependency.getOriginClass()).getName()));
      } else if (object instanceof JavaAccess<?> access) {
        names.add(topLevel(access.getOriginOwner()).getName());
      } else if (object instanceof JavaClass javaClass) {
        names.add(topLevel(javaClass).getName());
      } else {
        throw new AssertionError("unexpected violating object " + object.getClass() + ": " + message);
      }
    }));
    return names;
  }

  private static JavaClass topLevel(JavaClass javaClass) {
    JavaClass current = javaClass;
    while (current.getEnclosingClass().isPresent()) {
      current = current.getEnclosingClass().get();
    }
    return current;
  }

  /** Compiles an SDK stub and a port using it into a scratch directory; returns the classes root. */
  private static Path compileSdkShapedPort() throws IOException {
    Path sources = Files.createDirectories(scratch.resolve("src"));
    Path classes = Files.createDirectories(scratch.resolve("classes"));
    Path sdkType = write(sources, SDK_TYPE, """
        package software.amazon.awssdk.services.dynamodb.model;

        public final class PutItemRequest {}
        """);
    Path port = write(sources, SDK_SHAPED_PORT, """
        package io.spillway.archfixture.application.port.out;

        import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

        public interface SdkShapedChunks {
          void putItem(PutItemRequest request);
        }
        """);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK (not a JRE) runs the tests").isNotNull();
    StringWriter diagnostics = new StringWriter();
    boolean compiled = compiler.getTask(diagnostics, null, null,
            List.of("--release", "17", "-d", classes.toString()), null,
            compiler.getStandardFileManager(null, null, UTF_8).getJavaFileObjects(sdkType, port))
        .call();
    assertThat(compiled).as("compiling the SDK-shaped port: %s", diagnostics).isTrue();
    return classes;
  }

  private static Path write(Path sourceRoot, String className, String source) throws IOException {
    Path file = sourceRoot.resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, source, UTF_8);
  }
}
