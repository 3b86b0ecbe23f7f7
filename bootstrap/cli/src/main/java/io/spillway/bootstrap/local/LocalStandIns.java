package io.spillway.bootstrap.local;

import io.spillway.bootstrap.standins.LocalDynamoDbServer;
import io.spillway.bootstrap.standins.KinesisMock;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-ins for AWS, run by {@code spillway local}: DynamoDB Local and kinesis-mock on
 * loopback, served by one background process whose pid and endpoints are recorded in
 * {@code <home>/local/state.properties}. {@code down} stops exactly the processes {@code up} started.
 */
public final class LocalStandIns {

  /** Where the stand-ins listen, and who serves them. */
  public record State(long servePid, long kinesisPid, URI dynamoDb, URI kinesis) {
    public boolean alive() {
      return ProcessHandle.of(servePid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  private final Path home;

  public LocalStandIns(Path home) {
    this.home = home.toAbsolutePath().normalize();
  }

  private Path stateFile() {
    return home.resolve("local").resolve("state.properties");
  }

  /** What the state file records, if it can be read; {@link #running} says whether those processes still run. */
  public Optional<State> state() {
    Path file = stateFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
      return Optional.of(new State(Long.parseLong(p.getProperty("servePid")), Long.parseLong(p.getProperty("kinesisPid")),
          endpoint(p.getProperty("dynamodb")), endpoint(p.getProperty("kinesis"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static URI endpoint(String text) {
    URI uri = URI.create(text);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("not an endpoint: " + text);
    }
    return uri;
  }

  /**
   * The stand-ins, if the process recorded as serving them still runs and is the one this home's
   * {@code local serve} started (a recorded pid that the system has since given to another process
   * does not count).
   */
  public Optional<State> running() {
    return state().filter(s -> ours(s.servePid()));
  }

  /** Why {@link #running} is empty, for an error message. */
  public String whyNotRunning() {
    Path file = stateFile();
    if (!Files.exists(file)) {
      return "no " + file;
    }
    Optional<State> state = state();
    if (state.isEmpty()) {
      return file + " cannot be read";
    }
    return "pid " + state.get().servePid() + " recorded in " + file + " no longer serves them";
  }

  /** The running stand-ins, or an error telling how to start them. */
  public State requireRunning() {
    return running().orElseThrow(() -> new IllegalStateException(
        "the local stand-ins are not running (" + whyNotRunning() + "): start them with ./spillway local up"));
  }

  /**
   * Whether {@code pid} is a live process started for this home: one of its arguments is the home
   * or a file under it (the serve process gets {@code --home}, kinesis-mock runs from under it). When the system does
   * not show a process's arguments, a live pid counts.
   */
  private boolean ours(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    String home = this.home.toString();
    return process.get().info().arguments()
        .map(args -> java.util.Arrays.stream(args).anyMatch(a -> a.equals(home) || a.startsWith(home + java.io.File.separator)))
        .orElse(true);
  }

  /** Serves both stand-ins in this process until it is stopped (the body of {@code local serve}). */
  public void serve() throws Exception {
    Files.createDirectories(stateFile().getParent());
    LocalDynamoDbServer dynamo = LocalDynamoDbServer.start(0);
    KinesisMock kinesis = KinesisMock.start(home.resolve("kinesis-mock"), Duration.ofSeconds(120));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kinesis.close();
      try {
        dynamo.close();
        Files.deleteIfExists(stateFile());
      } catch (Exception e) {
        // the process is ending either way
      }
      stopped.countDown();
    }, "local-stand-ins-shutdown"));
    Properties p = new Properties();
    p.setProperty("servePid", Long.toString(ProcessHandle.current().pid()));
    p.setProperty("kinesisPid", Long.toString(kinesis.pid()));
    p.setProperty("dynamodb", dynamo.endpoint().toString());
    p.setProperty("kinesis", kinesis.endpoint().toString());
    Path tmp = stateFile().resolveSibling("state.properties.tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "spillway local stand-ins");
    }
    Files.move(tmp, stateFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    stopped.await();
  }

  /** Starts the background process unless it runs already; returns where the stand-ins listen. */
  public State up(Duration timeout) throws IOException, InterruptedException {
    Optional<State> running = running();
    if (running.isPresent()) {
      return running.get();
    }
    Files.createDirectories(stateFile().getParent());
    Files.deleteIfExists(stateFile());
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.spillway.bootstrap.cli.SpillwayCommand");
    command.add("local");
    command.add("serve");
    command.add("--home");
    command.add(home.toString());
    Path log = stateFile().resolveSibling("serve.log");
    Process serve = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<State> state = state().filter(s -> s.servePid() == serve.pid());
      if (state.isPresent()) {
        return state.get();
      }
      if (!serve.isAlive()) {
        throw new IllegalStateException("the stand-ins did not start (exit " + serve.exitValue() + "); see " + log + ":\n" + Files.readString(log));
      }
      serve.waitFor(200, TimeUnit.MILLISECONDS);
    }
    serve.destroy();
    throw new IllegalStateException("the stand-ins did not start within " + timeout + "; see " + log);
  }

  /** Stops the processes {@link #up} started; true if something was running. */
  public boolean down(Duration timeout) throws InterruptedException {
    Optional<State> state = state();
    if (state.isEmpty()) {
      return false;
    }
    boolean wasRunning = false;
    for (long pid : new long[] {state.get().servePid(), state.get().kinesisPid()}) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      // a pid the system has given to another process since is not ours to stop
      if (process.isPresent() && ours(pid)) {
        wasRunning = true;
        process.get().destroy();
        try {
          process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          process.get().destroyForcibly();
        }
      }
    }
    try {
      Files.deleteIfExists(stateFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return wasRunning;
  }
}
