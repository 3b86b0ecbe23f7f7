package io.spillway.adapters.inmemory;

import io.spillway.application.contract.DeadLettersContract;
import io.spillway.application.port.out.DeadLetters;

/** The dead-letter contract against the in-memory store. */
class InMemoryDeadLettersContractTest extends DeadLettersContract {
  @Override
  protected DeadLetters newDeadLetters() {
    return new InMemoryDeadLetters();
  }
}
