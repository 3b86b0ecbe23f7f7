package io.spillway.bootstrap.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.AccessTarget.Predicates.declaredIn;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The architecture rules of Spillway, built for a base package so that the very same rules run
 * against the production code ({@code io.spillway}) and against the planted violations in the test
 * fixtures ({@code io.spillway.archfixture}).
 */
final class SpillwayArchitecture {

  /** The production base package. */
  static final String PRODUCTION = "io.spillway";
  /** The base package of the planted-violation fixtures (test sources). */
  static final String FIXTURE = "io.spillway.archfixture";

  /** The AWS SDK (v1 and v2) and KCL live here; only adapters may see them. */
  static final String AWS_SDK = "software.amazon..";

  /** A rule with a short, stable name used for test display names and fixture expectations. */
  record Rule(String name, ArchRule archRule) {
    @Override
    public String toString() {
      return name;
    }
  }

  private final String base;
  // Every package pattern a rule *selects* (subjects, layers, slices) is recorded here, so a test
  // can assert each of them holds classes: a renamed package must fail the suite, not empty a rule.
  private final Set<String> selectedPackages = new LinkedHashSet<>();
  private final List<Rule> rules = new ArrayList<>();

  private SpillwayArchitecture(String base) {
    this.base = base;
    add("domain depends on the JDK only", domainDependsOnTheJdkOnly());
    add("application depends on domain, JDK, codecs and logging only", applicationDependencies());
    add("onion architecture", onion());
    add("adapters do not depend on each other", adaptersDoNotDependOnEachOther());
    add("only bootstrap sees bootstrap", onlyBootstrapSeesBootstrap());
    add("ports speak the domain, not the AWS SDK", portsSpeakTheDomain());
    add("no wall-clock reads in domain or application", noWallClockReads());
    add("no ambient randomness or random ids in domain or application", noAmbientRandomness());
    add("the simulator never sees AWS", simulatorNeverSeesAws());
    add("only the command line sees the command line", onlyTheCommandLineSeesTheCommandLine());
    add("the AWS adapters hold no emulator code", awsAdaptersHoldNoEmulatorCode());
  }

  /** Builds the rules for the given base package. */
  static SpillwayArchitecture under(String basePackage) {
    return new SpillwayArchitecture(basePackage);
  }

  List<Rule> rules() {
    return List.copyOf(rules);
  }

  Rule rule(String name) {
    return rules.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no rule named '" + name + "'"));
  }

  /** The package patterns the rules select; each must contain at least one imported class. */
  Set<String> selectedPackages() {
    return Set.copyOf(selectedPackages);
  }

  private void add(String name, ArchRule rule) {
    rules.add(new Rule(name, rule));
  }

  /** A package pattern relative to the base that some rule selects classes by. */
  private String selected(String relative) {
    String pattern = base + "." + relative;
    selectedPackages.add(pattern);
    return pattern;
  }

  private String domain() {
    return selected("domain..");
  }

  private String application() {
    return selected("application..");
  }

  private ArchRule domainDependsOnTheJdkOnly() {
    // "java.." does not match "javax..": javax (and jakarta) are kept out of the domain as well.
    return classes()
        .that().resideInAPackage(domain())
        .should().onlyDependOnClassesThat().resideInAnyPackage(domain(), "java..")
        .because("the domain is plain Java: no frameworks, no codecs, no SDKs, not even javax");
  }

