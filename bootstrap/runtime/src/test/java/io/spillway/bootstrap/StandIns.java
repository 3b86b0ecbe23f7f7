package io.spillway.bootstrap;

import io.spillway.bootstrap.standins.KinesisMock;
import io.spillway.bootstrap.standins.LocalDynamoDbServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The local stand-ins for the runtime's tests, one of each per test JVM: DynamoDB Local serving on
 * a loopback port and kinesis-mock (installed into the project's .spillway/ folder on first use),
 * both stopped when the JVM exits. Every test takes fresh names of its own.
 */
public final class StandIns {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static LocalDynamoDbServer dynamo;
  private static KinesisMock kinesis;

  private StandIns() {}

  public static synchronized URI dynamoDb() throws Exception {
    if (dynamo == null) {
      dynamo = LocalDynamoDbServer.start(0);
      LocalDynamoDbServer started = dynamo;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (Exception e) {
          // the JVM is going away
        }
      }, "dynamodb-local-shutdown"));
    }
    return dynamo.endpoint();
  }

  public static synchronized URI kinesis() {
    if (kinesis == null) {
      kinesis = KinesisMock.start(KinesisMock.projectInstallation(), Duration.ofSeconds(120));
      Runtime.getRuntime().addShutdownHook(new Thread(kinesis::close, "kinesis-mock-shutdown"));
    }
    return kinesis.endpoint();
  }

  /** A name no other test of this JVM uses. */
  public static String freshName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
  }

  /** Waits for a condition the system under test brings about on its own threads, up to the timeout. */
  public static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(100);
    }
  }
}
