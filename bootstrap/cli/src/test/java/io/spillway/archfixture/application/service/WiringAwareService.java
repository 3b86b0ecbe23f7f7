package io.spillway.archfixture.application.service;

import io.spillway.archfixture.bootstrap.FixtureWiring;

/** Planted violation: a service reaching out to the composition root. */
public final class WiringAwareService {
  public String environment() {
    return FixtureWiring.environmentName();
  }
}
