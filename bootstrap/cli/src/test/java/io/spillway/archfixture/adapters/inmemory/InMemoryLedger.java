package io.spillway.archfixture.adapters.inmemory;

import io.spillway.archfixture.application.port.out.Ledger;
import io.spillway.archfixture.bootstrap.FixtureWiring;
import io.spillway.archfixture.domain.Tally;
import java.util.ArrayList;
import java.util.List;

/** An adapter implementing a port; planted violation: it reads from bootstrap. */
public final class InMemoryLedger implements Ledger {
  private final List<Tally> tallies = new ArrayList<>();

  @Override
  public void record(Tally tally) {
    if (!FixtureWiring.environmentName().isEmpty()) {
      tallies.add(tally);
    }
  }
}