  private ArchRule applicationDependencies() {
    return classes()
        .that().resideInAPackage(application())
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            application(),
            domain(),
            "java..",
            // The compression library the codecs are built on (the brief's "compression libraries").
            "com.github.luben.zstd..",
            // Logging through the SLF4J API is allowed in services (the brief: "logs through SLF4J");
            // the binding is chosen by bootstrap.
            "org.slf4j..")
        .because("use cases and ports depend on the domain and a codec, never on adapters, bootstrap or SDKs");
  }

  private ArchRule onion() {
    String bootstrap = selected("bootstrap..");
    // Spillway's domain ring has no separate "domain service" package (policies live beside the
    // models they judge), and a non-optional onion demands one; so the layers are optional here and
    // emptiness is caught twice instead: by the selected-packages test, and because every class
    // must sit in a declared ring (or in bootstrap), so a renamed ring leaves its classes outside.
    //
    // Adapters are registered one by one (a new one is reported as outside the architecture until
    // it is added here); adapters against each other are covered generically by the slices rule.
    return onionArchitecture()
        .domainModels(domain())
        .applicationServices(application())
        .adapter("inmemory", selected("adapters.inmemory.."))
        .adapter("aws", selected("adapters.aws.."))
        .withOptionalLayers(true)
        // bootstrap is the composition root: it sees every ring, so its dependencies are exempt.
        .ignoreDependency(resideInAPackage(bootstrap), alwaysTrue())
        // Every Spillway class belongs to a ring or to bootstrap (classes of other vendors that
        // happen to be imported are not judged; the product namespace, not the base, decides).
        .ensureAllClassesAreContainedInArchitectureIgnoring(
            resideInAPackage(bootstrap).or(resideOutsideOfPackage(PRODUCTION + "..")));
  }

  private ArchRule adaptersDoNotDependOnEachOther() {
    return slices()
        .matching(selected("adapters.(*).."))
        .namingSlices("adapter '$1'")
        .should().notDependOnEachOther()
        .because("each adapter is a replaceable plug: the in-memory one must not lean on AWS, nor AWS on it");
  }

  private ArchRule onlyBootstrapSeesBootstrap() {
    return noClasses()
        .that().resideInAnyPackage(domain(), application(), selected("adapters.."))
        .should().dependOnClassesThat().resideInAPackage(selected("bootstrap.."))
        .because("bootstrap wires the rings together; nothing inside may reach back out to it");
  }

  private ArchRule portsSpeakTheDomain() {
    // The SDK is not on the classpath yet; the rule still selects the existing port classes and
    // fails as soon as one of them mentions an SDK type.
    return noClasses()
        .that().resideInAPackage(selected("application.port.."))
        .should().dependOnClassesThat().resideInAPackage(AWS_SDK)
        .because("ports speak the domain: nothing like PutItemRequest crosses a port");
  }

  private ArchRule simulatorNeverSeesAws() {
    return noClasses()
        .that().resideInAPackage(selected("bootstrap.simulation.."))
        .should().dependOnClassesThat().resideInAnyPackage(selected("adapters.aws.."), base + ".bootstrap.aws..", AWS_SDK)
        .because("the simulator runs on the memory environment alone: what it predicts must not depend on a cloud");
  }

  private ArchRule onlyTheCommandLineSeesTheCommandLine() {
    // the command line's own packages: the picocli commands, the stand-ins harness and the demo pipeline;
    // picocli, the charts and the logging binding are kept out of the runtime artifact by its enforcer rule
    String cli = selected("bootstrap.cli..");
    String local = selected("bootstrap.local..");
    String pipeline = selected("bootstrap.pipeline..");
    return classes()
        .that().resideInAnyPackage(cli, local, pipeline)
        .should().onlyHaveDependentClassesThat().resideInAnyPackage(cli, local, pipeline)
        .because("the runtime a service embeds, and the simulator, carry no command line");
  }

  private ArchRule awsAdaptersHoldNoEmulatorCode() {
    return noClasses()
        .that().resideInAPackage(selected("adapters.aws.."))
        .should().dependOnClassesThat().resideInAnyPackage(base + ".bootstrap.standins..", "com.amazonaws.services.dynamodbv2.local..")
        .orShould().callConstructor(ProcessBuilder.class, String[].class)
        .orShould().callConstructor(ProcessBuilder.class, java.util.List.class)
        .because("emulator launchers are test and CLI tooling (the standins module); the adapters ship to production");
  }

  private ArchRule noWallClockReads() {
    return noClasses()
        .that().resideInAnyPackage(domain(), application())
        .should().callMethod(Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .because("time comes through the Clock port, so simulations run on a virtual clock");
  }

  private ArchRule noAmbientRandomness() {
    return noClasses()
        .that().resideInAnyPackage(domain(), application())
        .should().callMethod(UUID.class, "randomUUID")
        .orShould().callMethod(Math.class, "random")
        .orShould().callMethod(ThreadLocalRandom.class, "current")
        // new Random(), new Random(seed), new SecureRandom(...) and any other Random subclass.
        .orShould().callConstructorWhere(target(declaredIn(assignableTo(Random.class))))
        .orShould().callMethodWhere(
            target(declaredIn(SecureRandom.class).and(nameStartingWith("getInstance"))))
        .because("ids and randomness come through ports, so a simulation is deterministic for a seed");
  }
}
