package io.spillway.bootstrap.standins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kinesis-mock, the Kinesis emulator LocalStack uses, run with this machine's Node.js on loopback:
 * installed from the npm registry ({@code kinesis-local}) into a project-local folder on first use,
 * started on free ports, and made to listen on 127.0.0.1 only (it binds every interface by
 * default; a small preload script of ours narrows it). {@link #close()} stops exactly the process
 * it started.
 *
 * <p>Node runs with a larger young generation ({@link #NODE_FLAGS}). kinesis-mock is CPU-bound on
 * one core and most of that core went to V8's scavenger: every request and response is held
 * several times over (the body, the decoded records, and the text kinesis-mock and http4s build
 * for their trace logs whatever the log level), and with Node's default 16 MiB semi-space a
 * request's worth of that survives a scavenge or two and is copied. With 128 MiB it dies young:
 * measured PutRecords of 400 KB records went from ~2.1 to ~5–6 MB per CPU-second of the Node
 * process when calls carry ≲1.2 MB, and GetRecords answering ≲1.6 MB from ~2.2 to ~5–9 (5 MiB
 * calls gain little either way). It costs up to 3 × 128 MiB of memory.
 */
public final class KinesisMock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KinesisMock.class);
  public static final String PACKAGE = "kinesis-local";
  public static final String VERSION = "0.6.2";
  /** Node's own options: the young generation sized for kinesis-mock's per-request garbage (see above). */
  public static final List<String> NODE_FLAGS = List.of("--max-semi-space-size=128");

  private final Process process;
  private final int plainPort;
  private final Path logFile;

  private KinesisMock(Process process, int plainPort, Path logFile) {
    this.process = process;
    this.plainPort = plainPort;
    this.logFile = logFile;
  }

  /**
   * Installs (once) and starts kinesis-mock under {@code home}, waiting up to {@code timeout} for
   * it to accept connections.
   */
  public static KinesisMock start(Path home, Duration timeout) {
    Path main = install(home);
    Path shim = home.resolve("loopback.cjs");
    try (InputStream in = KinesisMock.class.getResourceAsStream("loopback.cjs")) {
      Files.copy(in, shim, StandardCopyOption.REPLACE_EXISTING);
      int plain = freePort();
      int tls = freePort();
      Path logFile = Files.createTempFile(home, "kinesis-mock-", ".log");
      List<String> command = new ArrayList<>();
      command.add("node");
      command.addAll(NODE_FLAGS);
      command.addAll(List.of("--require", shim.toString(), main.toString()));
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(logFile.toFile());
      Map<String, String> env = pb.environment();
      env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plain));
      env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tls));
      env.put("KINESIS_MOCK_CERT_PATH", main.resolveSibling("server.json").toString());
      env.put("LOG_LEVEL", "WARN");
      for (String op : List.of("CREATE_STREAM", "DELETE_STREAM", "REGISTER_STREAM_CONSUMER", "DEREGISTER_STREAM_CONSUMER",
          "MERGE_SHARDS", "SPLIT_SHARD", "UPDATE_SHARD_COUNT", "UPDATE_STREAM_MODE")) {
        env.put(op + "_DURATION", "50ms");
      }
      Process process = pb.start();
      KinesisMock mock = new KinesisMock(process, plain, logFile);
      mock.awaitReady(timeout);
      log.info("kinesis-mock {} listening on 127.0.0.1:{} (pid {})", VERSION, plain, process.pid());
      return mock;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start kinesis-mock under " + home, e);
    }
  }

  /**
   * Where tests install kinesis-mock: {@code .spillway/kinesis-mock} in the project (the nearest
   * folder above the working directory holding the Maven wrapper's {@code .mvn}), so every module's
   * tests share one installation.
   */
  public static Path projectInstallation() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no .mvn folder above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve(".spillway").resolve("kinesis-mock");
  }

  /** The plain-HTTP endpoint (HTTP/1.1 and h2c) on loopback. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + plainPort);
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(logFile);
    } catch (IOException e) {
      log.debug("could not delete {}", logFile, e);
    }
  }

  /** {@code npm install kinesis-local@VERSION} into {@code home} unless it is there already. */
  static Path install(Path home) {
    Path main = home.resolve("node_modules").resolve(PACKAGE).resolve("main.js");
    if (Files.exists(main) && installedVersion(home).equals(VERSION)) {
      return main;
    }
    try {
      Files.createDirectories(home);
      List<String> command = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", home.toString(),
          PACKAGE + "@" + VERSION));
      Process npm = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(npm.getInputStream().readAllBytes());
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.exists(main)) {
        throw new IllegalStateException("npm could not install " + PACKAGE + "@" + VERSION + " into " + home + ":\n" + output);
      }
      return main;
    } catch (IOException e) {
      throw new UncheckedIOException("npm is needed to install kinesis-mock (" + PACKAGE + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing kinesis-mock", e);
    }
  }

  private static String installedVersion(Path home) {
    Path pkg = home.resolve("node_modules").resolve(PACKAGE).resolve("package.json");
    try {
      String json = Files.readString(pkg);
      int at = json.indexOf("\"version\"");
      int start = json.indexOf('"', json.indexOf(':', at) + 1) + 1;
      return json.substring(start, json.indexOf('"', start));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("kinesis-mock exited with " + process.exitValue() + ":\n" + Files.readString(logFile));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", plainPort), 200);
        return;
      } catch (IOException notYet) {
        // keep trying until the deadline: the process is starting
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for kinesis-mock", e);
      }
    }
    close();
    throw new IllegalStateException("kinesis-mock did not accept connections on 127.0.0.1:" + plainPort + " within " + timeout
        + ":\n" + Files.readString(logFile));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
