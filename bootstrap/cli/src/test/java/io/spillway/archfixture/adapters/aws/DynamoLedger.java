package io.spillway.archfixture.adapters.aws;

import io.spillway.archfixture.adapters.inmemory.InMemoryLedger;
import io.spillway.archfixture.application.port.out.Ledger;
import io.spillway.archfixture.domain.Tally;

/** Planted violation: one adapter leaning on another. */
public final class DynamoLedger implements Ledger {
  private final InMemoryLedger fallback = new InMemoryLedger();

  @Override
  public void record(Tally tally) {
    fallback.record(tally);
  }
}
