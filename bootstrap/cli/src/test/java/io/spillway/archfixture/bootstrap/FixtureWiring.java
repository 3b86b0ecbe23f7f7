package io.spillway.archfixture.bootstrap;

import io.spillway.archfixture.adapters.aws.DynamoLedger;
import io.spillway.archfixture.adapters.inmemory.InMemoryLedger;
import io.spillway.archfixture.application.port.out.Ledger;
import io.spillway.archfixture.application.service.RandomizedBackoff;
import io.spillway.archfixture.domain.Tally;
import java.time.Instant;

/** The composition root: allowed to see every ring and to read the wall clock. */
public final class FixtureWiring {
  private FixtureWiring() {}

  public static String environmentName() {
    return "fixture";
  }

  public static Ledger ledger(boolean aws) {
    Ledger ledger = aws ? new DynamoLedger() : new InMemoryLedger();
    ledger.record(new Tally("wired-at-" + Instant.now().getEpochSecond(), 0));
    new RandomizedBackoff().jitterFraction();
    return ledger;
  }
}
